import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/harness.ts';
import { loginAs, type Login } from '../../../test/auth.ts';
import { withSystem } from '../../db/tenant.ts';
import { buildChatTools } from '../chat/chat.tools.ts';

/**
 * An org's MCP tools join its toolset as `<server>__<tool>` and run only through the tool gate:
 * approval by default, policy-relaxable, audited, org-scoped.
 */
const fixture = fileURLToPath(new URL('../../../test/fixtures/mcp-server.ts', import.meta.url));
let t: TestApp;
let admin: Login;
let other: Login;

beforeAll(async () => {
  t = await buildTestApp();
  admin = await loginAs(t, { role: 'admin' });
  other = await loginAs(t, { role: 'admin' });
  const server = await t.app.mcp.create(admin.actor, { name: 'fx', transport: 'stdio', command: 'node', args: [fixture] });
  await t.app.mcp.connect(admin.actor, server.id);
});
afterAll(async () => t?.close());

const auditRows = async (orgId: string, tool: string) =>
  withSystem(t.db, (tx) =>
    tx
      .selectFrom('tool_executions')
      .select(['status', 'via', 'approval_id'])
      .where('org_id', '=', orgId)
      .where('tool', '=', tool)
      .orderBy('created_at')
      .execute(),
  );

describe('MCP tools through the tool gate', () => {
  it("are part of the org's toolset and listing, and of no other org's", async () => {
    const names = (await t.app.tools.forOrg(admin.actor.orgId)).map((d) => d.name);
    expect(names).toEqual(expect.arrayContaining(['fx__add', 'fx__echo', 'list_instances']));
    expect((await t.app.tools.forOrg(other.actor.orgId)).some((d) => d.name.startsWith('fx__'))).toBe(false);

    const res = await t.app.inject({ method: 'GET', url: '/api/v1/tools?category=mcp', headers: admin.headers });
    expect(res.statusCode).toBe(200);
    const items = res.json<{ items: { name: string; risk: string; requiresApproval: boolean }[] }>().items;
    expect(items.map((i) => i.name).sort()).toEqual(['fx__add', 'fx__big', 'fx__echo']);
    expect(items.every((i) => i.risk === 'medium' && i.requiresApproval)).toBe(true);
    const described = await t.app.inject({ method: 'GET', url: '/api/v1/tools/fx__add', headers: admin.headers });
    expect(described.json()).toMatchObject({ inputSchema: { properties: { a: { type: 'number' }, b: { type: 'number' } } } });

    const foreign = await t.app.tools.gate.run(other.actor, { tool: 'fx__add', args: { a: 1, b: 2 }, via: 'api' });
    expect(foreign).toMatchObject({ status: 'error', error: { code: 'TOOL_NOT_FOUND', status: 404 } });
  });

  it('need approval by default, then run with it once, audited', async () => {
    const first = await t.app.tools.gate.run(admin.actor, { tool: 'fx__add', args: { a: 2, b: 3 }, via: 'chat' });
    expect(first.status).toBe('pending_approval');
    if (first.status !== 'pending_approval') return;
    await t.app.approvals.decide(admin.actor, first.approval.id, 'approved', 'looks fine');
    const run = await t.app.tools.gate.run(admin.actor, {
      tool: 'fx__add',
      args: { a: 2, b: 3 },
      via: 'chat',
      approvalId: first.approval.id,
    });
    expect(run).toMatchObject({ status: 'ok', output: { content: [{ type: 'text', text: '5' }], truncated: false } });
    const reuse = await t.app.tools.gate.run(admin.actor, {
      tool: 'fx__add',
      args: { a: 2, b: 3 },
      via: 'chat',
      approvalId: first.approval.id,
    });
    expect(reuse.status).toBe('denied');

    await t.app.audit.flush();
    const rows = await auditRows(admin.actor.orgId, 'fx__add');
    expect(rows.map((r) => r.status)).toEqual(['pending_approval', 'ok', 'denied']);
    expect(rows[1]).toMatchObject({ via: 'chat', approval_id: first.approval.id });
  });

  it('validate arguments against the server schema and run without approval when a policy rule allows', async () => {
    const bad = await t.app.tools.gate.run(admin.actor, { tool: 'fx__add', args: { a: 'two' }, via: 'api' });
    expect(bad).toMatchObject({ status: 'error', error: { code: 'VALIDATION_FAILED', status: 400 } });
    if (bad.status === 'error') expect(bad.error.message).toMatch(/args\.a/);

    await t.app.tools.policies.put(admin.actor, { include: ['*'], exclude: [], rules: [{ pattern: 'fx__*', approval: 'never' }] });
    const run = await t.app.tools.gate.run(admin.actor, { tool: 'fx__echo', args: { text: 'hi' }, via: 'api' });
    expect(run).toMatchObject({ status: 'ok', output: { content: [{ type: 'text' }] } });

    await t.app.tools.policies.put(admin.actor, { include: ['*'], exclude: ['fx__echo'], rules: [] });
    const disabled = await t.app.tools.gate.run(admin.actor, { tool: 'fx__echo', args: { text: 'hi' }, via: 'api' });
    expect(disabled).toMatchObject({ status: 'denied', error: { code: 'TOOL_DISABLED' } });
  });

  it("join Charlie's toolset, and asking to run one surfaces an approval request (persisted, via chat)", async () => {
    await t.app.tools.policies.put(admin.actor, { include: ['*'], exclude: [], rules: [] });
    const threadId = '7f1c2a64-3f1e-4b59-9a43-0d2d7f0c1a11';
    const toolset = await buildChatTools({ tools: t.app.tools, approvals: t.app.approvals }, admin.actor, {
      threadId,
      signal: new AbortController().signal,
      granted: new Map(),
    });
    expect(Object.keys(toolset.tools)).toEqual(expect.arrayContaining(['fx__add', 'fx__echo', 'list_instances']));
    const status = await toolset.toolApproval({ toolCall: { toolName: 'fx__add', toolCallId: 'call-1', input: { a: 1, b: 1 } } });
    expect(status).toMatchObject({ type: 'user-approval' });
    const approvalId = toolset.requested.get('call-1')!;
    expect(await t.app.approvals.get(admin.actor, approvalId)).toMatchObject({ tool: 'fx__add', via: 'chat', threadId, status: 'pending' });
  });
});
