import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { Actor } from '@cloudnow/shared';
import { countQueries } from '../../db/query-counter.ts';
import { createSecretBox } from '../../lib/crypto.ts';
import { buildTestApp, TEST_SECRET, type TestApp } from '../../../test/harness.ts';
import { createOrg } from '../../../test/factories.ts';
import { createFixtureServer } from '../../../test/fixtures/mcp-server.ts';
import { createConnectionManager, type ConnectionManager } from './connection-manager.ts';
import { createMcpService, type McpService } from './mcp.service.ts';

const fixture = fileURLToPath(new URL('../../../test/fixtures/mcp-server.ts', import.meta.url));
let t: TestApp;
let http: Server;
let mcpUrl = '';
let connections: ConnectionManager;
let service: McpService;

beforeAll(async () => {
  http = createServer(async (req, res) => {
    const server = createFixtureServer();
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
    res.on('close', () => void transport.close().then(() => server.close()));
    await server.connect(transport);
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString()));
    req.on('end', () => void transport.handleRequest(req, res, raw ? JSON.parse(raw) : undefined));
  });
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  mcpUrl = `http://127.0.0.1:${(http.address() as AddressInfo).port}/mcp`;
  t = await buildTestApp();
  connections = createConnectionManager({ connectTimeoutMs: 15_000 });
  service = createMcpService({
    db: () => t.app.db,
    cache: t.app.cache,
    box: createSecretBox(TEST_SECRET),
    connections,
    stdioCommands: ['node'],
    allowHttpHosts: ['127.0.0.1'],
  });
});
afterAll(async () => {
  await connections.closeAll();
  await t.close();
  await new Promise<void>((r) => http.close(() => r()));
});

async function admin(): Promise<Actor> {
  const org = await createOrg(t.db);
  return { userId: 'u', orgId: org.id, role: 'admin', permissions: ['admin:all'], via: 'session' };
}

describe.each([
  [
    'stdio',
    () => ({ name: 'fixture', transport: 'stdio' as const, command: 'node', args: [fixture], env: { FIXTURE_TOKEN: 'secret-token' } }),
  ],
  ['http', () => ({ name: 'fixture', transport: 'http' as const, url: mcpUrl, headers: { authorization: 'Bearer secret-token' } })],
])('an MCP server over %s', (_kind, input) => {
  it('connects, caches its tools with one DELETE + one INSERT, and calls them', async () => {
    const actor = await admin();
    const created = await service.create(actor, input());
    expect(created).toMatchObject({ hasSecrets: true, status: 'disconnected' });
    expect(JSON.stringify(created)).not.toContain('secret-token');
    const refresh = await countQueries(() => service.connect(actor, created.id));
    expect(refresh.result).toMatchObject({ status: 'connected', toolCount: 3, connected: true });
    const sqls = refresh.statements.map((s) => s.trim().toLowerCase());
    expect(sqls.filter((s) => s.startsWith('delete from "mcp_tools"'))).toHaveLength(1);
    expect(sqls.filter((s) => s.startsWith('insert into "mcp_tools"'))).toHaveLength(1);
    expect(sqls.filter((s) => s.startsWith('insert into "mcp_resources"'))).toHaveLength(1);

    const tools = await service.tools(actor.orgId);
    expect(tools.map((x) => x.qualifiedName)).toEqual(['fixture__add', 'fixture__big', 'fixture__echo']);
    expect((await countQueries(() => service.tools(actor.orgId))).total).toBe(0);
    expect(await service.callTool(actor.orgId, created.id, 'add', { a: 2, b: 3 })).toMatchObject({
      content: [{ type: 'text', text: '5' }],
      isError: false,
    });
    const big = await service.callTool(actor.orgId, created.id, 'big', {});
    expect(big.truncated).toBe(true);
    expect(JSON.stringify(big.content).length).toBeLessThan(110 * 1024);
    expect((await service.resources(actor, created.id)).map((r) => r.uri)).toEqual(['memo://one']);

    await service.disconnect(actor, created.id);
    expect((await service.get(actor, created.id)).connected).toBe(false);
  });
});

describe('bad input', () => {
  it('refuses commands outside the allowlist and private URLs, writing nothing', async () => {
    const actor = await admin();
    await expect(service.create(actor, { name: 'evil', transport: 'stdio', command: 'bash', args: ['-c', 'id'] })).rejects.toMatchObject({
      statusCode: 400,
      message: expect.stringContaining('command'),
    });
    await expect(service.create(actor, { name: 'evil', transport: 'stdio', command: '/usr/bin/node' })).rejects.toMatchObject({
      statusCode: 400,
    });
    const strict = createMcpService({
      db: () => t.app.db,
      cache: t.app.cache,
      box: createSecretBox(TEST_SECRET),
      connections,
      stdioCommands: ['node'],
    });
    await expect(strict.create(actor, { name: 'meta', transport: 'http', url: 'http://169.254.169.254/latest' })).rejects.toMatchObject({
      statusCode: 400,
      message: expect.stringContaining('url'),
    });
    await expect(strict.create(actor, { name: 'local', transport: 'http', url: 'https://127.0.0.1/mcp' })).rejects.toMatchObject({
      statusCode: 400,
    });
    expect((await service.list(actor, { limit: 10, offset: 0 })).total).toBe(0);
  });
});

describe('connection manager', () => {
  it('leaves no entry behind when a connect fails or times out, and caps the clients', async () => {
    const m = createConnectionManager({ connectTimeoutMs: 1500, maxClients: 1 });
    try {
      await expect(m.get({ id: 'dies', transport: 'stdio', command: 'node', args: ['-e', 'process.exit(1)'] })).rejects.toThrow();
      expect([m.size(), m.pending()]).toEqual([0, 0]);
      await expect(
        m.get({ id: 'hangs', transport: 'stdio', command: 'node', args: ['-e', 'setTimeout(() => {}, 60000)'] }),
      ).rejects.toThrow(/timed out/);
      expect([m.size(), m.pending()]).toEqual([0, 0]);
      await m.get({ id: 'ok', transport: 'http', url: mcpUrl });
      expect(m.size()).toBe(1);
      await expect(m.get({ id: 'second', transport: 'http', url: mcpUrl })).rejects.toMatchObject({
        statusCode: 503,
        message: expect.stringContaining('limit'),
      });
      await m.closeIdle();
      expect(m.size()).toBe(1);
    } finally {
      await m.closeAll();
    }
    expect(m.size()).toBe(0);
  });
});
