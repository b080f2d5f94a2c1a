import { sql, type Insertable, type Selectable, type Updateable } from 'kysely';
import type { Executor } from '../../db/tenant.ts';
import { toPage } from '../../db/database.ts';
import type { IdpProvidersTable } from './idp.tables.ts';

/** A stored provider row. */
export type IdpRow = Selectable<IdpProvidersTable>;

/** Enabled providers are few; this bounds every read of them anyway. */
export const MAX_ENABLED_PROVIDERS = 100;

/**
 * Typed queries over `idp_providers`. The table is portal-level (no org id, no RLS): callers are
 * the admin service (admin:settings) and the auth reload, so no tenant parameter exists here.
 */
export const idpRepository = {
  /** One page, newest first, with the total from the same statement. */
  async list(db: Executor, page: { limit: number; offset: number }): Promise<{ rows: IdpRow[]; total: number }> {
    const rows = await db
      .selectFrom('idp_providers')
      .selectAll()
      .select(sql<string>`count(*) over()`.as('total'))
      .orderBy('created_at', 'desc')
      .orderBy('id')
      .limit(page.limit)
      .offset(page.offset)
      .execute();
    // An offset past the end returns no row and so no window total: 0 then (a known count(*) over() edge).
    const { items, total } = toPage(rows);
    return { rows: items, total };
  },

  async get(db: Executor, id: string): Promise<IdpRow | undefined> {
    return db.selectFrom('idp_providers').selectAll().where('id', '=', id).executeTakeFirst();
  },

  /** The enabled providers, oldest first (button order), bounded. */
  async listEnabled(db: Executor): Promise<IdpRow[]> {
    return db
      .selectFrom('idp_providers')
      .selectAll()
      .where('enabled', '=', true)
      .orderBy('created_at')
      .orderBy('id')
      .limit(MAX_ENABLED_PROVIDERS)
      .execute();
  },

  async insert(db: Executor, row: Insertable<IdpProvidersTable>): Promise<IdpRow> {
    return db.insertInto('idp_providers').values(row).returningAll().executeTakeFirstOrThrow();
  },

  async update(db: Executor, id: string, patch: Updateable<IdpProvidersTable>): Promise<IdpRow | undefined> {
    return db
      .updateTable('idp_providers')
      .set({ ...patch, updated_at: sql<string>`now()` })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst();
  },

  async remove(db: Executor, id: string): Promise<IdpRow | undefined> {
    return db.deleteFrom('idp_providers').where('id', '=', id).returningAll().executeTakeFirst();
  },

  /** Which of `ids` are existing orgs (one statement, bounded by the input). */
  async existingOrgIds(db: Executor, ids: readonly string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const rows = await db
      .selectFrom('orgs')
      .select('id')
      .where('id', 'in', [...ids])
      .limit(ids.length)
      .execute();
    return new Set(rows.map((r) => r.id));
  },
};
