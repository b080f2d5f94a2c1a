import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { PERMISSIONS, ROLES } from '@cloudnow/shared';
import { Unauthorized } from '../../errors.ts';

const meSchema = z.object({
  userId: z.string(),
  orgId: z.string(),
  role: z.enum(ROLES),
  permissions: z.array(z.enum(PERMISSIONS)),
  via: z.enum(['session', 'apiKey']),
});

/** `GET /api/me`: who the caller is (the resolved actor). Costs no query when the caches are warm. */
export async function meRoutes(app: FastifyInstance): Promise<void> {
  app.withTypeProvider<ZodTypeProvider>().get('/api/me', { schema: { tags: ['auth'], response: { 200: meSchema } } }, async (req) => {
    const a = req.actor;
    if (!a) throw new Unauthorized();
    return { userId: a.userId, orgId: a.orgId, role: a.role, permissions: [...a.permissions], via: a.via };
  });
}
