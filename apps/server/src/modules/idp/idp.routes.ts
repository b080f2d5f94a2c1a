import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Actor } from '@cloudnow/shared';
import { Unauthorized } from '../../errors.ts';
import type { IdpService } from './idp.service.ts';
import {
  createIdpBody,
  errorBody,
  idpList,
  idpParams,
  idpView,
  listQuery,
  publicProviders,
  testIdpBody,
  testResult,
  updateIdpBody,
} from './idp.schemas.ts';

const admin = { permission: 'admin:settings' } as const;
const errors = { 400: errorBody, 401: errorBody, 403: errorBody, 404: errorBody, 409: errorBody } as const;
const tags = ['identity providers'];

/** The actor the auth hook built; fails closed if this route is ever reached without one. */
function actorOf(req: FastifyRequest): Actor {
  if (!req.actor) throw new Unauthorized();
  return req.actor;
}

/** Admin CRUD + test connection under /api/admin/idp (admin:settings), and the public provider list. */
export function idpRoutes(app: FastifyInstance, svc: IdpService): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/api/auth/providers',
    { config: { public: true, rateCategory: 'public' }, schema: { tags, response: { 200: publicProviders } } },
    async () => svc.publicProviders(),
  );

  r.get('/api/admin/idp', { config: admin, schema: { tags, querystring: listQuery, response: { 200: idpList, ...errors } } }, async (req) =>
    svc.list(actorOf(req), req.query),
  );

  r.get('/api/admin/idp/:id', { config: admin, schema: { tags, params: idpParams, response: { 200: idpView, ...errors } } }, async (req) =>
    svc.get(actorOf(req), req.params.id),
  );

  r.post(
    '/api/admin/idp',
    { config: admin, schema: { tags, body: createIdpBody, response: { 201: idpView, ...errors } } },
    async (req, reply) => reply.code(201).send(await svc.create(actorOf(req), req.body)),
  );

  r.patch(
    '/api/admin/idp/:id',
    { config: admin, schema: { tags, params: idpParams, body: updateIdpBody, response: { 200: idpView, ...errors } } },
    async (req) => svc.update(actorOf(req), req.params.id, req.body),
  );

  r.delete(
    '/api/admin/idp/:id',
    { config: admin, schema: { tags, params: idpParams, response: { 204: z.null(), ...errors } } },
    async (req, reply) => {
      await svc.remove(actorOf(req), req.params.id);
      return reply.code(204).send(null);
    },
  );

  r.post(
    '/api/admin/idp/test',
    { config: admin, schema: { tags, body: testIdpBody, response: { 200: testResult, ...errors } } },
    async (req) => svc.test(actorOf(req), req.body),
  );

  r.post(
    '/api/admin/idp/:id/test',
    { config: admin, schema: { tags, params: idpParams, response: { 200: testResult, ...errors } } },
    async (req) => svc.testStored(actorOf(req), req.params.id),
  );
}
