import { sql } from 'kysely';
import type { Role } from '@cloudnow/shared';
import { totalOf } from '../../db/database.ts';
import type { Executor } from '../../db/tenant.ts';
import './orgs.tables.ts';

/** Inserts a pending invitation and returns it. */
export async function insertInvitation(
  db: Executor,
  row: { id: string; org_id: string; email: string; role: Role; inviter_id: string; expires_at: Date },
) {
  return db
    .insertInto('org_invitations')
    .values({ ...row, status: 'pending' })
    .returning(['id', 'email', 'role', 'status', 'expires_at', 'created_at'])
    .executeTakeFirstOrThrow();
}

/** A pending, unexpired invitation of this org for this email, if any. */
export async function findPendingByEmail(db: Executor, orgId: string, email: string) {
  return db
    .selectFrom('org_invitations')
    .select('id')
    .where('org_id', '=', orgId)
    .where('email', '=', email)
    .where('status', '=', 'pending')
    .where('expires_at', '>', new Date())
    .limit(1)
    .executeTakeFirst();
}

/** An org's pending invitations, newest first; total from the same query. */
export async function listPending(db: Executor, orgId: string, page: { limit: number; offset: number }) {
  const rows = await db
    .selectFrom('org_invitations')
    .select(['id', 'email', 'role', 'status', 'expires_at', 'created_at'])
    .select(sql<string>`count(*) over()`.as('total'))
    .where('org_id', '=', orgId)
    .where('status', '=', 'pending')
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
  return { total: totalOf(rows), rows };
}

/** One invitation by id (any org: the id is the capability), joined with its org's name. */
export async function findInvitation(db: Executor, id: string) {
  return db
    .selectFrom('org_invitations as i')
    .innerJoin('orgs as o', 'o.id', 'i.org_id')
    .select(['i.id', 'i.org_id', 'o.name as org_name', 'i.email', 'i.role', 'i.status', 'i.expires_at'])
    .where('i.id', '=', id)
    .executeTakeFirst();
}

/** Moves a pending invitation of this org to a final status; true when it was pending. */
export async function finishInvitation(db: Executor, orgId: string, id: string, status: 'accepted' | 'canceled'): Promise<boolean> {
  const r = await db
    .updateTable('org_invitations')
    .set({ status })
    .where('org_id', '=', orgId)
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}
