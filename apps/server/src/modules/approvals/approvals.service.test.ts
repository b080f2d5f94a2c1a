import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { withSystem } from '../../db/tenant.ts';
import { countQueries } from '../../db/query-counter.ts';
import { backend } from '../../../test/harness.ts';
import { hashArgs } from '../tools/tools.gate.ts';
import { actorFor, buildGateTestApp, newOrg, type GateTestApp } from '../tools/tools.test-support.ts';
import { createApprovalService, type ApprovalService } from './approvals.service.ts';
import { EXPIRE_CRON } from './approvals.plugin.ts';

let t: GateTestApp;
beforeAll(async () => {
  t = await buildGateTestApp();
});
afterAll(async () => t?.close());

const request = (svc: ApprovalService, orgId: string, threadId?: string) =>
  svc.request(actorFor(orgId), {
    tool: 'test_stop_thing',
    args: { thingId: 'i-1' },
    argsHash: hashArgs({ thingId: 'i-1' }),
    risk: 'medium',
    via: 'api',
    threadId,
  });
const backdate = (id: string) =>
  withSystem(t.app.db, (tx) =>
    tx
      .updateTable('tool_approvals')
      .set({ expires_at: sql<Date>`now() - interval '1 second'` })
      .where('id', '=', id)
      .execute(),
  );

describe('approvals', () => {
  it('is decided once: a second decision is 409 APPROVAL_ALREADY_DECIDED and the record stays readable', async () => {
    const org = await newOrg(t.app);
    const a = await request(t.app.approvals, org);
    expect(a).toMatchObject({ status: 'pending', decidedBy: null });
    expect(a.expiresAt.getTime() - a.createdAt.getTime()).toBeGreaterThan(4.9 * 60_000);
    const approver = actorFor(org);
    const decided = await t.app.approvals.decide(approver, a.id, 'denied', 'too risky');
    expect(decided).toMatchObject({ status: 'denied', decidedBy: approver.userId, reason: 'too risky' });
    await expect(t.app.approvals.decide(approver, a.id, 'approved')).rejects.toMatchObject({
      statusCode: 409,
      code: 'APPROVAL_ALREADY_DECIDED',
    });
    expect(await t.app.approvals.get(approver, a.id)).toMatchObject({ status: 'denied', reason: 'too risky' });
  });

  it('answers 410 APPROVAL_EXPIRED past the TTL, before and after the sweep', async () => {
    const org = await newOrg(t.app);
    const a = await request(t.app.approvals, org);
    const b = await request(t.app.approvals, org);
    await backdate(a.id);
    await backdate(b.id);
    await expect(t.app.approvals.decide(actorFor(org), a.id, 'approved')).rejects.toMatchObject({
      statusCode: 410,
      code: 'APPROVAL_EXPIRED',
    });
    const swept = await countQueries(() => t.app.approvals.expireDue());
    expect(swept.result).toBeGreaterThanOrEqual(2);
    expect(swept.statements.filter((s) => /^update "tool_approvals"/i.test(s))).toHaveLength(1);
    await expect(t.app.approvals.decide(actorFor(org), b.id, 'approved')).rejects.toMatchObject({ statusCode: 410 });
    expect((await t.app.approvals.get(actorFor(org), b.id)).status).toBe('expired');
  });

  it('answers 404 for another org approval (read and decide) and for a malformed id', async () => {
    const org = await newOrg(t.app);
    const other = await newOrg(t.app);
    const a = await request(t.app.approvals, org);
    await expect(t.app.approvals.get(actorFor(other), a.id)).rejects.toMatchObject({ statusCode: 404, code: 'APPROVAL_NOT_FOUND' });
    await expect(t.app.approvals.decide(actorFor(other), a.id, 'approved')).rejects.toMatchObject({ statusCode: 404 });
    await expect(t.app.approvals.get(actorFor(org), 'not-a-uuid')).rejects.toMatchObject({ statusCode: 404 });
    expect((await t.app.approvals.get(actorFor(org), a.id)).status).toBe('pending');
  });

  it('needs tools:approve to decide', async () => {
    const org = await newOrg(t.app);
    const a = await request(t.app.approvals, org);
    await expect(t.app.approvals.decide(actorFor(org, 'viewer'), a.id, 'approved')).rejects.toMatchObject({ statusCode: 403 });
  });

  it('is single use: two concurrent consumers, exactly one wins', async () => {
    const org = await newOrg(t.app);
    const a = await request(t.app.approvals, org);
    await t.app.approvals.decide(actorFor(org), a.id, 'approved');
    const hash = hashArgs({ thingId: 'i-1' });
    const results = await Promise.allSettled([
      t.app.approvals.consume(actorFor(org), a.id, 'test_stop_thing', hash),
      t.app.approvals.consume(actorFor(org), a.id, 'test_stop_thing', hash),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const lost = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(lost.reason).toMatchObject({ statusCode: 409, code: 'APPROVAL_ALREADY_USED' });
  });

  it('lists pending approvals with LIMIT and the total from the same query', async () => {
    const org = await newOrg(t.app);
    for (let i = 0; i < 5; i++) await request(t.app.approvals, org);
    const decided = await request(t.app.approvals, org);
    await t.app.approvals.decide(actorFor(org), decided.id, 'approved');
    const page = await countQueries(() => t.app.approvals.listPending(actorFor(org), { limit: 2, offset: 2 }));
    expect(page.result.total).toBe(5);
    expect(page.result.items).toHaveLength(2);
    expect(page.data).toBe(1);
    expect(page.statements.find((s) => /tool_approvals/.test(s))).toMatch(/count\(\*\) over\(\).*limit/is);
  });

  it('filters by status, tool and via; the non-pending lists come newest first', async () => {
    const org = await newOrg(t.app);
    const a = await request(t.app.approvals, org);
    const b = await request(t.app.approvals, org);
    await request(t.app.approvals, org);
    await t.app.approvals.decide(actorFor(org), a.id, 'approved');
    await t.app.approvals.decide(actorFor(org), b.id, 'denied', 'not now');
    const list = (query: Record<string, string>) => t.app.approvals.list(actorFor(org), query, { limit: 50, offset: 0 });
    expect((await list({ status: 'pending' })).total).toBe(1);
    expect((await list({ status: 'approved' })).items.map((i) => i.id)).toEqual([a.id]);
    expect((await list({ status: 'denied' })).items[0]).toMatchObject({ id: b.id, reason: 'not now' });
    expect((await list({ status: 'all' })).items.map((i) => i.id).slice(0, 2)).toEqual([expect.any(String), b.id]);
    expect((await list({ status: 'all', tool: 'no_such_tool' })).total).toBe(0);
    expect((await list({ status: 'all', via: 'workflow' })).total).toBe(0);
  });

  describe('waitForDecision', () => {
    it('wakes when the approval is decided', async () => {
      const org = await newOrg(t.app);
      const a = await request(t.app.approvals, org);
      const waiting = t.app.approvals.waitForDecision({ orgId: org }, a.id);
      await new Promise((r) => setTimeout(r, 20));
      await t.app.approvals.decide(actorFor(org), a.id, 'approved');
      expect(await waiting).toMatchObject({ id: a.id, status: 'approved' });
      expect(t.app.events.listenerCount()).toBeLessThan(50);
    });

    it('resolves at once for an approval decided before the wait began (no lost wake-up)', async () => {
      const org = await newOrg(t.app);
      const a = await request(t.app.approvals, org);
      await t.app.approvals.decide(actorFor(org), a.id, 'denied');
      expect(await t.app.approvals.waitForDecision({ orgId: org }, a.id)).toMatchObject({ status: 'denied' });
    });

    it('resolves as expired at the TTL even without the sweep, and rejects on abort', async () => {
      const shortLived = createApprovalService({ db: () => t.app.db, events: t.app.events, log: t.app.log, ttlMs: 100 });
      const org = await newOrg(t.app);
      const a = await request(shortLived, org);
      expect(await shortLived.waitForDecision({ orgId: org }, a.id)).toMatchObject({ status: 'expired' });
      const b = await request(t.app.approvals, org);
      const ac = new AbortController();
      const waiting = t.app.approvals.waitForDecision({ orgId: org }, b.id, ac.signal);
      ac.abort(new Error('client went away'));
      await expect(waiting).rejects.toThrow('client went away');
    });
  });

  it('expires through the pg-boss job scheduled every minute', async () => {
    // The schedule is written by a database-ready callback that may still be running: poll it briefly.
    let schedule: { cron: string } | undefined;
    for (let i = 0; i < 40 && !schedule; i++) {
      schedule = (await t.app.jobs.boss.getSchedules()).find((s) => s.name === 'approvals.expire');
      if (!schedule) await new Promise((r) => setTimeout(r, 50));
    }
    expect(schedule).toMatchObject({ cron: EXPIRE_CRON });
    const org = await newOrg(t.app);
    const a = await request(t.app.approvals, org);
    await backdate(a.id);
    // Only the sweep publishes `approval.decided` with status expired (a waiter alone would just read it as expired).
    const published = new Promise((resolve) => {
      const off = t.app.events.subscribe('approval.decided', (p) => {
        if (p.approvalId === a.id) {
          off();
          resolve(p);
        }
      });
    });
    await t.app.jobs.send('approvals.expire', {});
    expect(await published).toMatchObject({ orgId: org, status: 'expired', decidedBy: null });
    const row = await withSystem(t.app.db, (tx) =>
      tx.selectFrom('tool_approvals').select(['status']).where('id', '=', a.id).executeTakeFirstOrThrow(),
    );
    expect(row.status).toBe('expired');
  });
});

describe('cross-replica wake-up', () => {
  const crossReplica = backend() === 'postgres' && !!process.env.VALKEY_URL;
  it(
    crossReplica
      ? 'approve on replica B wakes a waiter on replica A; a policy saved on B reaches A'
      : 'approve wakes a waiter (one instance: no Valkey/PostgreSQL here)',
    async () => {
      if (!crossReplica) {
        console.log(
          'cross-replica: running within one instance — two replicas need PostgreSQL (shared database) and VALKEY_URL (shared bus)',
        );
        const org = await newOrg(t.app);
        const a = await request(t.app.approvals, org);
        const waiting = t.app.approvals.waitForDecision({ orgId: org }, a.id);
        await t.app.approvals.decide(actorFor(org), a.id, 'approved');
        expect(await waiting).toMatchObject({ status: 'approved' });
        return;
      }
      const env = { VALKEY_PREFIX: `cn-test:xr-${Date.now()}:` };
      const a = await buildGateTestApp({ env, workers: false });
      const b = await buildGateTestApp({ env, database: a.database, workers: false });
      try {
        const org = await newOrg(a.app);
        const approval = await request(a.app.approvals, org);
        const waiting = a.app.approvals.waitForDecision({ orgId: org }, approval.id);
        await new Promise((r) => setTimeout(r, 100));
        let woke = false;
        void waiting.then(() => (woke = true));
        await b.app.approvals.decide(actorFor(org), approval.id, 'approved');
        expect(await waiting).toMatchObject({ id: approval.id, status: 'approved' });
        expect(woke).toBe(true);
        expect(a.app.events.mode).toBe('valkey');

        // A policy saved on B invalidates A's cached copy: A's gate refuses the now-disabled tool.
        const actor = actorFor(org, 'admin');
        const run = (app: GateTestApp) =>
          app.app.tools.gate.run(actor, { tool: 'test_list_things', args: { compartmentId: 'c' }, via: 'api' });
        expect((await run(a)).status).toBe('ok');
        const invalidated = new Promise<void>((resolve) => {
          const off = a.app.events.subscribe('cache.invalidate', (p) => {
            if (p.key === `policy:${org}`) {
              off();
              resolve();
            }
          });
        });
        await b.app.tools.policies.put(actor, { include: ['*'], exclude: ['test_list_*'], rules: [] });
        await invalidated;
        expect(await run(a)).toMatchObject({ status: 'denied', error: { code: 'TOOL_DISABLED' } });
      } finally {
        await b.close();
        await a.close();
      }
    },
  );
});
