import type { FastifyInstance } from 'fastify';
import type { Actor, Role } from '@cloudnow/shared';
import { buildTestApp, type TestApp, type TestDatabase } from '../../../test/harness.ts';
import { loginAs } from '../../../test/auth.ts';
import type { ToolRequest } from './node-handlers.ts';

/** Test-only: an app with real sign-in (`loginAs`), a recording tool port and its fake tools. */
export interface RouteTestApp {
  app: FastifyInstance;
  t: TestApp;
  login(opts?: { role?: Role; org?: { id: string } }): Promise<{ actor: Actor; headers: Record<string, string> }>;
  calls: ToolRequest[];
  tools: Map<string, (args: Record<string, unknown>) => unknown>;
  close(): Promise<void>;
}

/** Builds the app (workers on unless told), waits for the workflows module, wires the tool port. */
export async function buildRouteApp(
  opts: { workers?: boolean; env?: Record<string, string>; database?: TestDatabase } = {},
): Promise<RouteTestApp> {
  const t = await buildTestApp({
    workers: opts.workers ?? true,
    ...(opts.env ? { env: opts.env } : {}),
    ...(opts.database ? { database: opts.database } : {}),
  });
  await t.app.workflows.ready;
  const calls: ToolRequest[] = [];
  const tools = new Map<string, (args: Record<string, unknown>) => unknown>();
  t.app.workflows.configure({
    runTool: async (_a, req) => {
      calls.push(req);
      const f = tools.get(req.tool);
      if (!f) throw new Error(`unknown tool ${req.tool}`);
      return f(req.args);
    },
  });
  return {
    app: t.app,
    t,
    calls,
    tools,
    async login(o = {}) {
      const l = await loginAs(t, o);
      return { actor: l.actor, headers: l.headers };
    },
    close: () => t.close(),
  };
}
