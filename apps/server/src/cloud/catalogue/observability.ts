import { z } from 'zod';
import { compartmentId, days, displayName, limit, listInput, ocid } from './common.ts';
import { defineTool, type ToolDefinition } from './types.ts';

const metric = z.enum(['CpuUtilization', 'MemoryUtilization']).describe('Metric: CpuUtilization or MemoryUtilization (percent)');

/** Observability tools: utilisation series and summaries (idle / over-provisioned), alarms. */
export const observabilityTools: readonly ToolDefinition[] = [
  defineTool({
    name: 'get_instance_metrics',
    description: 'CPU or memory utilisation of one instance over the last N days (hourly or daily points, with avg/min/max).',
    category: 'observability',
    risk: 'read',
    changes: '',
    input: z.strictObject({
      instanceId: ocid('instance'),
      metric: metric.optional().describe('Metric (default CpuUtilization)'),
      days: days(7, 90),
      resolution: z.enum(['1h', '1d']).optional().describe('Point interval: 1h (max 14 days) or 1d (default: 1h up to 2 days)'),
    }),
    execute: (ctx, a) => {
      const d = a.days ?? 7;
      const resolution = a.resolution === '1h' && d > 14 ? '1d' : a.resolution;
      return ctx.cloud.getInstanceMetrics({ instanceId: a.instanceId, metric: a.metric ?? 'CpuUtilization', days: d, resolution });
    },
  }),
  defineTool({
    name: 'summarize_instance_utilization',
    description: 'Average and peak CPU and memory of every running instance over the last N days.',
    category: 'observability',
    risk: 'read',
    changes: '',
    input: z.strictObject({ compartmentId, days: days(7, 30), limit }),
    execute: (ctx, a) => ctx.cloud.summarizeUtilization({ compartmentId: a.compartmentId, days: a.days ?? 7, limit: a.limit }),
  }),
  defineTool({
    name: 'find_idle_instances',
    description: 'Running instances whose CPU stayed below a threshold (default 5 %) for N days (default 7).',
    category: 'observability',
    risk: 'read',
    changes: '',
    input: z.strictObject({
      compartmentId,
      days: days(7, 30),
      cpuThreshold: z.number().min(0.1).max(50).optional().describe('Peak CPU percent below which an instance counts as idle (default 5)'),
    }),
    execute: async (ctx, a) => {
      const s = await ctx.cloud.summarizeUtilization({ compartmentId: a.compartmentId, days: a.days ?? 7, limit: 500 });
      const items = s.items.filter((u) => u.cpuMax < (a.cpuThreshold ?? 5));
      return { items, count: items.length };
    },
  }),
  defineTool({
    name: 'find_overprovisioned_instances',
    description: 'Running instances with peak CPU < 20 % and peak memory < 40 % over N days (default 14): right-sizing candidates.',
    category: 'observability',
    risk: 'read',
    changes: '',
    input: z.strictObject({ compartmentId, days: days(14, 30) }),
    execute: async (ctx, a) => {
      const s = await ctx.cloud.summarizeUtilization({ compartmentId: a.compartmentId, days: a.days ?? 14, limit: 500 });
      const items = s.items.filter((u) => u.cpuMax < 20 && u.memoryMax < 40);
      return { items, count: items.length };
    },
  }),
  defineTool({
    name: 'list_alarms',
    description: 'List monitoring alarms with their queries and severity.',
    category: 'observability',
    risk: 'read',
    changes: '',
    input: listInput,
    execute: (ctx, a) => ctx.cloud.listAlarms(a),
  }),
  defineTool({
    name: 'create_alarm',
    description: 'Create a monitoring alarm on instance CPU or memory above a threshold.',
    category: 'observability',
    risk: 'low',
    changes: 'Creates an alarm that notifies when the metric crosses the threshold.',
    input: z.strictObject({
      name: displayName('alarm'),
      metric,
      threshold: z.number().min(1).max(100).describe('Percent above which the alarm fires'),
      severity: z.enum(['CRITICAL', 'ERROR', 'WARNING', 'INFO']).optional().describe('Severity (default WARNING)'),
      compartmentId,
      destinationTopicId: ocid('notification topic').optional(),
    }),
    execute: (ctx, a) => ctx.cloud.createAlarm({ ...a, severity: a.severity ?? 'WARNING' }),
  }),
];

const hours = z.number().int().min(1).max(168).optional().describe('Hours to look back (default 24, max 168)');

/** Logging tools: search, recent errors. */
export const loggingTools: readonly ToolDefinition[] = [
  defineTool({
    name: 'search_logs',
    description: 'Search the logs of the last N hours by text and level (newest first).',
    category: 'logging',
    risk: 'read',
    changes: '',
    input: z.strictObject({
      text: z.string().min(1).max(200).optional().describe('Text the message or source must contain'),
      level: z.enum(['INFO', 'WARN', 'ERROR']).optional().describe('Only entries of this level'),
      hours,
      limit,
    }),
    execute: (ctx, a) => ctx.cloud.searchLogs({ text: a.text, level: a.level, hours: a.hours ?? 24, limit: a.limit }),
  }),
  defineTool({
    name: 'get_recent_errors',
    description: 'The ERROR log entries of the last N hours, with a count per source.',
    category: 'logging',
    risk: 'read',
    changes: '',
    input: z.strictObject({ hours, limit }),
    execute: async (ctx, a) => {
      const r = await ctx.cloud.searchLogs({ level: 'ERROR', hours: a.hours ?? 24, limit: a.limit ?? 100 });
      const bySource: Record<string, number> = {};
      for (const e of r.items) bySource[e.source] = (bySource[e.source] ?? 0) + 1;
      return { ...r, bySource };
    },
  }),
];

/** Resource search tools. */
export const searchTools: readonly ToolDefinition[] = [
  defineTool({
    name: 'search_resources',
    description: 'Search resources across the tenancy by type and/or name text.',
    category: 'search',
    risk: 'read',
    changes: '',
    input: z.strictObject({
      text: z.string().min(1).max(200).optional().describe('Text the display name must contain'),
      resourceType: z
        .string()
        .regex(/^[A-Za-z]+$/)
        .max(64)
        .optional()
        .describe('Resource type, e.g. Instance, Vcn, Bucket, AutonomousDatabase, Volume, Policy'),
      limit,
    }),
    execute: (ctx, a) => ctx.cloud.searchResources(a),
  }),
  defineTool({
    name: 'search_resources_by_name',
    description: 'Find resources of any type whose display name contains the text.',
    category: 'search',
    risk: 'read',
    changes: '',
    input: z.strictObject({ name: z.string().min(1).max(200).describe('Part of the display name'), limit }),
    execute: (ctx, a) => ctx.cloud.searchResources({ text: a.name, limit: a.limit }),
  }),
];
