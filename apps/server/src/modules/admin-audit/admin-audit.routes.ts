import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorSchema, pageQuery, pageSchema } from '../auth/page.ts';
import { listAdminChanges } from './admin-audit.service.ts';

const entrySchema = z.object({
  id: z.string(),
  actorUserId: z.string(),
  actorVia: z.string(),
  apiKeyId: z.string().nullable(),
  action: z.string(),
  targetType: z.string(),
  targetId: z.string().nullable(),
  before: z.unknown(),
  after: z.unknown(),
  createdAt: z.string(),
});

/** `GET /api/admin/audit`: the org's admin changes, newest first, paginated (admin:audit). */
export async function adminAuditRoutes(app: FastifyInstance): Promise<void> {
  app.withTypeProvider<ZodTypeProvider>().get(
    '/api/admin/audit',
    {
      config: { permission: 'admin:audit' },
      schema: {
        tags: ['admin'],
        querystring: pageQuery.extend({ action: z.string().max(100).optional() }),
        response: { 200: pageSchema(entrySchema), 401: errorSchema, 403: errorSchema },
      },
    },
    async (req) => {
      const { total, rows } = await listAdminChanges(app.db, req.actor!, req.query);
      const items = rows.map((r) => ({
        id: r.id,
        actorUserId: r.actor_user_id,
        actorVia: r.actor_via,
        apiKeyId: r.api_key_id,
        action: r.action,
        targetType: r.target_type,
        targetId: r.target_id,
        before: r.before,
        after: r.after,
        createdAt: new Date(r.created_at).toISOString(),
      }));
      return { total, limit: req.query.limit, offset: req.query.offset, items };
    },
  );
}
