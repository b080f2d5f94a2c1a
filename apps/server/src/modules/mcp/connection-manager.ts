import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport, getDefaultEnvironment } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { ServiceUnavailable } from '../../errors.ts';
import type { McpTransport } from './mcp.tables.ts';

/** How to reach one MCP server (credentials already opened). */
export interface McpEndpoint {
  id: string;
  transport: McpTransport;
  command?: string | null;
  args?: readonly string[];
  env?: Record<string, string>;
  url?: string | null;
  headers?: Record<string, string>;
}

interface Entry {
  client: Client;
  connectedAt: number;
  lastUsed: number;
}

export interface ConnectionManagerOptions {
  /** At most this many live clients in the process (default 500). */
  maxClients?: number;
  connectTimeoutMs?: number;
  /** Clients unused for this long are closed by the sweep (default 10 min). */
  idleMs?: number;
  sweepEveryMs?: number;
}

/**
 * The process's MCP clients, bounded: at most `maxClients` (connections in flight count too;
 * beyond that a clear 503), a connect that fails or times out leaves no entry behind, idle
 * clients are closed by a sweep, and `closeAll` closes everything on shutdown.
 */
export function createConnectionManager(opts: ConnectionManagerOptions = {}) {
  const max = opts.maxClients ?? 500;
  const timeoutMs = opts.connectTimeoutMs ?? 15_000;
  const idleMs = opts.idleMs ?? 10 * 60_000;
  const clients = new Map<string, Entry>();
  const connecting = new Map<string, Promise<Client>>();
  const sweep = setInterval(() => void closeIdle(), opts.sweepEveryMs ?? 60_000);
  sweep.unref();

  function transportFor(ep: McpEndpoint): Transport {
    if (ep.transport === 'stdio') {
      return new StdioClientTransport({
        command: ep.command!,
        args: [...(ep.args ?? [])],
        ...(ep.env ? { env: { ...getDefaultEnvironment(), ...ep.env } } : {}),
        stderr: 'ignore',
      });
    }
    const url = new URL(ep.url!);
    const requestInit = ep.headers ? { headers: ep.headers } : undefined;
    return ep.transport === 'sse'
      ? new SSEClientTransport(url, requestInit ? { requestInit } : {})
      : new StreamableHTTPClientTransport(url, requestInit ? { requestInit } : {});
  }

  async function open(ep: McpEndpoint): Promise<Client> {
    const client = new Client({ name: 'cloudnow', version: '0.1.0' });
    const transport = transportFor(ep);
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        client.connect(transport),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`connecting timed out after ${timeoutMs} ms`)), timeoutMs);
        }),
      ]);
      return client;
    } catch (err) {
      await client.close().catch(() => {});
      await transport.close().catch(() => {});
      throw err;
    } finally {
      clearTimeout(timer);
    }
  }

  async function closeIdle(): Promise<void> {
    const cutoff = Date.now() - idleMs;
    for (const [id, e] of clients) if (e.lastUsed < cutoff) await disconnect(id);
  }

  async function disconnect(id: string): Promise<void> {
    const e = clients.get(id);
    clients.delete(id);
    if (e) await e.client.close().catch(() => {});
  }

  return {
    /** A connected client for the endpoint (reused while alive). */
    async get(ep: McpEndpoint): Promise<Client> {
      const existing = clients.get(ep.id);
      if (existing) {
        existing.lastUsed = Date.now();
        return existing.client;
      }
      const pending = connecting.get(ep.id);
      if (pending) return pending;
      if (clients.size + connecting.size >= max) {
        throw new ServiceUnavailable(
          `MCP connection limit reached (${max} clients in this process); disconnect unused servers or raise MCP_MAX_CLIENTS`,
        );
      }
      const p = open(ep);
      connecting.set(ep.id, p);
      try {
        const client = await p;
        const now = Date.now();
        clients.set(ep.id, { client, connectedAt: now, lastUsed: now });
        client.onclose = () => {
          if (clients.get(ep.id)?.client === client) clients.delete(ep.id);
        };
        return client;
      } finally {
        connecting.delete(ep.id);
      }
    },
    disconnect,
    /** When a live client connected (for health), or null. */
    connectedAt: (id: string): number | null => clients.get(id)?.connectedAt ?? null,
    size: (): number => clients.size,
    pending: (): number => connecting.size,
    closeIdle,
    async closeAll(): Promise<void> {
      clearInterval(sweep);
      await Promise.all([...clients.keys()].map((id) => disconnect(id)));
    },
  };
}

export type ConnectionManager = ReturnType<typeof createConnectionManager>;
