import { sql } from 'kysely';
import type { Role } from '@cloudnow/shared';
import { totalOf, toCount } from '../../db/database.ts';
import type { Executor } from '../../db/tenant.ts';
import './orgs.tables.ts';
import '../auth/auth.tables.ts';

type Page = { limit: number; offset: number };

/** The orgs a user belongs to, with their role, oldest membership first; total from the same query. */
export async function listOrgsOfUser(db: Executor, userId: string, page: Page) {
  const rows = await db
    .selectFrom('org_members as m')
    .innerJoin('orgs as o', 'o.id', 'm.org_id')
    .select(['o.id', 'o.name', 'o.slug', 'm.role', 'o.created_at'])
    .select(sql<string>`count(*) over()`.as('total'))
    .where('m.user_id', '=', userId)
    .orderBy('m.created_at')
    .orderBy('o.id')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
  return { total: totalOf(rows), rows };
}

/** Inserts an org. */
export async function insertOrg(db: Executor, org: { id: string; name: string; slug: string }): Promise<void> {
  await db.insertInto('orgs').values(org).execute();
}

/** Whether a slug is taken. */
export async function slugTaken(db: Executor, slug: string): Promise<boolean> {
  return (await db.selectFrom('orgs').select('id').where('slug', '=', slug).limit(1).executeTakeFirst()) !== undefined;
}

/** An org's members with name and email; total from the same query. */
export async function listMembers(db: Executor, orgId: string, page: Page) {
  const rows = await db
    .selectFrom('org_members as m')
    .innerJoin('users as u', 'u.id', 'm.user_id')
    .select(['m.user_id', 'u.name', 'u.email', 'm.role', 'm.created_at'])
    .select(sql<string>`count(*) over()`.as('total'))
    .where('m.org_id', '=', orgId)
    .orderBy('m.created_at')
    .orderBy('m.user_id')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
  return { total: totalOf(rows), rows };
}

/** One member of one org (locked for update inside a transaction), or undefined. */
export async function findMember(db: Executor, orgId: string, userId: string) {
  return db
    .selectFrom('org_members')
    .select(['id', 'user_id', 'role'])
    .where('org_id', '=', orgId)
    .where('user_id', '=', userId)
    .forUpdate()
    .executeTakeFirst();
}

/** Number of admins of an org (for the last-admin rule), with the org's member rows locked. */
export async function countAdmins(db: Executor, orgId: string): Promise<number> {
  const r = await db
    .selectFrom('org_members')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('org_id', '=', orgId)
    .where('role', '=', 'admin')
    .executeTakeFirst();
  return toCount(r?.n);
}

/** Adds a member (no-op when already one); true when inserted. */
export async function insertMember(db: Executor, row: { id: string; org_id: string; user_id: string; role: Role }): Promise<boolean> {
  const r = await db
    .insertInto('org_members')
    .values(row)
    .onConflict((oc) => oc.columns(['org_id', 'user_id']).doNothing())
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
}

/** Sets a member's role. */
export async function updateMemberRole(db: Executor, orgId: string, userId: string, role: Role): Promise<void> {
  await db.updateTable('org_members').set({ role }).where('org_id', '=', orgId).where('user_id', '=', userId).execute();
}

/** Removes a member. */
export async function deleteMember(db: Executor, orgId: string, userId: string): Promise<void> {
  await db.deleteFrom('org_members').where('org_id', '=', orgId).where('user_id', '=', userId).execute();
}
