import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { presentApproval } from '../approvals/approvals.schemas.ts';
import type { GateResult, ToolGate } from './tools.gate.ts';
import { actorOf, errorResponses, iso, requestSignal } from './tools.http.ts';
import type { ToolCatalogueService, ToolPolicyService } from './tools.service.ts';
import {
  ExecuteBody,
  ExecuteOk,
  ExecutePending,
  ToolDetailSchema,
  ToolListQuery,
  ToolListSchema,
  ToolParams,
  ToolPolicyResponse,
  ToolPolicySchema,
} from './tools.schemas.ts';

/** Translates a gate result: 200 output (or a tool's clean error), 202 pending approval, 4xx refusals. */
export function sendGateResult(reply: FastifyReply, r: GateResult): FastifyReply {
  if (r.status === 'ok') return reply.code(200).send(r);
  if (r.status === 'pending_approval') return reply.code(202).send({ status: r.status, approval: presentApproval(r.approval) });
  if (r.error.status < 500) return reply.code(r.error.status).send({ code: r.error.code, message: r.error.message });
  return reply.code(200).send({ status: 'error', error: { code: r.error.code, message: r.error.message } });
}

/** `/api/v1/tools` (list, describe, execute through the gate) and `/api/admin/tool-policies`. */
export async function toolRoutes(
  app: FastifyInstance,
  opts: { gate: ToolGate; catalogue: ToolCatalogueService; policies: ToolPolicyService },
): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { gate, catalogue, policies } = opts;
  r.get(
    '/api/v1/tools',
    {
      config: { permission: 'tools:read' },
      schema: { tags: ['tools'], querystring: ToolListQuery, response: { 200: ToolListSchema, ...errorResponses } },
    },
    async (req) => {
      const items = await catalogue.list(actorOf(req), req.query);
      return { items, total: items.length };
    },
  );
  r.get(
    '/api/v1/tools/:name',
    {
      config: { permission: 'tools:read' },
      schema: { tags: ['tools'], params: ToolParams, response: { 200: ToolDetailSchema, ...errorResponses } },
    },
    async (req) => catalogue.describe(actorOf(req), req.params.name),
  );
  r.post(
    '/api/v1/tools/:name/execute',
    {
      config: { permission: 'tools:execute', rateCategory: 'api' },
      schema: {
        tags: ['tools'],
        params: ToolParams,
        body: ExecuteBody,
        response: { 200: ExecuteOk, 202: ExecutePending, ...errorResponses },
      },
    },
    async (req, reply) => {
      const { args, approvalId, threadId } = req.body;
      const call = { tool: req.params.name, args, via: 'api' as const, approvalId, threadId, signal: requestSignal(reply) };
      return sendGateResult(reply, await gate.run(actorOf(req), call));
    },
  );
  r.get(
    '/api/admin/tool-policies',
    { config: { permission: 'admin:settings' }, schema: { tags: ['tools'], response: { 200: ToolPolicyResponse, ...errorResponses } } },
    async (req) => {
      const p = await policies.read(actorOf(req));
      return { include: [...p.include], exclude: [...p.exclude], rules: [...p.rules], updatedAt: iso(p.updatedAt), updatedBy: p.updatedBy };
    },
  );
  r.put(
    '/api/admin/tool-policies',
    {
      config: { permission: 'admin:settings' },
      schema: { tags: ['tools'], body: ToolPolicySchema, response: { 200: ToolPolicySchema, ...errorResponses } },
    },
    async (req) => {
      await policies.put(actorOf(req), req.body);
      return req.body;
    },
  );
}
