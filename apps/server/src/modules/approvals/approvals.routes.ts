import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { LIMITS } from '@cloudnow/shared';
import { actorOf, errorResponses, pageQuery } from '../tools/tools.http.ts';
import { ApprovalPage, ApprovalParams, ApprovalSchema, DecisionBody, presentApproval } from './approvals.schemas.ts';
import type { ApprovalService } from './approvals.service.ts';

/** `/api/approvals`: pending list, one approval (also after decision), approve, deny. */
export async function approvalRoutes(app: FastifyInstance, opts: { approvals: ApprovalService }): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { approvals } = opts;
  r.get(
    '/api/approvals',
    {
      config: { permission: 'tools:approve' },
      schema: {
        tags: ['approvals'],
        querystring: pageQuery(LIMITS.pageDefault, LIMITS.pageMax).extend({
          status: z.enum(['pending', 'approved', 'denied', 'expired', 'all']).default('pending'),
          tool: z.string().min(1).max(200).optional(),
          via: z.enum(['chat', 'api', 'mcp', 'workflow']).optional(),
          risk: z.enum(['read', 'low', 'medium', 'high', 'critical']).optional(),
          threadId: z.uuid().optional(),
        }),
        response: { 200: ApprovalPage, ...errorResponses },
      },
    },
    async (req) => {
      const { limit, offset, ...filter } = req.query;
      const { items, total } = await approvals.list(actorOf(req), filter, { limit, offset });
      return { items: items.map(presentApproval), total, limit, offset };
    },
  );
  r.get(
    '/api/approvals/:id',
    {
      config: { permission: 'tools:read' },
      schema: { tags: ['approvals'], params: ApprovalParams, response: { 200: ApprovalSchema, ...errorResponses } },
    },
    async (req) => presentApproval(await approvals.get(actorOf(req), req.params.id)),
  );
  for (const [action, decision] of [
    ['approve', 'approved'],
    ['deny', 'denied'],
  ] as const) {
    r.post(
      `/api/approvals/:id/${action}`,
      {
        config: { permission: 'tools:approve' },
        schema: { tags: ['approvals'], params: ApprovalParams, body: DecisionBody, response: { 200: ApprovalSchema, ...errorResponses } },
      },
      async (req) => presentApproval(await approvals.decide(actorOf(req), req.params.id, decision, req.body?.reason ?? null)),
    );
  }
}
