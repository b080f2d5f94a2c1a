import { basename } from 'node:path';
import type { Kysely } from 'kysely';
import type { Actor } from '@cloudnow/shared';
import type { DB } from '../../db/schema.ts';
import { withTenant } from '../../db/tenant.ts';
import type { SecretBox } from '../../lib/crypto.ts';
import { assertPublicUrl, type ResolveHost } from '../../lib/ssrf.ts';
import type { Cache } from '../../plugins/cache.ts';
import { BadRequest, Conflict, NotFound } from '../../errors.ts';
import type { ConnectionManager, McpEndpoint } from './connection-manager.ts';
import * as repo from './mcp.repository.ts';
import type { ServerRow } from './mcp.repository.ts';
import type { McpTransport } from './mcp.tables.ts';

/** Input of POST /api/admin/mcp/servers. */
export interface ServerInput {
  name: string;
  transport: McpTransport;
  command?: string | undefined;
  args?: string[] | undefined;
  env?: Record<string, string> | undefined;
  url?: string | undefined;
  headers?: Record<string, string> | undefined;
  enabled?: boolean | undefined;
}

/** A discovered MCP tool as the agent sees it: `<server>__<tool>`. */
export interface McpToolInfo {
  qualifiedName: string;
  serverId: string;
  serverName: string;
  name: string;
  description: string;
  inputSchema: Record<string, unknown>;
}

export interface McpServerView {
  id: string;
  name: string;
  transport: McpTransport;
  command: string | null;
  args: string[];
  url: string | null;
  hasSecrets: boolean;
  enabled: boolean;
  status: string;
  lastError: string | null;
  toolCount: number;
  connected: boolean;
  uptimeSeconds: number | null;
}

export interface McpDeps {
  db: () => Kysely<DB>;
  cache: Pick<Cache, 'getOrFetch' | 'del'>;
  box: Pick<SecretBox, 'seal' | 'open'>;
  connections: ConnectionManager;
  stdioCommands: readonly string[];
  allowHttpHosts?: readonly string[];
  resolve?: ResolveHost;
}

/** Tool results above this are truncated (the same cap as the catalogue's tools). */
export const MCP_RESULT_MAX_BYTES = 100 * 1024;
const NAME = /^[a-z][a-z0-9-]{0,39}$/;
const ctxOf = (id: string): string => `mcp:${id}:secrets`;

/**
 * MCP connections (CloudNow as an MCP client): admin-managed servers per org (stdio commands from
 * an allowlist; HTTP/SSE URLs through the SSRF guard; credentials sealed), connect/disconnect/
 * restart/health, the discovered catalogue cached in the database (one DELETE + one INSERT per
 * refresh) and served through `cache.getOrFetch`, and tool calls with a 100 KB result cap.
 */
export function createMcpService(deps: McpDeps) {
  const db = deps.db;
  const cacheKey = (orgId: string): string => `tools:${orgId}`;

  async function validate(input: ServerInput): Promise<void> {
    if (!NAME.test(input.name)) throw new BadRequest('name: lowercase letters, digits and dashes, starting with a letter (max 40)');
    if (input.transport === 'stdio') {
      if (!input.command) throw new BadRequest('command: required for stdio servers');
      const exe = basename(input.command);
      if (exe !== input.command || !deps.stdioCommands.includes(exe)) {
        throw new BadRequest(`command: "${input.command}" is not in the allowed commands (${deps.stdioCommands.join(', ')})`);
      }
    } else {
      if (!input.url) throw new BadRequest('url: required for http and sse servers');
      await assertPublicUrl(input.url, {
        field: 'url',
        ...(deps.allowHttpHosts ? { allowHttpHosts: deps.allowHttpHosts } : {}),
        ...(deps.resolve ? { resolve: deps.resolve } : {}),
      });
    }
  }

  function endpointOf(row: ServerRow): McpEndpoint {
    const secrets = row.secrets_sealed
      ? (JSON.parse(deps.box.open(row.secrets_sealed, ctxOf(row.id))) as { env?: Record<string, string>; headers?: Record<string, string> })
      : {};
    return {
      id: row.id,
      transport: row.transport,
      command: row.command,
      args: row.args,
      url: row.url,
      ...(secrets.env ? { env: secrets.env } : {}),
      ...(secrets.headers ? { headers: secrets.headers } : {}),
    };
  }

  function toView(row: ServerRow): McpServerView {
    const since = deps.connections.connectedAt(row.id);
    return {
      id: row.id,
      name: row.name,
      transport: row.transport,
      command: row.command,
      args: row.args,
      url: row.url,
      hasSecrets: row.secrets_sealed !== null,
      enabled: row.enabled,
      status: since ? 'connected' : row.status,
      lastError: row.last_error,
      toolCount: row.tool_count,
      connected: since !== null,
      uptimeSeconds: since ? Math.round((Date.now() - since) / 1000) : null,
    };
  }

  async function server(orgId: string, id: string): Promise<ServerRow> {
    const row = await withTenant(db(), orgId, (tx) => repo.findServer(tx, orgId, id));
    if (!row) throw new NotFound(`MCP server ${id}`);
    return row;
  }

  return {
    async create(actor: Actor, input: ServerInput): Promise<McpServerView> {
      await validate(input);
      const id = crypto.randomUUID();
      const hasSecrets = input.env || input.headers;
      try {
        const row = await withTenant(db(), actor.orgId, (tx) =>
          repo.insertServer(tx, {
            id,
            org_id: actor.orgId,
            name: input.name,
            transport: input.transport,
            command: input.transport === 'stdio' ? input.command! : null,
            args: input.args ?? [],
            url: input.transport === 'stdio' ? null : input.url!,
            secrets_sealed: hasSecrets ? deps.box.seal(JSON.stringify({ env: input.env, headers: input.headers }), ctxOf(id)) : null,
            enabled: input.enabled ?? true,
          }),
        );
        return toView(row);
      } catch (err) {
        if ((err as { code?: string }).code === '23505') throw new Conflict(`An MCP server named ${input.name} already exists`);
        throw err;
      }
    },

    async list(actor: Actor, page: { limit: number; offset: number }): Promise<{ items: McpServerView[]; total: number }> {
      const r = await withTenant(db(), actor.orgId, (tx) => repo.listServers(tx, actor.orgId, page));
      return { items: r.items.map(toView), total: r.total };
    },

    async get(actor: Actor, id: string): Promise<McpServerView> {
      return toView(await server(actor.orgId, id));
    },

    async remove(actor: Actor, id: string): Promise<void> {
      await deps.connections.disconnect(id);
      const ok = await withTenant(db(), actor.orgId, (tx) => repo.deleteServer(tx, actor.orgId, id));
      if (!ok) throw new NotFound(`MCP server ${id}`);
      await deps.cache.del('mcp', cacheKey(actor.orgId));
    },

    async setEnabled(actor: Actor, id: string, enabled: boolean): Promise<McpServerView> {
      if (!enabled) await deps.connections.disconnect(id);
      const row = await withTenant(db(), actor.orgId, (tx) =>
        repo.updateServer(tx, actor.orgId, id, { enabled, ...(enabled ? {} : { status: 'disabled' }) }),
      );
      if (!row) throw new NotFound(`MCP server ${id}`);
      await deps.cache.del('mcp', cacheKey(actor.orgId));
      return toView(row);
    },

    /** Connects (if needed) and refreshes the discovered tools and resources. */
    async connect(actor: Actor, id: string): Promise<McpServerView> {
      const row = await server(actor.orgId, id);
      if (!row.enabled) throw new Conflict(`MCP server ${row.name} is disabled`);
      try {
        if (row.transport !== 'stdio') await validate({ name: row.name, transport: row.transport, url: row.url ?? '' });
        const client = await deps.connections.get(endpointOf(row));
        const tools = (await client.listTools()).tools;
        const resources = client.getServerCapabilities()?.resources ? (await client.listResources()).resources : [];
        const updated = await withTenant(db(), actor.orgId, async (tx) => {
          await repo.replaceTools(
            tx,
            actor.orgId,
            id,
            tools.map((t) => ({ name: t.name, description: t.description ?? '', inputSchema: t.inputSchema })),
          );
          await repo.replaceResources(
            tx,
            actor.orgId,
            id,
            resources.map((r) => ({ uri: r.uri, name: r.name, mimeType: r.mimeType })),
          );
          return repo.updateServer(tx, actor.orgId, id, {
            status: 'connected',
            last_error: null,
            tool_count: Math.min(tools.length, repo.TOOLS_MAX),
            connected_at: new Date(),
          });
        });
        await deps.cache.del('mcp', cacheKey(actor.orgId));
        return toView(updated!);
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        await withTenant(db(), actor.orgId, (tx) =>
          repo.updateServer(tx, actor.orgId, id, { status: 'error', last_error: message.slice(0, 500) }),
        );
        throw err;
      }
    },

    async disconnect(actor: Actor, id: string): Promise<McpServerView> {
      await server(actor.orgId, id);
      await deps.connections.disconnect(id);
      const row = await withTenant(db(), actor.orgId, (tx) => repo.updateServer(tx, actor.orgId, id, { status: 'disconnected' }));
      return toView(row!);
    },

    async restart(actor: Actor, id: string): Promise<McpServerView> {
      await deps.connections.disconnect(id);
      return this.connect(actor, id);
    },

    /** The org's discovered MCP tools (through the cache; invalidated on every refresh or change). */
    tools(orgId: string): Promise<McpToolInfo[]> {
      return deps.cache.getOrFetch('mcp', cacheKey(orgId), async () =>
        (await withTenant(db(), orgId, (tx) => repo.listTools(tx, orgId))).map((t) => ({
          qualifiedName: `${t.server_name}__${t.name}`,
          serverId: t.server_id,
          serverName: t.server_name,
          name: t.name,
          description: t.description,
          inputSchema: t.input_schema,
        })),
      );
    },

    async resources(actor: Actor, id: string) {
      await server(actor.orgId, id);
      return withTenant(db(), actor.orgId, (tx) => repo.listResources(tx, actor.orgId, id));
    },

    /**
     * Calls a discovered tool. Callers outside this module go through the tool gate (policy,
     * approval, audit); the gate calls this. The result is capped at 100 KB.
     */
    async callTool(
      orgId: string,
      serverId: string,
      name: string,
      args: Record<string, unknown>,
    ): Promise<{ content: unknown; isError: boolean; truncated: boolean }> {
      const row = await server(orgId, serverId);
      if (!row.enabled) throw new Conflict(`MCP server ${row.name} is disabled`);
      const client = await deps.connections.get(endpointOf(row));
      const result = await client.callTool({ name, arguments: args });
      const text = JSON.stringify(result.content ?? null);
      if (Buffer.byteLength(text) <= MCP_RESULT_MAX_BYTES)
        return { content: result.content, isError: result.isError === true, truncated: false };
      const cut = Buffer.from(text).subarray(0, MCP_RESULT_MAX_BYTES).toString('utf8');
      return { content: [{ type: 'text', text: `${cut}\n…[truncated at 100 KB]` }], isError: result.isError === true, truncated: true };
    },
  };
}

export type McpService = ReturnType<typeof createMcpService>;
