import fp from 'fastify-plugin';
import { z } from 'zod';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { actorOf } from '../tools/tools.http.ts';
import { createMcpServer } from './mcp-server.service.ts';

const JsonRpcMessage = z.looseObject({ jsonrpc: z.literal('2.0'), method: z.string().max(200).optional() });
const JsonRpcBody = z.union([JsonRpcMessage, z.array(JsonRpcMessage).max(50)]);
const MethodNotAllowed = z.object({ jsonrpc: z.literal('2.0'), error: z.object({ code: z.number(), message: z.string() }), id: z.null() });

/**
 * CloudNow as an MCP server: streamable HTTP at `/api/mcp`, stateless (a server and transport per
 * POST, nothing kept between requests), authenticated by the auth plugin (API key or session),
 * every tool call through the gate with via 'mcp'. GET/DELETE (server streams, sessions) → 405.
 */
export default fp(
  async (app, opts: { version: string }) => {
    const r = app.withTypeProvider<ZodTypeProvider>();
    r.post(
      '/api/mcp',
      { config: { permission: 'tools:read', rateCategory: 'api' }, schema: { tags: ['mcp'], body: JsonRpcBody, hide: true } },
      async (req, reply) => {
        const actor = actorOf(req);
        const server = createMcpServer(actor, { tools: app.tools, approvals: app.approvals, version: opts.version });
        const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
        reply.raw.once('close', () => {
          void transport.close();
          void server.close();
        });
        reply.hijack();
        try {
          await server.connect(transport);
          await transport.handleRequest(req.raw, reply.raw, req.body);
        } catch (err) {
          req.log.error({ err }, 'mcp: request failed');
          if (!reply.raw.headersSent) reply.raw.writeHead(500, { 'content-type': 'application/json' });
          if (!reply.raw.writableEnded)
            reply.raw.end(JSON.stringify({ jsonrpc: '2.0', error: { code: -32603, message: 'Internal error' }, id: null }));
        }
      },
    );
    for (const method of ['GET', 'DELETE'] as const) {
      r.route({
        method,
        url: '/api/mcp',
        config: { permission: 'tools:read' },
        schema: { tags: ['mcp'], hide: true, response: { 405: MethodNotAllowed } },
        handler: async (_req, reply) =>
          reply
            .code(405)
            .header('allow', 'POST')
            .send({ jsonrpc: '2.0', error: { code: -32000, message: 'Method not allowed (stateless server)' }, id: null }),
      });
    }
  },
  { name: 'mcp-server', dependencies: ['tools', 'approvals'] },
);
