import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '@cloudnow/shared';
import { loginAs } from '../../../test/auth.ts';
import { catalogue } from '../../cloud/catalogue/index.ts';
import { buildGateTestApp, type GateTestApp } from './tools.test-support.ts';

let t: GateTestApp;
beforeAll(async () => {
  t = await buildGateTestApp();
});
afterAll(async () => t?.close());

/** A signed-in user (real session) of a fresh org, or of `orgId`. */
const login = (role: Role = 'operator', orgId?: string) => loginAs(t, { role, ...(orgId ? { org: { id: orgId } } : {}) });
const exec = (headers: Record<string, string>, name: string, payload: unknown) =>
  t.app.inject({ method: 'POST', url: `/api/v1/tools/${name}/execute`, headers, payload: payload as object });

describe('GET /api/v1/tools', () => {
  it('lists the catalogue filtered by risk, with requiresApproval for this org', async () => {
    const { headers } = await login('viewer');
    const res = await t.app.inject({ url: '/api/v1/tools?risk=medium', headers });
    expect(res.statusCode).toBe(200);
    const body = res.json() as { items: Array<{ name: string; risk: string; requiresApproval: boolean }>; total: number };
    expect(body.items.filter((i) => i.name.startsWith('test_')).map((i) => i.name)).toEqual(['test_stop_thing']);
    expect(body.items.every((i) => i.risk === 'medium' && i.requiresApproval)).toBe(true);
    expect(body.total).toBe(body.items.length);
    const all = (await t.app.inject({ url: '/api/v1/tools', headers })).json() as { total: number };
    expect(all.total).toBeGreaterThanOrEqual(60 + 6);
    expect((await t.app.inject({ url: '/api/v1/tools?risk=spicy', headers })).statusCode).toBe(400);
  });

  it('describes one tool with its input as JSON Schema; unknown → 404', async () => {
    const { headers } = await login('viewer');
    const res = await t.app.inject({ url: '/api/v1/tools/test_list_things', headers });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      name: 'test_list_things',
      risk: 'read',
      requiresApproval: false,
      inputSchema: { type: 'object', properties: { compartmentId: { type: 'string' } }, required: ['compartmentId'] },
    });
    const missing = await t.app.inject({ url: '/api/v1/tools/no_such_tool', headers });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ code: 'TOOL_NOT_FOUND' });
  });
});

describe('POST /api/v1/tools/:name/execute', () => {
  it('runs a read tool; bad input is 400 naming the field, 404 unknown, 413 oversized', async () => {
    const { headers } = await login();
    const ok = await exec(headers, 'test_list_things', { args: { compartmentId: 'c1' } });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ status: 'ok', output: { items: [{ id: 'thing-1' }] }, truncated: false });

    const bad = await exec(headers, 'test_list_things', { args: { compartmentId: 'c1', limit: 'many' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringMatching(/^args\.limit: /) });

    expect((await exec(headers, 'nope', { args: {} })).statusCode).toBe(404);
    const big = await exec(headers, 'test_list_things', { args: { compartmentId: 'x'.repeat(70 * 1024) } });
    expect(big.statusCode).toBe(413);
    expect(big.json()).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
    const notObject = await exec(headers, 'test_list_things', { args: 'x' });
    expect(notObject.statusCode).toBe(400);
  });

  it('runs a catalogue tool on the sandbox tenancy through the gate', async () => {
    const { headers } = await login();
    const tool = catalogue.find((x) => x.risk === 'read' && x.category === 'compute' && x.input.safeParse({}).success)!;
    const res = await exec(headers, tool.name, { args: {} });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'ok' });
  });

  it('answers a tool failure as a clean error result, never a 500', async () => {
    const { headers } = await login();
    const res = await exec(headers, 'test_broken', {});
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'error', error: { code: 'TOOL_FAILED', message: 'test_broken: upstream said no' } });
  });

  it('refuses without tools:execute (403)', async () => {
    const { headers } = await login('viewer');
    const res = await exec(headers, 'test_list_things', { args: { compartmentId: 'c' } });
    expect(res.statusCode).toBe(403);
  });

  it('answers 202 with a pending approval; approve; the approval runs the call once, then 409', async () => {
    const op = await login();
    const approver = await login('operator', op.actor.orgId);
    const pending = await exec(op.headers, 'test_stop_thing', { args: { thingId: 'i-1' }, threadId: 'th' });
    expect(pending.statusCode).toBe(202);
    const { approval } = pending.json() as { approval: { id: string; status: string; tool: string } };
    expect(approval).toMatchObject({ status: 'pending', tool: 'test_stop_thing' });

    const list = await t.app.inject({ url: '/api/approvals?limit=10', headers: approver.headers });
    expect(list.json()).toMatchObject({ total: 1, limit: 10, offset: 0, items: [{ id: approval.id }] });

    const approve = await t.app.inject({
      method: 'POST',
      url: `/api/approvals/${approval.id}/approve`,
      headers: approver.headers,
      payload: { reason: 'ok' },
    });
    expect(approve.statusCode).toBe(200);
    expect(approve.json()).toMatchObject({ status: 'approved', decidedBy: approver.actor.userId, reason: 'ok' });
    const again = await t.app.inject({ method: 'POST', url: `/api/approvals/${approval.id}/deny`, headers: approver.headers });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ code: 'APPROVAL_ALREADY_DECIDED' });

    const run = await exec(op.headers, 'test_stop_thing', { args: { thingId: 'i-1' }, approvalId: approval.id });
    expect(run.statusCode).toBe(200);
    expect(run.json()).toMatchObject({ status: 'ok', output: { stopped: 'i-1' }, approvalId: approval.id });
    const reuse = await exec(op.headers, 'test_stop_thing', { args: { thingId: 'i-1' }, approvalId: approval.id });
    expect(reuse.statusCode).toBe(409);
    expect(reuse.json()).toMatchObject({ code: 'APPROVAL_ALREADY_USED' });

    const record = await t.app.inject({ url: `/api/approvals/${approval.id}`, headers: op.headers });
    expect(record.json()).toMatchObject({ status: 'approved', consumedAt: expect.any(String) });
    expect(JSON.stringify(record.json())).not.toContain('hash');
  });

  it("answers 404 for another org's approval (read, approve, use)", async () => {
    const op = await login();
    const stranger = await login('admin');
    const { approval } = (await exec(op.headers, 'test_stop_thing', { args: { thingId: 'i-1' } })).json() as { approval: { id: string } };
    expect((await t.app.inject({ url: `/api/approvals/${approval.id}`, headers: stranger.headers })).statusCode).toBe(404);
    const approve = await t.app.inject({ method: 'POST', url: `/api/approvals/${approval.id}/approve`, headers: stranger.headers });
    expect(approve.statusCode).toBe(404);
    expect(approve.json()).toMatchObject({ code: 'APPROVAL_NOT_FOUND' });
    const use = await exec(stranger.headers, 'test_stop_thing', { args: { thingId: 'i-1' }, approvalId: approval.id });
    expect(use.statusCode).toBe(404);
  });
});

describe('activity and audit', () => {
  it('shows the caller activity, the org audit with filters and the summary; limits are enforced', async () => {
    const admin = await login('admin');
    const op = await login('operator', admin.actor.orgId);
    await exec(op.headers, 'test_list_things', { args: { compartmentId: 'a', password: 'p4ss' } });
    await exec(op.headers, 'test_broken', {});
    await exec(admin.headers, 'test_list_things', { args: { compartmentId: 'b' } });
    await t.app.audit.flush();

    const feed = await t.app.inject({ url: '/api/activity?limit=10', headers: op.headers });
    expect(feed.json()).toMatchObject({ total: 2, limit: 10 });
    expect(JSON.stringify(feed.json())).not.toContain('p4ss');
    const failed = await t.app.inject({ url: '/api/activity?status=error&tool=test_broken', headers: op.headers });
    expect(failed.json()).toMatchObject({ total: 1, items: [{ tool: 'test_broken', status: 'error' }] });
    expect((await t.app.inject({ url: `/api/activity?userId=${admin.actor.userId}`, headers: op.headers })).json().total).toBe(2);

    const audit = await t.app.inject({ url: '/api/audit/tools?status=error', headers: admin.headers });
    expect(audit.json()).toMatchObject({ total: 1, limit: 100, items: [{ tool: 'test_broken', via: 'api', userId: op.actor.userId }] });
    const summary = await t.app.inject({ url: '/api/audit/tools/summary', headers: admin.headers });
    expect(summary.json()).toEqual({ total: 3, byStatus: { ok: 2, error: 1 }, byTool: { test_list_things: 2, test_broken: 1 } });

    expect((await t.app.inject({ url: '/api/audit/tools?limit=1001', headers: admin.headers })).statusCode).toBe(400);
    expect((await t.app.inject({ url: '/api/approvals?limit=501', headers: admin.headers })).statusCode).toBe(400);
    const badStatus = await t.app.inject({ url: '/api/approvals?status=maybe', headers: admin.headers });
    expect(badStatus.statusCode).toBe(400);
    expect(badStatus.json().message).toMatch(/status/);
  });
});

describe('tool policies (admin)', () => {
  it('reads defaults, saves a policy that applies at once, and refuses a non-admin', async () => {
    const admin = await login('admin');
    const def = await t.app.inject({ url: '/api/admin/tool-policies', headers: admin.headers });
    expect(def.json()).toMatchObject({ include: ['*'], exclude: [], rules: [], updatedAt: null });

    const put = await t.app.inject({
      method: 'PUT',
      url: '/api/admin/tool-policies',
      headers: admin.headers,
      payload: { exclude: ['test_broken'], rules: [{ pattern: 'test_stop_*', approval: 'never' }] },
    });
    expect(put.statusCode).toBe(200);
    const tool = await t.app.inject({ url: '/api/v1/tools/test_stop_thing', headers: admin.headers });
    expect(tool.json()).toMatchObject({ approval: 'never', requiresApproval: false, enabled: true });
    expect((await exec(admin.headers, 'test_stop_thing', { args: { thingId: 'i' } })).statusCode).toBe(200);
    const disabled = await exec(admin.headers, 'test_broken', {});
    expect(disabled.statusCode).toBe(403);
    expect(disabled.json()).toMatchObject({ code: 'TOOL_DISABLED' });

    const bad = await t.app.inject({
      method: 'PUT',
      url: '/api/admin/tool-policies',
      headers: admin.headers,
      payload: { rules: [{ pattern: 'x', approval: 'sometimes' }] },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toMatch(/^rules\.0\.approval: /);
    const op = await login('operator', admin.actor.orgId);
    expect((await t.app.inject({ method: 'PUT', url: '/api/admin/tool-policies', headers: op.headers, payload: {} })).statusCode).toBe(403);
  });
});
