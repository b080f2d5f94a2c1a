import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { Unauthorized } from '../../errors.ts';
import { errorSchema, pageQuery, pageSchema } from '../auth/page.ts';
import { toWebHeaders } from '../auth/web-request.ts';
import * as inv from './invitations.service.ts';
import type { OrgsDeps } from './orgs.service.ts';
import { acceptedSchema, createInvitationBody, idParams, invitationInfoSchema, invitationSchema } from './orgs.schemas.ts';

const errors = { 400: errorSchema, 401: errorSchema, 403: errorSchema, 404: errorSchema, 409: errorSchema, 410: errorSchema };
const iso = (d: Date | string): string => new Date(d).toISOString();

/** Invitations: create (returns a copyable link), list, cancel; the invite page's lookup and accept. */
export async function invitationsRoutes(app: FastifyInstance, opts: { publicUrl: string }): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const deps: OrgsDeps = { db: () => app.db, cache: app.cache };
  type Row = { id: string; email: string; role: 'viewer' | 'operator' | 'admin'; status: string; expires_at: Date; created_at: Date };
  const present = (i: Row) => ({
    id: i.id,
    email: i.email,
    role: i.role,
    status: i.status,
    expiresAt: iso(i.expires_at),
    createdAt: iso(i.created_at),
    link: inv.inviteLink(opts.publicUrl, i.id),
  });
  r.post(
    '/api/org/invitations',
    {
      config: { permission: 'admin:users' },
      schema: { tags: ['orgs'], body: createInvitationBody, response: { 201: invitationSchema, ...errors } },
    },
    async (req, reply) => reply.code(201).send(present(await inv.createInvitation(deps, req.actor!, req.body))),
  );
  r.get(
    '/api/org/invitations',
    {
      config: { permission: 'admin:users' },
      schema: { tags: ['orgs'], querystring: pageQuery, response: { 200: pageSchema(invitationSchema), ...errors } },
    },
    async (req) => {
      const { total, rows } = await inv.listInvitations(deps, req.actor!, req.query);
      return { total, ...req.query, items: rows.map(present) };
    },
  );
  r.delete(
    '/api/org/invitations/:id',
    { config: { permission: 'admin:users' }, schema: { tags: ['orgs'], params: idParams, response: { 204: z.null(), ...errors } } },
    async (req, reply) => {
      await inv.cancelInvitation(deps, req.actor!, req.params.id);
      return reply.code(204).send(null);
    },
  );
  r.get(
    '/api/invitations/:id',
    { config: { public: true }, schema: { tags: ['orgs'], params: idParams, response: { 200: invitationInfoSchema, ...errors } } },
    async (req) => {
      const i = await inv.getInvitation(deps, req.params.id);
      return { id: i.id, orgName: i.org_name, email: i.email, role: i.role, status: i.status, expiresAt: iso(i.expires_at) };
    },
  );
  // Public so a user with no org yet can accept; the session is resolved here instead.
  r.post(
    '/api/invitations/:id/accept',
    { config: { public: true }, schema: { tags: ['orgs'], params: idParams, response: { 200: acceptedSchema, ...errors } } },
    async (req) => {
      const session = await app.auth.api.getSession({ headers: toWebHeaders(req.headers) });
      if (!session) throw new Unauthorized();
      return inv.acceptInvitation(deps, { id: session.user.id, email: session.user.email }, req.params.id);
    },
  );
}
