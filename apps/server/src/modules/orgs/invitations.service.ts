import { randomUUID } from 'node:crypto';
import type { Actor, Role } from '@cloudnow/shared';
import { withTenant } from '../../db/tenant.ts';
import { Conflict, Gone, NotFound } from '../../errors.ts';
import { recordAdminChange } from '../admin-audit/admin-audit.service.ts';
import { invalidateMemberships } from './memberships.ts';
import * as repo from './invitations.repository.ts';
import { insertMember } from './orgs.repository.ts';
import type { OrgsDeps } from './orgs.service.ts';
import '../auth/auth.tables.ts';

/** How long an invitation stays valid. */
export const INVITATION_DAYS = 7;

/** The copyable link an admin sends (no SMTP): the web app's invite page. */
export function inviteLink(publicUrl: string, id: string): string {
  return `${publicUrl}/invite/${id}`;
}

/** Invites an email to the actor's org with a role; 409 when already a member or invited. Audited. */
export async function createInvitation(deps: OrgsDeps, actor: Actor, input: { email: string; role: Role }) {
  const email = input.email.trim().toLowerCase();
  return withTenant(deps.db(), actor.orgId, async (tx) => {
    const member = await tx
      .selectFrom('org_members as m')
      .innerJoin('users as u', 'u.id', 'm.user_id')
      .select('m.id')
      .where('m.org_id', '=', actor.orgId)
      .where('u.email', '=', email)
      .executeTakeFirst();
    if (member) throw new Conflict(`email: ${email} is already a member`);
    if (await repo.findPendingByEmail(tx, actor.orgId, email)) throw new Conflict(`email: ${email} already has a pending invitation`);
    const expiresAt = new Date(Date.now() + INVITATION_DAYS * 86_400_000);
    const row = await repo.insertInvitation(tx, {
      id: randomUUID(),
      org_id: actor.orgId,
      email,
      role: input.role,
      inviter_id: actor.userId,
      expires_at: expiresAt,
    });
    await recordAdminChange(tx, actor, {
      action: 'invitations.create',
      targetType: 'invitation',
      targetId: row.id,
      after: { email, role: input.role },
    });
    return row;
  });
}

/** The actor's org pending invitations. */
export async function listInvitations(deps: OrgsDeps, actor: Actor, page: { limit: number; offset: number }) {
  return withTenant(deps.db(), actor.orgId, (tx) => repo.listPending(tx, actor.orgId, page));
}

/** Cancels a pending invitation of the actor's org (404 otherwise). Audited. */
export async function cancelInvitation(deps: OrgsDeps, actor: Actor, id: string): Promise<void> {
  await withTenant(deps.db(), actor.orgId, async (tx) => {
    if (!(await repo.finishInvitation(tx, actor.orgId, id, 'canceled'))) throw new NotFound(`Invitation ${id}`);
    await recordAdminChange(tx, actor, { action: 'invitations.cancel', targetType: 'invitation', targetId: id });
  });
}

/** What the invite page shows (the id is the capability). */
export async function getInvitation(deps: OrgsDeps, id: string) {
  const inv = await repo.findInvitation(deps.db(), id);
  if (!inv) throw new NotFound(`Invitation ${id}`);
  return inv;
}

/**
 * Accepts an invitation for the signed-in user: it must be pending, unexpired and addressed to the
 * user's email. Adds the membership with the invited role, in one transaction.
 */
export async function acceptInvitation(deps: OrgsDeps, user: { id: string; email: string }, id: string) {
  const inv = await repo.findInvitation(deps.db(), id);
  if (!inv || inv.email !== user.email.toLowerCase()) throw new NotFound(`Invitation ${id}`);
  if (inv.status !== 'pending' || new Date(inv.expires_at).getTime() <= Date.now()) throw new Gone('This invitation is no longer valid');
  await withTenant(deps.db(), inv.org_id, async (tx) => {
    if (!(await repo.finishInvitation(tx, inv.org_id, id, 'accepted'))) throw new Gone('This invitation is no longer valid');
    await insertMember(tx, { id: randomUUID(), org_id: inv.org_id, user_id: user.id, role: inv.role });
    const joined: Actor = { userId: user.id, orgId: inv.org_id, role: inv.role, permissions: [], via: 'session' };
    await recordAdminChange(tx, joined, {
      action: 'members.join',
      targetType: 'user',
      targetId: user.id,
      after: { role: inv.role, invitationId: id },
    });
  });
  await invalidateMemberships(deps.cache, user.id);
  return { orgId: inv.org_id, orgName: inv.org_name, role: inv.role };
}
