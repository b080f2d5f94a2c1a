import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Permission, Role } from '@cloudnow/shared';
import { apiKeyFor, loginAs, type Login } from '../../../test/auth.ts';
import { withTenant } from '../../db/tenant.ts';
import { buildGateTestApp, type GateTestApp } from '../tools/tools.test-support.ts';
import { APPROVAL_STATUS_TOOL, META_APPROVAL_ID } from './mcp-server.service.ts';

let t: GateTestApp;
let base: string;
beforeAll(async () => {
  t = await buildGateTestApp();
  base = await t.app.listen({ port: 0, host: '127.0.0.1' });
});
afterAll(async () => t?.close());

const clients: Client[] = [];
afterAll(async () => {
  for (const c of clients) await c.close();
});

const KEY_PERMISSIONS: Permission[] = ['tools:read', 'tools:execute'];

/** A user of a fresh org (or of `org`). */
const login = (role: Role = 'operator', org?: { id: string }) => loginAs(t, { role, ...(org ? { org } : {}) });

/** An MCP client over streamable HTTP, authenticated by an API key of `who`. */
async function connect(who: Login, permissions = KEY_PERMISSIONS): Promise<Client> {
  const { headers } = await apiKeyFor(t, who, permissions);
  const client = new Client({ name: 'cloudnow-test', version: '1.0.0' });
  const transport = new StreamableHTTPClientTransport(new URL(`${base}/api/mcp`), { requestInit: { headers } });
  await client.connect(transport);
  clients.push(client);
  return client;
}
const textOf = (r: Record<string, unknown>): string => (r.content as Array<{ type: string; text: string }>)[0]?.text ?? '';

describe('MCP server at /api/mcp', () => {
  it('lists the catalogue with JSON Schema inputs and the approval-status tool', async () => {
    const client = await connect(await login());
    const { tools } = await client.listTools();
    const names = tools.map((x) => x.name);
    expect(names).toEqual(expect.arrayContaining(['test_list_things', 'test_stop_thing', APPROVAL_STATUS_TOOL]));
    const list = tools.find((x) => x.name === 'test_list_things')!;
    expect(list.inputSchema).toMatchObject({
      type: 'object',
      properties: { compartmentId: { type: 'string' } },
      required: ['compartmentId'],
    });
    expect(list.annotations).toMatchObject({ readOnlyHint: true });
  });

  it('runs a tool through the gate; bad args and unknown tools are error results', async () => {
    const client = await connect(await login());
    const ok = await client.callTool({ name: 'test_list_things', arguments: { compartmentId: 'c9' } });
    expect(ok.isError).toBeFalsy();
    expect(JSON.parse(textOf(ok))).toEqual({ items: [{ id: 'thing-1', compartmentId: 'c9' }] });

    const bad = await client.callTool({ name: 'test_list_things', arguments: { compartmentId: 1 } });
    expect(bad.isError).toBe(true);
    expect(textOf(bad)).toMatch(/^VALIDATION_FAILED: args\.compartmentId: /);
    const unknown = await client.callTool({ name: 'no_such_tool', arguments: {} });
    expect(unknown.isError).toBe(true);
    expect(textOf(unknown)).toMatch(/^TOOL_NOT_FOUND/);
    const broken = await client.callTool({ name: 'test_broken', arguments: {} });
    expect(broken.isError).toBe(true);
    expect(textOf(broken)).toBe('TOOL_FAILED: test_broken: upstream said no');
  });

  it('returns a pending approval the caller polls, then runs once with the granted approval', async () => {
    const caller = await login();
    const client = await connect(caller);
    const pending = await client.callTool({ name: 'test_stop_thing', arguments: { thingId: 'i-7' } });
    expect(pending.isError).toBeFalsy();
    const sc = pending.structuredContent as { status: string; approvalId: string; poll: { rest: string } };
    expect(sc).toMatchObject({ status: 'pending_approval', poll: { rest: `/api/approvals/${sc.approvalId}` } });

    const status = await client.callTool({ name: APPROVAL_STATUS_TOOL, arguments: { approvalId: sc.approvalId } });
    expect(status.structuredContent).toMatchObject({ id: sc.approvalId, status: 'pending' });

    const approver = await login('operator', caller.org);
    const approved = await t.app.inject({ method: 'POST', url: `/api/approvals/${sc.approvalId}/approve`, headers: approver.headers });
    expect(approved.statusCode).toBe(200);
    expect(
      (await client.callTool({ name: APPROVAL_STATUS_TOOL, arguments: { approvalId: sc.approvalId } })).structuredContent,
    ).toMatchObject({
      status: 'approved',
    });

    const call = { name: 'test_stop_thing', arguments: { thingId: 'i-7' }, _meta: { [META_APPROVAL_ID]: sc.approvalId } };
    const run = await client.callTool(call);
    expect(run.isError).toBeFalsy();
    expect(JSON.parse(textOf(run))).toEqual({ stopped: 'i-7' });
    const reuse = await client.callTool(call);
    expect(reuse.isError).toBe(true);
    expect(textOf(reuse)).toMatch(/^APPROVAL_ALREADY_USED/);
  });

  it('answers GET with 405 (stateless server)', async () => {
    const { headers } = await apiKeyFor(t, await login(), KEY_PERMISSIONS);
    const res = await fetch(`${base}/api/mcp`, { headers: { ...headers, accept: 'text/event-stream' } });
    expect(res.status).toBe(405);
  });

  it('refuses a call without credentials (401) and a key without tools:execute runs nothing', async () => {
    const anon = await fetch(`${base}/api/mcp`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
    });
    expect(anon.status).toBe(401);
    const readOnly = await connect(await login(), ['tools:read']);
    const r = await readOnly.callTool({ name: 'test_list_things', arguments: { compartmentId: 'c' } });
    expect(r.isError).toBe(true);
    expect(textOf(r)).toMatch(/^FORBIDDEN: Missing permission tools:execute/);
  });
});

describe('the gate is the only path', () => {
  it('REST and MCP both run tools through the gate (counter and audit via)', async () => {
    const caller = await login();
    const org = caller.org.id;
    const client = await connect(caller);
    const { headers } = await apiKeyFor(t, caller, KEY_PERMISSIONS);
    const before = t.app.tools.gate.stats();
    const ranBefore = t.probe.calls.length;

    const rest = await t.app.inject({
      method: 'POST',
      url: '/api/v1/tools/test_list_things/execute',
      headers,
      payload: { args: { compartmentId: 'r' } },
    });
    expect(rest.statusCode).toBe(200);
    await client.callTool({ name: 'test_list_things', arguments: { compartmentId: 'm' } });
    await client.callTool({ name: 'test_stop_thing', arguments: { thingId: 'x' } });

    const after = t.app.tools.gate.stats();
    expect(after.api - before.api).toBe(1);
    expect(after.mcp - before.mcp).toBe(2);
    expect(t.probe.calls.length - ranBefore).toBe(2);
    await t.app.audit.flush();
    const rows = await withTenant(t.app.db, org, (tx) =>
      tx.selectFrom('tool_executions').select(['via', 'tool', 'status']).orderBy('created_at').execute(),
    );
    expect(rows).toHaveLength(3);
    expect(rows).toEqual(
      expect.arrayContaining([
        { via: 'api', tool: 'test_list_things', status: 'ok' },
        { via: 'mcp', tool: 'test_list_things', status: 'ok' },
        { via: 'mcp', tool: 'test_stop_thing', status: 'pending_approval' },
      ]),
    );
  });
});
