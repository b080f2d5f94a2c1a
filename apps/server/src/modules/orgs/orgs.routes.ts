import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { NotFound } from '../../errors.ts';
import { errorSchema, pageQuery, pageSchema } from '../auth/page.ts';
import { toWebHeaders } from '../auth/web-request.ts';
import * as orgs from './orgs.service.ts';
import { changeRoleBody, createOrgBody, memberSchema, orgSchema, userIdParams } from './orgs.schemas.ts';

const errors = { 400: errorSchema, 401: errorSchema, 403: errorSchema, 404: errorSchema, 409: errorSchema };
const iso = (d: Date | string): string => new Date(d).toISOString();

/** Orgs and members: create org, list mine, switch the active org, list/re-role/remove members. */
export async function orgsRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const deps: orgs.OrgsDeps = { db: () => app.db, cache: app.cache };
  r.post(
    '/api/orgs',
    { config: { permission: 'admin:users' }, schema: { tags: ['orgs'], body: createOrgBody, response: { 201: orgSchema, ...errors } } },
    async (req, reply) => reply.code(201).send(await orgs.createOrg(deps, req.actor!, req.body)),
  );
  r.get(
    '/api/orgs',
    { schema: { tags: ['orgs'], querystring: pageQuery, response: { 200: pageSchema(orgSchema), ...errors } } },
    async (req) => {
      const { total, rows } = await orgs.listMyOrgs(deps, req.actor!, req.query);
      return { total, ...req.query, items: rows.map((o) => ({ id: o.id, name: o.name, slug: o.slug, role: o.role })) };
    },
  );
  r.post(
    '/api/orgs/:id/switch',
    {
      schema: {
        tags: ['orgs'],
        params: z.object({ id: z.string().min(1).max(100) }),
        response: { 200: z.object({ orgId: z.string() }), ...errors },
      },
    },
    async (req, reply) => {
      if (req.actor!.via !== 'session' || !(await orgs.isMemberOf(deps, req.actor!, req.params.id)))
        throw new NotFound(`Org ${req.params.id}`);
      const res = await app.auth.api.setActiveOrganization({
        headers: toWebHeaders(req.headers),
        body: { organizationId: req.params.id },
        returnHeaders: true,
      });
      const cookies = res.headers.getSetCookie();
      if (cookies.length > 0) void reply.header('set-cookie', cookies);
      return { orgId: req.params.id };
    },
  );
  r.get(
    '/api/org/members',
    {
      config: { permission: 'admin:users' },
      schema: { tags: ['orgs'], querystring: pageQuery, response: { 200: pageSchema(memberSchema), ...errors } },
    },
    async (req) => {
      const { total, rows } = await orgs.listOrgMembers(deps, req.actor!, req.query);
      return {
        total,
        ...req.query,
        items: rows.map((m) => ({ userId: m.user_id, name: m.name, email: m.email, role: m.role, joinedAt: iso(m.created_at) })),
      };
    },
  );
  r.patch(
    '/api/org/members/:userId',
    {
      config: { permission: 'admin:users' },
      schema: {
        tags: ['orgs'],
        params: userIdParams,
        body: changeRoleBody,
        response: { 200: z.object({ userId: z.string(), role: changeRoleBody.shape.role }), ...errors },
      },
    },
    async (req) => orgs.changeRole(deps, req.actor!, req.params.userId, req.body.role),
  );
  r.delete(
    '/api/org/members/:userId',
    { config: { permission: 'admin:users' }, schema: { tags: ['orgs'], params: userIdParams, response: { 204: z.null(), ...errors } } },
    async (req, reply) => {
      await orgs.removeMember(deps, req.actor!, req.params.userId);
      return reply.code(204).send(null);
    },
  );
}
