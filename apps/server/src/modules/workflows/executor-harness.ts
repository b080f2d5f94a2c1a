import type { Actor } from '@cloudnow/shared';
import type { FastifyInstance } from 'fastify';
import { buildTestApp, type TestApp } from '../../../test/harness.ts';
import type { ToolRequest } from './node-handlers.ts';
import type { RunStatus } from './workflows.tables.ts';
import { TERMINAL } from './status-cache.ts';
import { withTenant } from '../../db/tenant.ts';
import * as runs from './runs.repository.ts';

/** Test-only: a tool the fake tool-gate port runs. */
export type FakeTool = (args: Record<string, unknown>, req: ToolRequest) => Promise<unknown> | unknown;

/** Test-only: an app with workers, a recording tool port and a run waiter. */
export interface ExecutorTestApp extends TestApp {
  calls: ToolRequest[];
  tools: Map<string, FakeTool>;
  waitFor(actor: Actor, runId: string, statuses?: RunStatus[]): Promise<runs.RunRow & { steps: runs.StepRow[] }>;
}

/**
 * Builds an app whose tool port records calls and dispatches to `tools` (until the tool gate
 * lands — the gate is then the real port and these become sandbox tools).
 */
export async function buildExecutorApp(opts: Parameters<typeof buildTestApp>[0] = {}): Promise<ExecutorTestApp> {
  const t = await buildTestApp(opts);
  await t.app.workflows.ready;
  const calls: ToolRequest[] = [];
  const tools = new Map<string, FakeTool>();
  t.app.workflows.configure({
    runTool: async (_actor, req) => {
      calls.push(req);
      const f = tools.get(req.tool);
      if (!f) throw new Error(`unknown tool ${req.tool}`);
      return f(req.args, req);
    },
    executor: { leaseMs: 10_000, nodeTimeoutMs: 10_000 },
  });
  return { ...t, calls, tools, waitFor: (actor, runId, statuses) => waitForRun(t.app, actor, runId, statuses) };
}

/** Resolves when the run reaches one of `statuses` (default: any terminal), reading the bus then the row. */
export async function waitForRun(app: FastifyInstance, actor: Actor, runId: string, statuses?: RunStatus[], timeoutMs = 30_000) {
  const want = new Set<RunStatus>(statuses ?? [...TERMINAL]);
  const read = () => withTenant(app.db, actor.orgId, (tx) => runs.findRun(tx, actor.orgId, runId));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      void read().then((r) => reject(new Error(`run ${runId} is ${r?.status}, waited for ${[...want].join('/')}`)));
    }, timeoutMs);
    const off = app.events.subscribe('workflow.status', (e) => {
      if (e.runId === runId && want.has(e.status)) done();
    });
    const done = (): void => {
      clearTimeout(timer);
      off();
      resolve();
    };
    void read().then((r) => r && want.has(r.status) && done());
  });
  return app.workflows.runs.get(actor, runId);
}
