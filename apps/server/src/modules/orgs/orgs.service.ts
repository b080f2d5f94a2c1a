import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Actor, Role } from '@cloudnow/shared';
import type { Cache } from '../../plugins/cache.ts';
import type { DB } from '../../db/schema.ts';
import { withTenant } from '../../db/tenant.ts';
import { Conflict, NotFound } from '../../errors.ts';
import { recordAdminChange } from '../admin-audit/admin-audit.service.ts';
import { invalidateMemberships, membershipsOf } from './memberships.ts';
import * as repo from './orgs.repository.ts';

/** What the orgs services need. */
export interface OrgsDeps {
  db: () => Kysely<DB>;
  cache: Pick<Cache, 'getOrFetch' | 'del'>;
}

type Page = { limit: number; offset: number };

/** A slug from a name: lowercase, dashes, plus a short random suffix when taken. */
function slugify(name: string): string {
  return (
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 40) || 'org'
  );
}

/** Creates an org with the actor as its admin (one transaction: org, membership, audit row). */
export async function createOrg(deps: OrgsDeps, actor: Actor, input: { name: string; slug?: string | undefined }) {
  const id = randomUUID();
  let slug = input.slug ?? slugify(input.name);
  await withTenant(deps.db(), id, async (tx) => {
    if (await repo.slugTaken(tx, slug)) {
      if (input.slug) throw new Conflict(`slug: "${slug}" is taken`);
      slug = `${slug}-${id.slice(0, 6)}`;
    }
    await repo.insertOrg(tx, { id, name: input.name, slug });
    await repo.insertMember(tx, { id: randomUUID(), org_id: id, user_id: actor.userId, role: 'admin' });
    await recordAdminChange(
      tx,
      { ...actor, orgId: id },
      { action: 'orgs.create', targetType: 'org', targetId: id, after: { name: input.name, slug } },
    );
  });
  await invalidateMemberships(deps.cache, actor.userId);
  return { id, name: input.name, slug, role: 'admin' as Role };
}

/** The orgs the actor's user belongs to. */
export async function listMyOrgs(deps: OrgsDeps, actor: Actor, page: Page) {
  return repo.listOrgsOfUser(deps.db(), actor.userId, page);
}

/** The actor's org members. */
export async function listOrgMembers(deps: OrgsDeps, actor: Actor, page: Page) {
  return withTenant(deps.db(), actor.orgId, (tx) => repo.listMembers(tx, actor.orgId, page));
}

/** Throws 404 unless the user is a member of the actor's org (other orgs' users look absent). */
async function memberOrThrow(tx: Parameters<typeof repo.findMember>[0], orgId: string, userId: string) {
  const m = await repo.findMember(tx, orgId, userId);
  if (!m) throw new NotFound(`Member ${userId}`);
  return m;
}

/** Changes a member's role; the last admin cannot be demoted (409). Audited. */
export async function changeRole(deps: OrgsDeps, actor: Actor, userId: string, role: Role) {
  const changed = await withTenant(deps.db(), actor.orgId, async (tx) => {
    const m = await memberOrThrow(tx, actor.orgId, userId);
    if (m.role === role) return false;
    if (m.role === 'admin' && (await repo.countAdmins(tx, actor.orgId)) <= 1)
      throw new Conflict('role: the last admin of an org cannot be demoted');
    await repo.updateMemberRole(tx, actor.orgId, userId, role);
    await recordAdminChange(tx, actor, {
      action: 'members.role_change',
      targetType: 'user',
      targetId: userId,
      before: { role: m.role },
      after: { role },
    });
    return true;
  });
  if (changed) await invalidateMemberships(deps.cache, userId);
  return { userId, role };
}

/** Removes a member; the last admin cannot be removed (409). Audited. */
export async function removeMember(deps: OrgsDeps, actor: Actor, userId: string): Promise<void> {
  await withTenant(deps.db(), actor.orgId, async (tx) => {
    const m = await memberOrThrow(tx, actor.orgId, userId);
    if (m.role === 'admin' && (await repo.countAdmins(tx, actor.orgId)) <= 1)
      throw new Conflict('userId: the last admin of an org cannot be removed');
    await repo.deleteMember(tx, actor.orgId, userId);
    await recordAdminChange(tx, actor, { action: 'members.remove', targetType: 'user', targetId: userId, before: { role: m.role } });
  });
  await invalidateMemberships(deps.cache, userId);
}

/** Whether the actor's user belongs to `orgId` (from the cached memberships). */
export async function isMemberOf(deps: OrgsDeps, actor: Actor, orgId: string): Promise<boolean> {
  return (await membershipsOf(deps, actor.userId)).some((m) => m.orgId === orgId);
}
