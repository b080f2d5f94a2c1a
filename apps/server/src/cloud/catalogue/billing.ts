import { z } from 'zod';
import { days } from './common.ts';
import { defineTool, type ToolDefinition } from './types.ts';

const money = (n: number): number => Math.round(n * 100) / 100;

/** Billing tools: cost summary by service, daily costs, month forecast (usage API / simulated usage). */
export const billingTools: readonly ToolDefinition[] = [
  defineTool({
    name: 'get_cost_summary',
    description: 'Total cost of the last N days (default 30) and its split by service, largest first.',
    category: 'billing',
    risk: 'read',
    changes: '',
    input: z.strictObject({ days: days(30, 365) }),
    execute: async (ctx, a) => {
      const n = a.days ?? 30;
      const r = await ctx.cloud.getDailyCosts({ days: n });
      const by = new Map<string, number>();
      for (const row of r.items) by.set(row.service, (by.get(row.service) ?? 0) + row.cost);
      const items = [...by].map(([service, cost]) => ({ service, cost: money(cost) })).sort((x, y) => y.cost - x.cost);
      return { days: n, currency: r.currency, total: money(items.reduce((s, i) => s + i.cost, 0)), items, count: items.length };
    },
  }),
  defineTool({
    name: 'get_daily_costs',
    description: 'Cost per day for the last N days (default 14), optionally of one service.',
    category: 'billing',
    risk: 'read',
    changes: '',
    input: z.strictObject({
      days: days(14, 90),
      service: z.string().min(1).max(100).optional().describe('Service name, e.g. Compute, Block Storage, Database'),
    }),
    execute: async (ctx, a) => {
      const r = await ctx.cloud.getDailyCosts({ days: a.days ?? 14, service: a.service });
      const byDay = new Map<string, number>();
      for (const row of r.items) byDay.set(row.date, (byDay.get(row.date) ?? 0) + row.cost);
      const items = [...byDay].map(([date, cost]) => ({ date, cost: money(cost) }));
      return { currency: r.currency, service: a.service ?? null, items, count: items.length };
    },
  }),
  defineTool({
    name: 'get_cost_forecast',
    description: 'Projects the monthly cost per service from the average of the last N days (default 14).',
    category: 'billing',
    risk: 'read',
    changes: '',
    input: z.strictObject({ days: days(14, 90) }),
    execute: async (ctx, a) => {
      const n = a.days ?? 14;
      const r = await ctx.cloud.getDailyCosts({ days: n });
      const by = new Map<string, number>();
      for (const row of r.items) by.set(row.service, (by.get(row.service) ?? 0) + row.cost);
      const items = [...by]
        .map(([service, cost]) => ({ service, dailyAverage: money(cost / n), monthly: money((cost / n) * 30.4) }))
        .sort((x, y) => y.monthly - x.monthly);
      return {
        basedOnDays: n,
        currency: r.currency,
        monthlyTotal: money(items.reduce((s, i) => s + i.monthly, 0)),
        items,
        count: items.length,
      };
    },
  }),
];
