import { sql, type Insertable, type Kysely, type Selectable, type Updateable } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { toPage } from '../../db/database.ts';
import type { AiProvidersTable } from './ai-providers.tables.ts';

export type ProviderRow = Selectable<AiProvidersTable>;

/** Upper bound on providers read at once (the enabled list is small; this is the safety net). */
export const PROVIDERS_MAX = 200;

/** A page of providers, with the total from the same query. */
export async function listProviders(
  db: Kysely<DB>,
  page: { limit: number; offset: number },
): Promise<{ items: ProviderRow[]; total: number }> {
  const rows = await db
    .selectFrom('ai_providers')
    .selectAll()
    .select(sql<string>`count(*) over()`.as('total'))
    .orderBy('created_at')
    .orderBy('id')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
  return toPage(rows);
}

/** Every enabled provider (bounded), for the model list. */
export async function listEnabledProviders(db: Kysely<DB>): Promise<ProviderRow[]> {
  return db
    .selectFrom('ai_providers')
    .selectAll()
    .where('enabled', '=', true)
    .orderBy('created_at')
    .orderBy('id')
    .limit(PROVIDERS_MAX)
    .execute();
}

export async function findProvider(db: Kysely<DB>, id: string): Promise<ProviderRow | undefined> {
  return db.selectFrom('ai_providers').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Inserts providers in one statement; ids that exist are skipped (seeding is idempotent). */
export async function insertProviders(db: Kysely<DB>, rows: Insertable<AiProvidersTable>[]): Promise<number> {
  if (rows.length === 0) return 0;
  const r = await db
    .insertInto('ai_providers')
    .values(rows)
    .onConflict((oc) => oc.column('id').doNothing())
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0n);
}

export async function updateProvider(db: Kysely<DB>, id: string, patch: Updateable<AiProvidersTable>): Promise<ProviderRow | undefined> {
  return db
    .updateTable('ai_providers')
    .set({ ...patch, updated_at: sql<Date>`now()` })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
}

export async function deleteProvider(db: Kysely<DB>, id: string): Promise<boolean> {
  const r = await db.deleteFrom('ai_providers').where('id', '=', id).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}
