import { sql, type Insertable } from 'kysely';
import { totalOf } from '../../db/database.ts';
import type { Executor } from '../../db/tenant.ts';
import type { AdminAuditTable } from './admin-audit.tables.ts';

/** Inserts one audit row. */
export async function insertAdminAudit(db: Executor, row: Insertable<AdminAuditTable>): Promise<void> {
  await db.insertInto('admin_audit').values(row).execute();
}

/** One page of an org's admin audit, newest first, with the total from the same query. */
export async function listAdminAudit(
  db: Executor,
  orgId: string,
  page: { limit: number; offset: number; action?: string | undefined },
): Promise<{ total: number; rows: Array<AdminAuditRow> }> {
  let q = db
    .selectFrom('admin_audit')
    .select(['id', 'actor_user_id', 'actor_via', 'api_key_id', 'action', 'target_type', 'target_id', 'before', 'after', 'created_at'])
    .select(sql<string>`count(*) over()`.as('total'))
    .where('org_id', '=', orgId);
  if (page.action) q = q.where('action', '=', page.action);
  const rows = await q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(page.limit).offset(page.offset).execute();
  return { total: totalOf(rows), rows };
}

/** A row of the audit list. */
export interface AdminAuditRow {
  id: string;
  actor_user_id: string;
  actor_via: string;
  api_key_id: string | null;
  action: string;
  target_type: string;
  target_id: string | null;
  before: unknown;
  after: unknown;
  created_at: Date;
}
