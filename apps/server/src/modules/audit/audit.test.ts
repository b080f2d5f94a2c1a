import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import pg from 'pg';
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import { countQueries } from '../../db/query-counter.ts';
import { gracefulShutdown } from '../../lib/shutdown.ts';
import { backend, createTestDatabase, type TestDatabase } from '../../../test/harness.ts';
import { actorFor, buildGateTestApp, newOrg, type GateTestApp } from '../tools/tools.test-support.ts';

let t: GateTestApp;
beforeAll(async () => {
  t = await buildGateTestApp();
});
afterAll(async () => t?.close());

const inserts = (statements: string[]): number => statements.filter((s) => /^\s*insert into "tool_executions"/i.test(s)).length;

describe('audit trail', () => {
  it('writes a 500-execution burst in at most 10 INSERT statements, every row present', async () => {
    const org = await newOrg(t.app);
    const actor = actorFor(org);
    await t.app.tools.policies.get(org);
    const counted = await countQueries(async () => {
      await Promise.all(
        Array.from({ length: 500 }, (_, i) =>
          t.app.tools.gate.run(actor, { tool: 'test_list_things', args: { compartmentId: `c${i}` }, via: 'api' }),
        ),
      );
      await t.app.audit.flush();
    });
    const n = inserts(counted.statements);
    console.log(`audit burst: 500 executions → ${n} INSERT statements, ${counted.total} statements in all`);
    expect(n).toBeGreaterThanOrEqual(1);
    expect(n).toBeLessThanOrEqual(10);
    const page = await t.app.audit.list(actor, {}, { limit: 1000, offset: 0 });
    expect(page.total).toBe(500);
  });

  it('computes the summary (total, by status, by tool) in ONE query', async () => {
    const org = await newOrg(t.app);
    const op = actorFor(org);
    const run = (tool: string, args: Record<string, unknown>) => t.app.tools.gate.run(op, { tool, args, via: 'chat' });
    await run('test_list_things', { compartmentId: 'a' });
    await run('test_list_things', { compartmentId: 'b' });
    await run('test_broken', {});
    await run('test_stop_thing', { thingId: 'x' });
    await run('test_list_things', { compartmentId: 7 });
    await t.app.audit.flush();
    const s = await countQueries(() => t.app.audit.summary(op, {}));
    expect(s.data).toBe(1);
    expect(s.statements.find((q) => /grouping sets/i.test(q))).toBeTruthy();
    expect(s.result).toEqual({
      total: 5,
      byStatus: { ok: 2, error: 1, pending_approval: 1, invalid: 1 },
      byTool: { test_list_things: 3, test_broken: 1, test_stop_thing: 1 },
    });
    const future = await t.app.audit.summary(op, { from: new Date(Date.now() + 60_000) });
    expect(future).toEqual({ total: 0, byStatus: {}, byTool: {} });
  });

  it('reads by thread, by date range and the caller activity feed with LIMIT and the total in one query', async () => {
    const org = await newOrg(t.app);
    const me = actorFor(org);
    const someoneElse = actorFor(org);
    for (let i = 0; i < 4; i++)
      await t.app.tools.gate.run(me, { tool: 'test_list_things', args: { compartmentId: `m${i}` }, via: 'chat', threadId: 'thread-1' });
    await t.app.tools.gate.run(someoneElse, { tool: 'test_list_things', args: { compartmentId: 'o' }, via: 'api', threadId: 'thread-2' });
    await t.app.audit.flush();

    const byThread = await countQueries(() => t.app.audit.list(me, { threadId: 'thread-1' }, { limit: 3, offset: 0 }));
    expect(byThread.data).toBe(1);
    expect(byThread.result.total).toBe(4);
    expect(byThread.result.items).toHaveLength(3);
    expect(byThread.result.items.every((r) => r.threadId === 'thread-1')).toBe(true);

    const feed = await t.app.audit.activity(someoneElse, {}, { limit: 100, offset: 0 });
    expect(feed.total).toBe(1);
    expect(feed.items[0]).toMatchObject({ userId: someoneElse.userId, via: 'api' });

    const none = await t.app.audit.list(me, { to: new Date(Date.now() - 3_600_000) }, { limit: 100, offset: 0 });
    expect(none.total).toBe(0);
    const all = await t.app.audit.list(
      me,
      { from: new Date(Date.now() - 3_600_000), to: new Date(Date.now() + 1000) },
      { limit: 100, offset: 0 },
    );
    expect(all.total).toBe(5);
    const otherOrg = await t.app.audit.list(actorFor(await newOrg(t.app)), {}, { limit: 100, offset: 0 });
    expect(otherOrg.total).toBe(0);
  });

  it('publishes tool.executed on the bus', async () => {
    const org = await newOrg(t.app);
    const got = new Promise((resolve) => {
      const off = t.app.events.subscribe('tool.executed', (p) => {
        if (p.orgId === org) {
          off();
          resolve(p);
        }
      });
    });
    await t.app.tools.gate.run(actorFor(org), { tool: 'test_broken', args: {}, via: 'workflow' });
    expect(await got).toMatchObject({ orgId: org, tool: 'test_broken', status: 'error', via: 'workflow' });
  });
});

/** A database that survives the app closing it, so the test can count rows afterwards. */
async function durableDatabase(): Promise<{ db: TestDatabase; count(orgId: string): Promise<number>; cleanup(): Promise<void> }> {
  if (backend() === 'postgres') {
    const db = await createTestDatabase();
    return {
      db,
      async count(orgId) {
        const c = new pg.Client({ connectionString: db.url! });
        await c.connect();
        const r = await c.query<{ n: number }>('select count(*)::int as n from tool_executions where org_id = $1', [orgId]);
        await c.end();
        return r.rows[0]!.n;
      },
      cleanup: () => db.drop(),
    };
  }
  const dir = await mkdtemp(join(tmpdir(), 'cloudnow-audit-'));
  const template = new Blob([await readFile(inject('pgliteTemplate'))]);
  const pglite = await PGlite.create({ dataDir: dir, loadDataDir: template, extensions: { vector } });
  return {
    db: { settings: { kind: 'pglite-instance', pglite }, url: null, drop: async () => {} },
    async count(orgId) {
      const reopened = await PGlite.create({ dataDir: dir, extensions: { vector } });
      const r = await reopened.query<{ n: number }>('select count(*)::int as n from tool_executions where org_id = $1', [orgId]);
      await reopened.close();
      return r.rows[0]!.n;
    },
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}

describe('audit on shutdown', () => {
  it('loses no row when the server shuts down (SIGTERM path) right after a burst', async () => {
    const durable = await durableDatabase();
    try {
      const app = await buildGateTestApp({ database: durable.db });
      const org = await newOrg(app.app);
      const actor = actorFor(org);
      await app.app.tools.policies.get(org);
      await Promise.all(
        Array.from({ length: 250 }, (_, i) =>
          app.app.tools.gate.run(actor, { tool: 'test_list_things', args: { compartmentId: `c${i}` }, via: 'mcp' }),
        ),
      );
      // Whatever the burst flushed on its own, these wait in the buffer (under 100 rows, under 1 s).
      await app.app.audit.flush();
      for (let i = 0; i < 30; i++) await app.app.tools.gate.run(actor, { tool: 'test_broken', args: {}, via: 'mcp' });
      expect(app.app.audit.buffer.size).toBeGreaterThan(0);
      expect(await gracefulShutdown(app.app, 10_000)).toBe('closed');
      expect(await durable.count(org)).toBe(280);
    } finally {
      await durable.cleanup();
    }
  });
});
