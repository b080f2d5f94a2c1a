import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { actorOf, errorResponses } from '../tools/tools.http.ts';
import { ActivityQuery, AuditQuery, ExecutionPage, SummaryQuery, SummarySchema, presentExecution } from './audit.schemas.ts';
import type { AuditService } from './audit.service.ts';

/** `/api/activity` (the caller's own executions) and `/api/audit/tools[/summary]` (admins). */
export async function auditRoutes(app: FastifyInstance, opts: { audit: AuditService }): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { audit } = opts;
  r.get(
    '/api/activity',
    {
      config: { permission: 'tools:read' },
      schema: { tags: ['audit'], querystring: ActivityQuery, response: { 200: ExecutionPage, ...errorResponses } },
    },
    async (req) => {
      const { limit, offset, ...filter } = req.query;
      const { items, total } = await audit.activity(actorOf(req), filter, { limit, offset });
      return { items: items.map(presentExecution), total, limit, offset };
    },
  );
  r.get(
    '/api/audit/tools',
    {
      config: { permission: 'admin:audit' },
      schema: { tags: ['audit'], querystring: AuditQuery, response: { 200: ExecutionPage, ...errorResponses } },
    },
    async (req) => {
      const { limit, offset, ...filter } = req.query;
      const { items, total } = await audit.list(actorOf(req), filter, { limit, offset });
      return { items: items.map(presentExecution), total, limit, offset };
    },
  );
  r.get(
    '/api/audit/tools/summary',
    {
      config: { permission: 'admin:audit' },
      schema: { tags: ['audit'], querystring: SummaryQuery, response: { 200: SummarySchema, ...errorResponses } },
    },
    async (req) => audit.summary(actorOf(req), req.query),
  );
}
