import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Actor } from '@cloudnow/shared';
import { buildApp } from '../../app.ts';
import { TEST_SECRET, createTestDatabase, testConfig, type TestDatabase } from '../../../test/harness.ts';
import { actorInNewOrg } from './test-support.ts';
import type { ToolRequest } from './node-handlers.ts';

/**
 * Test-only: an app with an `x-test-actor` hook standing in for the auth plugin until the identity
 * branch (and its `loginAs`) lands in main. Permissions are therefore not enforced here.
 */
export interface RouteTestApp {
  app: FastifyInstance;
  database: TestDatabase;
  login(actor?: Actor): Promise<{ actor: Actor; headers: Record<string, string> }>;
  calls: ToolRequest[];
  tools: Map<string, (args: Record<string, unknown>) => unknown>;
  close(): Promise<void>;
}

export async function buildRouteApp(
  opts: { workers?: boolean; env?: Record<string, string>; database?: TestDatabase } = {},
): Promise<RouteTestApp> {
  const own = !opts.database;
  const database = opts.database ?? (await createTestDatabase());
  const app = await buildApp(testConfig(opts.env), {
    secret: TEST_SECRET,
    logger: false,
    workers: opts.workers ?? true,
    database: database.settings,
  });
  const actors = new Map<string, Actor>();
  app.addHook('onRequest', async (req) => {
    const key = req.headers['x-test-actor'];
    req.actor = typeof key === 'string' ? (actors.get(key) ?? null) : null;
  });
  await app.ready();
  await app.database.whenReady();
  await app.workflows.ready;
  const calls: ToolRequest[] = [];
  const tools = new Map<string, (args: Record<string, unknown>) => unknown>();
  app.workflows.configure({
    runTool: async (_a, req) => {
      calls.push(req);
      const f = tools.get(req.tool);
      if (!f) throw new Error(`unknown tool ${req.tool}`);
      return f(req.args);
    },
  });
  return {
    app,
    database,
    calls,
    tools,
    async login(actor) {
      const a = actor ?? (await actorInNewOrg(app.db));
      const key = randomUUID();
      actors.set(key, a);
      return { actor: a, headers: { 'x-test-actor': key } };
    },
    async close() {
      await app.close();
      if (own) await database.drop();
    },
  };
}
