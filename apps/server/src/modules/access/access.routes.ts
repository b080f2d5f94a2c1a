import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Permission } from '@cloudnow/shared';
import { errorSchema, pageQuery, pageSchema } from '../auth/page.ts';
import * as keys from './api-keys.service.ts';
import { listMySessions, revokeMySession } from './sessions.service.ts';
import { apiKeySchema, authSessionSchema, createApiKeyBody, createdApiKeySchema, listApiKeysQuery } from './access.schemas.ts';

const errors = { 400: errorSchema, 401: errorSchema, 403: errorSchema, 404: errorSchema };
const iso = (d: Date | string | null): string | null => (d ? new Date(d).toISOString() : null);

type KeyRow = {
  id: string;
  user_id: string;
  name: string;
  prefix: string;
  permissions: Permission[];
  expires_at: Date | null;
  last_used_at: Date | null;
  revoked_at: Date | null;
  created_at: Date;
};
/** The public view of a key: never the hash. */
function presentKey(k: KeyRow) {
  return {
    id: k.id,
    userId: k.user_id,
    name: k.name,
    prefix: k.prefix,
    permissions: k.permissions,
    expiresAt: iso(k.expires_at),
    lastUsedAt: iso(k.last_used_at),
    revokedAt: iso(k.revoked_at),
    createdAt: iso(k.created_at)!,
  };
}

/** API keys (create/list/revoke) and one's own sign-in sessions (list/revoke). */
export async function accessRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const deps: keys.ApiKeysDeps = { db: () => app.db, cache: app.cache };
  r.post(
    '/api/api-keys',
    { schema: { tags: ['access'], body: createApiKeyBody, response: { 201: createdApiKeySchema, ...errors } } },
    async (req, reply) => {
      const k = await keys.createApiKey(deps, req.actor!, req.body);
      return reply.code(201).send({ ...presentKey(k), key: k.key });
    },
  );
  r.get(
    '/api/api-keys',
    {
      schema: {
        tags: ['access'],
        querystring: pageQuery.extend(listApiKeysQuery.shape),
        response: { 200: pageSchema(apiKeySchema), ...errors },
      },
    },
    async (req) => {
      const { total, rows } = await keys.listApiKeys(deps, req.actor!, req.query);
      return { total, limit: req.query.limit, offset: req.query.offset, items: rows.map(presentKey) };
    },
  );
  r.delete(
    '/api/api-keys/:id',
    { schema: { tags: ['access'], params: z.object({ id: z.uuid() }), response: { 204: z.null(), ...errors } } },
    async (req, reply) => {
      await keys.revokeApiKey(deps, req.actor!, req.params.id);
      return reply.code(204).send(null);
    },
  );
  r.get(
    '/api/account/sessions',
    { schema: { tags: ['access'], querystring: pageQuery, response: { 200: pageSchema(authSessionSchema), ...errors } } },
    async (req) => {
      const { total, rows } = await listMySessions(app.db, req.actor!, req.query);
      const items = rows.map((s) => ({
        id: s.id,
        ipAddress: s.ip_address,
        userAgent: s.user_agent,
        createdAt: iso(s.created_at)!,
        lastActiveAt: iso(s.updated_at)!,
        expiresAt: iso(s.expires_at)!,
        current: s.id === req.actor!.sessionId,
      }));
      return { total, ...req.query, items };
    },
  );
  r.delete(
    '/api/account/sessions/:id',
    { schema: { tags: ['access'], params: z.object({ id: z.string().min(1).max(100) }), response: { 204: z.null(), ...errors } } },
    async (req, reply) => {
      await revokeMySession(app.db, app.auth, req.actor!, req.params.id);
      return reply.code(204).send(null);
    },
  );
}
