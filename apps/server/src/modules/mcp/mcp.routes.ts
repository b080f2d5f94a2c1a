import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { LIMITS } from '@cloudnow/shared';
import type { McpService } from './mcp.service.ts';

const error = z.object({ code: z.string(), message: z.string() });
const id = z.object({ id: z.uuid() });
const page = z.object({
  limit: z.coerce.number().int().min(1).max(LIMITS.pageMax).default(LIMITS.pageDefault),
  offset: z.coerce.number().int().min(0).default(0),
});
const serverView = z.object({
  id: z.string(),
  name: z.string(),
  transport: z.enum(['stdio', 'http', 'sse']),
  command: z.string().nullable(),
  args: z.array(z.string()),
  url: z.string().nullable(),
  hasSecrets: z.boolean(),
  enabled: z.boolean(),
  status: z.string(),
  lastError: z.string().nullable(),
  toolCount: z.number(),
  connected: z.boolean(),
  uptimeSeconds: z.number().nullable(),
});
const stringMap = z.record(z.string().max(100), z.string().max(4000));
const createBody = z.strictObject({
  name: z.string().min(1).max(40),
  transport: z.enum(['stdio', 'http', 'sse']),
  command: z.string().max(200).optional(),
  args: z.array(z.string().max(1000)).max(50).optional(),
  env: stringMap.optional(),
  url: z.url().max(2000).optional(),
  headers: stringMap.optional(),
  enabled: z.boolean().optional(),
});
const cfg = { permission: 'admin:settings' as const };
const tags = ['admin', 'mcp'];

/** MCP connections under /api/admin/mcp (admin:settings). */
export async function mcpRoutes(app: FastifyInstance, service: McpService): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/api/admin/mcp/servers',
    { config: cfg, schema: { tags, querystring: page, response: { 200: z.object({ items: z.array(serverView), total: z.number() }) } } },
    async (req) => service.list(req.actor!, req.query),
  );
  r.post(
    '/api/admin/mcp/servers',
    { config: cfg, schema: { tags, body: createBody, response: { 201: serverView, 400: error, 409: error } } },
    async (req, reply) => reply.code(201).send(await service.create(req.actor!, req.body)),
  );
  r.get(
    '/api/admin/mcp/servers/:id',
    { config: cfg, schema: { tags, params: id, response: { 200: serverView, 404: error } } },
    async (req) => service.get(req.actor!, req.params.id),
  );
  r.delete(
    '/api/admin/mcp/servers/:id',
    { config: cfg, schema: { tags, params: id, response: { 204: z.null(), 404: error } } },
    async (req, reply) => {
      await service.remove(req.actor!, req.params.id);
      return reply.code(204).send(null);
    },
  );
  r.patch(
    '/api/admin/mcp/servers/:id',
    {
      config: cfg,
      schema: { tags, params: id, body: z.strictObject({ enabled: z.boolean() }), response: { 200: serverView, 404: error } },
    },
    async (req) => service.setEnabled(req.actor!, req.params.id, req.body.enabled),
  );
  for (const action of ['connect', 'disconnect', 'restart'] as const) {
    r.post(
      `/api/admin/mcp/servers/:id/${action}`,
      { config: cfg, schema: { tags, params: id, response: { 200: serverView, 404: error, 409: error } } },
      async (req) => service[action](req.actor!, req.params.id),
    );
  }
  r.get(
    '/api/admin/mcp/tools',
    {
      config: cfg,
      schema: {
        tags,
        response: {
          200: z.object({
            items: z.array(
              z.object({
                qualifiedName: z.string(),
                serverId: z.string(),
                serverName: z.string(),
                name: z.string(),
                description: z.string(),
                inputSchema: z.record(z.string(), z.unknown()),
              }),
            ),
          }),
        },
      },
    },
    async (req) => ({ items: await service.tools(req.actor!.orgId) }),
  );
  r.post(
    '/api/admin/mcp/servers/:id/tools/:tool/test',
    {
      config: cfg,
      schema: {
        tags,
        params: z.object({
          id: z.uuid(),
          tool: z
            .string()
            .min(1)
            .max(200)
            .regex(/^[\w.-]+$/),
        }),
        body: z.strictObject({ args: z.record(z.string(), z.unknown()).default({}) }),
        response: { 200: z.object({ content: z.unknown(), isError: z.boolean(), truncated: z.boolean() }), 404: error },
      },
    },
    async (req) => service.callTool(req.actor!.orgId, req.params.id, req.params.tool, req.body.args),
  );
}
