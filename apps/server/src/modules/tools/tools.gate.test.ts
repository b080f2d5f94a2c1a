import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTenant } from '../../db/tenant.ts';
import { createToolGate, type GateResult } from './tools.gate.ts';
import { actorFor, buildGateTestApp, newOrg, testTools, type GateTestApp, type ToolProbe } from './tools.test-support.ts';

let t: GateTestApp;
beforeAll(async () => {
  t = await buildGateTestApp();
});
afterAll(async () => t?.close());

const ran = (tool: string): number => t.probe.calls.filter((c) => c.tool === tool).length;
const auditRows = async (orgId: string) => {
  await t.app.audit.flush();
  return withTenant(t.app.db, orgId, (tx) => tx.selectFrom('tool_executions').selectAll().orderBy('created_at').execute());
};
function expectError(r: GateResult, status: number, code: string): string {
  if (r.status === 'ok' || r.status === 'pending_approval') throw new Error(`expected ${code}, got ${r.status}`);
  expect(r.error).toMatchObject({ status, code });
  return r.error.message;
}

describe('tool gate', () => {
  it('runs a read tool, returns its output and audits it with redacted args', async () => {
    const org = await newOrg(t.app);
    const actor = actorFor(org, 'viewer', ['tools:read', 'tools:execute']);
    const r = await t.app.tools.gate.run(actor, {
      tool: 'test_list_things',
      args: { compartmentId: 'c1', password: 'hunter2' },
      via: 'chat',
      threadId: 'th-1',
    });
    expect(r).toMatchObject({ status: 'ok', truncated: false, output: { items: [{ id: 'thing-1', compartmentId: 'c1' }] } });
    const rows = await auditRows(org);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ tool: 'test_list_things', via: 'chat', status: 'ok', user_id: actor.userId, thread_id: 'th-1' });
    expect(rows[0]!.args).toEqual({ compartmentId: 'c1', password: '[redacted]' });
  });

  it('answers 404 TOOL_NOT_FOUND for an unknown tool and runs nothing', async () => {
    const org = await newOrg(t.app);
    const r = await t.app.tools.gate.run(actorFor(org), { tool: 'nope_tool', args: {}, via: 'api' });
    expectError(r, 404, 'TOOL_NOT_FOUND');
  });

  it('answers 400 naming the field when args fail the schema, without running the tool', async () => {
    const org = await newOrg(t.app);
    const before = ran('test_list_things');
    const r = await t.app.tools.gate.run(actorFor(org), { tool: 'test_list_things', args: { compartmentId: 42 }, via: 'api' });
    expect(expectError(r, 400, 'VALIDATION_FAILED')).toMatch(/^args\.compartmentId: /);
    expect(ran('test_list_things')).toBe(before);
    expect((await auditRows(org))[0]).toMatchObject({ status: 'invalid', error_code: 'VALIDATION_FAILED' });
  });

  it('answers 413 for args over 64 KB and does not store them', async () => {
    const org = await newOrg(t.app);
    const r = await t.app.tools.gate.run(actorFor(org), {
      tool: 'test_list_things',
      args: { compartmentId: 'x'.repeat(70_000) },
      via: 'api',
    });
    expectError(r, 413, 'PAYLOAD_TOO_LARGE');
    expect((await auditRows(org))[0]!.args).toEqual({ omitted: 'args too large' });
  });

  it('denies without tools:execute, and a critical tool without tools:danger', async () => {
    const org = await newOrg(t.app);
    expectError(
      await t.app.tools.gate.run(actorFor(org, 'viewer'), { tool: 'test_list_things', args: { compartmentId: 'c' }, via: 'api' }),
      403,
      'FORBIDDEN',
    );
    const msg = expectError(
      await t.app.tools.gate.run(actorFor(org, 'operator'), { tool: 'test_delete_everything', args: { confirm: true }, via: 'api' }),
      403,
      'FORBIDDEN',
    );
    expect(msg).toMatch(/tools:danger/);
    const admin = await t.app.tools.gate.run(actorFor(org, 'admin'), {
      tool: 'test_delete_everything',
      args: { confirm: true },
      via: 'api',
    });
    expect(admin.status).toBe('pending_approval');
    expect(ran('test_delete_everything')).toBe(0);
  });

  it('asks for approval on a medium tool, runs once with the granted approval, refuses a second use', async () => {
    const org = await newOrg(t.app);
    const op = actorFor(org);
    const approver = actorFor(org);
    const before = ran('test_stop_thing');
    const first = await t.app.tools.gate.run(op, { tool: 'test_stop_thing', args: { thingId: 'i-1' }, via: 'api' });
    if (first.status !== 'pending_approval') throw new Error(first.status);
    expect(first.approval).toMatchObject({ tool: 'test_stop_thing', status: 'pending', args: { thingId: 'i-1' }, requestedBy: op.userId });
    expect(ran('test_stop_thing')).toBe(before);

    const pendingUse = await t.app.tools.gate.run(op, {
      tool: 'test_stop_thing',
      args: { thingId: 'i-1' },
      via: 'api',
      approvalId: first.approval.id,
    });
    expectError(pendingUse, 409, 'APPROVAL_PENDING');

    await t.app.approvals.decide(approver, first.approval.id, 'approved');
    const other = await t.app.tools.gate.run(op, {
      tool: 'test_stop_thing',
      args: { thingId: 'i-2' },
      via: 'api',
      approvalId: first.approval.id,
    });
    expectError(other, 409, 'APPROVAL_MISMATCH');

    const [a, b] = await Promise.all([
      t.app.tools.gate.run(op, { tool: 'test_stop_thing', args: { thingId: 'i-1' }, via: 'api', approvalId: first.approval.id }),
      t.app.tools.gate.run(op, { tool: 'test_stop_thing', args: { thingId: 'i-1' }, via: 'api', approvalId: first.approval.id }),
    ]);
    expect([a.status, b.status].sort()).toEqual(['denied', 'ok']);
    expectError(a.status === 'ok' ? b : a, 409, 'APPROVAL_ALREADY_USED');
    expect(ran('test_stop_thing')).toBe(before + 1);
    const okRow = (await auditRows(org)).find((r) => r.status === 'ok')!;
    expect(okRow).toMatchObject({ approval_id: first.approval.id, approver_id: approver.userId });
  });

  it('refuses a denied approval with 403 APPROVAL_DENIED', async () => {
    const org = await newOrg(t.app);
    const op = actorFor(org);
    const p = await t.app.tools.gate.run(op, { tool: 'test_stop_thing', args: { thingId: 'i-9' }, via: 'api' });
    if (p.status !== 'pending_approval') throw new Error(p.status);
    await t.app.approvals.decide(actorFor(org), p.approval.id, 'denied', 'not today');
    expectError(
      await t.app.tools.gate.run(op, { tool: 'test_stop_thing', args: { thingId: 'i-9' }, via: 'api', approvalId: p.approval.id }),
      403,
      'APPROVAL_DENIED',
    );
  });

  it('applies the org policy: globs disable tools, rules override the risk default, changes apply at once', async () => {
    const org = await newOrg(t.app);
    const admin = actorFor(org, 'admin');
    const run = (tool: string, args: Record<string, unknown>, threadId?: string) =>
      t.app.tools.gate.run(admin, { tool, args, via: 'chat', threadId });
    expect((await run('test_list_things', { compartmentId: 'c' })).status).toBe('ok');

    await t.app.tools.policies.put(admin, {
      include: ['test_*'],
      exclude: ['test_list_*'],
      rules: [{ pattern: 'test_stop_*', approval: 'never' }],
    });
    expectError(await run('test_list_things', { compartmentId: 'c' }), 403, 'TOOL_DISABLED');
    expect((await run('test_stop_thing', { thingId: 'i-1' })).status).toBe('ok');

    await t.app.tools.policies.put(admin, {
      include: ['*'],
      exclude: [],
      rules: [{ pattern: 'test_stop_thing', approval: 'once_per_thread' }],
    });
    const p = await run('test_stop_thing', { thingId: 'i-1' }, 'thread-a');
    if (p.status !== 'pending_approval') throw new Error(p.status);
    await t.app.approvals.decide(admin, p.approval.id, 'approved');
    expect((await run('test_stop_thing', { thingId: 'i-2' }, 'thread-a')).status).toBe('ok');
    expect((await run('test_stop_thing', { thingId: 'i-3' }, 'thread-a')).status).toBe('ok');
    expect((await run('test_stop_thing', { thingId: 'i-4' }, 'thread-b')).status).toBe('pending_approval');
    expect((await run('test_stop_thing', { thingId: 'i-5' })).status).toBe('pending_approval');

    await t.app.tools.policies.put(admin, { include: ['*'], exclude: [], rules: [{ pattern: 'test_list_things', approval: 'always' }] });
    expect((await run('test_list_things', { compartmentId: 'c' })).status).toBe('pending_approval');
  });

  it('turns a throwing tool into a clean error result and an audit row', async () => {
    const org = await newOrg(t.app);
    const r = await t.app.tools.gate.run(actorFor(org), { tool: 'test_broken', args: {}, via: 'workflow' });
    expect(expectError(r, 502, 'TOOL_FAILED')).toContain('upstream said no');
    expect((await auditRows(org))[0]).toMatchObject({ status: 'error', error_code: 'TOOL_FAILED', via: 'workflow' });
  });

  it('caps output at 100 KB with a JSON-safe note', async () => {
    const org = await newOrg(t.app);
    const r = await t.app.tools.gate.run(actorFor(org), { tool: 'test_big_output', args: {}, via: 'api' });
    if (r.status !== 'ok') throw new Error(r.status);
    expect(r.truncated).toBe(true);
    const text = JSON.stringify(r.output);
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(100 * 1024);
    const out = JSON.parse(text) as { truncated: boolean; note: string; items: unknown[] };
    expect(out.truncated).toBe(true);
    expect(out.note).toMatch(/showing \d+ of 2000 items/);
    expect(out.items.length).toBeGreaterThan(500);
  });

  describe('deadline', () => {
    const probe: ToolProbe = { calls: [], slowAborted: false };
    const gate = () =>
      createToolGate({
        tools: testTools(probe),
        cloud: () => ({}) as never,
        policies: t.app.tools.policies,
        approvals: t.app.approvals,
        audit: t.app.audit,
        log: t.app.log,
        timeoutMs: 50,
      });

    it('stops waiting for a tool at the deadline and aborts its signal', async () => {
      const org = await newOrg(t.app);
      const r = await gate().run(actorFor(org), { tool: 'test_slow', args: {}, via: 'api' });
      expect(expectError(r, 504, 'TOOL_TIMEOUT')).toMatch(/50 ms/);
      expect(probe.slowAborted).toBe(true);
      expect((await auditRows(org))[0]).toMatchObject({ status: 'error', error_code: 'TOOL_TIMEOUT' });
    });

    it('aborts when the caller aborts', async () => {
      const org = await newOrg(t.app);
      const ac = new AbortController();
      const pending = t.app.tools.gate.run(actorFor(org), { tool: 'test_slow', args: {}, via: 'chat', signal: ac.signal });
      setTimeout(() => ac.abort(), 10);
      expectError(await pending, 499, 'TOOL_ABORTED');
    });
  });
});
