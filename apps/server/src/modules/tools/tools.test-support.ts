/**
 * Test support for the tool gate, approvals, audit and MCP tests (imported only by *.test.ts):
 * a small catalogue of tools with known behaviour, actors built directly (service tests), and an
 * app builder whose result works with the auth helpers `loginAs`/`apiKeyFor` (HTTP tests).
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { FastifyInstance } from 'fastify';
import { ROLE_PERMISSIONS, type Actor, type Permission, type Role } from '@cloudnow/shared';
import { defineTool, type ToolDefinition } from '../../cloud/catalogue/types.ts';
import { buildApp } from '../../app.ts';
import { createTestDatabase, testConfig, TEST_SECRET, type TestApp, type TestDatabase } from '../../../test/harness.ts';
import { createOrg } from '../../../test/factories.ts';

/** Calls the test tools saw, for asserting that a tool did (or did not) run. */
export interface ToolProbe {
  calls: Array<{ tool: string; args: unknown; orgId: string }>;
  /** Whether the slow tool saw its signal abort. */
  slowAborted: boolean;
}

/** Tools covering every gate path: read, medium, critical, throwing, slow, 200 KB output. */
export function testTools(probe: ToolProbe = { calls: [], slowAborted: false }): ToolDefinition[] {
  const seen = (tool: string, args: unknown, orgId: string): void => void probe.calls.push({ tool, args, orgId });
  return [
    defineTool({
      name: 'test_list_things',
      description: 'Lists things.',
      category: 'compute',
      risk: 'read',
      changes: '',
      input: z.object({ compartmentId: z.string().min(1), limit: z.number().int().max(100).optional(), password: z.string().optional() }),
      async execute(ctx, args) {
        seen('test_list_things', args, ctx.actor.orgId);
        return { items: [{ id: 'thing-1', compartmentId: args.compartmentId }] };
      },
    }),
    defineTool({
      name: 'test_stop_thing',
      description: 'Stops a thing.',
      category: 'compute',
      risk: 'medium',
      changes: 'Stops the thing.',
      input: z.object({ thingId: z.string().min(1) }),
      async execute(ctx, args) {
        seen('test_stop_thing', args, ctx.actor.orgId);
        return { stopped: args.thingId };
      },
    }),
    defineTool({
      name: 'test_delete_everything',
      description: 'Deletes everything.',
      category: 'identity',
      risk: 'critical',
      changes: 'Deletes everything.',
      input: z.object({ confirm: z.literal(true) }),
      async execute(ctx, args) {
        seen('test_delete_everything', args, ctx.actor.orgId);
        return { deleted: true };
      },
    }),
    defineTool({
      name: 'test_broken',
      description: 'Always fails.',
      category: 'compute',
      risk: 'read',
      changes: '',
      input: z.object({}),
      async execute(ctx) {
        seen('test_broken', {}, ctx.actor.orgId);
        throw new Error('upstream said no');
      },
    }),
    defineTool({
      name: 'test_slow',
      description: 'Sleeps past any deadline and ignores its signal.',
      category: 'compute',
      risk: 'read',
      changes: '',
      input: z.object({}),
      async execute(ctx) {
        seen('test_slow', {}, ctx.actor.orgId);
        ctx.signal.addEventListener('abort', () => (probe.slowAborted = true));
        await new Promise((r) => setTimeout(r, 5_000).unref());
        return { late: true };
      },
    }),
    defineTool({
      name: 'test_big_output',
      description: 'Returns about 200 KB.',
      category: 'logging',
      risk: 'read',
      changes: '',
      input: z.object({}),
      async execute(ctx) {
        seen('test_big_output', {}, ctx.actor.orgId);
        return { items: Array.from({ length: 2000 }, (_, i) => ({ i, line: 'x'.repeat(90) })) };
      },
    }),
  ];
}

/** An actor of `orgId` with a role's permissions (or exactly `permissions`). */
export function actorFor(
  orgId: string,
  role: Role = 'operator',
  permissions?: readonly Permission[],
  via: Actor['via'] = 'session',
): Actor {
  return { userId: `user-${randomUUID().slice(0, 8)}`, orgId, role, permissions: permissions ?? ROLE_PERMISSIONS[role], via };
}

export interface GateTestApp extends TestApp {
  probe: ToolProbe;
}

/**
 * Builds an app like `buildTestApp` (same shape, so `loginAs`/`apiKeyFor` work on it) with the
 * test tools registered. Pass `database` to share one between replicas.
 */
export async function buildGateTestApp(
  opts: { env?: Record<string, string>; database?: TestDatabase; workers?: boolean } = {},
): Promise<GateTestApp> {
  const own = !opts.database;
  const database = opts.database ?? (await createTestDatabase());
  // Load shedding is not under test here (0 disables it): a shared 2-core machine stalls event loops.
  const config = testConfig({ PRESSURE_MAX_EVENT_LOOP_DELAY_MS: '0', ...opts.env });
  const app = await buildApp(config, { secret: TEST_SECRET, logger: false, workers: opts.workers ?? true, database: database.settings });
  await app.ready();
  await app.database.whenReady();
  const probe: ToolProbe = { calls: [], slowAborted: false };
  app.tools.catalogue.register(testTools(probe));
  return {
    app,
    db: app.db,
    config,
    database,
    probe,
    async close() {
      await app.close();
      if (own) await database.drop();
    },
  };
}

/** A fresh org in the app's database. */
export async function newOrg(app: FastifyInstance): Promise<string> {
  return (await createOrg(app.db)).id;
}
