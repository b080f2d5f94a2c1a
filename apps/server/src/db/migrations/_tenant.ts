import { sql, type Kysely } from 'kysely';

/**
 * Migration helpers for tenant-owned tables. Part of the migrations folder (frozen with it): a
 * later change to how RLS is declared gets new helpers, never edits to these.
 */

/** The unprivileged role every tenant transaction switches to (`SET LOCAL ROLE`). */
export const APP_ROLE = 'cloudnow_app';

/**
 * Turns on row-level security for a table with an `org_id` column: ENABLE + FORCE, and one policy
 * that admits a row only when `app.org_id` is set and equal to it (no org set → no rows), or when
 * the transaction declared itself system work (`app.system = 'on'`, see `withSystem`).
 */
export async function enableTenantRls(db: Kysely<any>, table: string): Promise<void> {
  const t = sql.table(table);
  await sql`alter table ${t} enable row level security`.execute(db);
  await sql`alter table ${t} force row level security`.execute(db);
  await sql`create policy tenant_isolation on ${t}
    using (org_id = current_setting('app.org_id', true) or current_setting('app.system', true) = 'on')
    with check (org_id = current_setting('app.org_id', true) or current_setting('app.system', true) = 'on')`.execute(db);
}
