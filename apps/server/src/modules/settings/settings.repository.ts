import { sql } from 'kysely';
import { json } from '../../db/schema.ts';
import type { Executor } from '../../db/tenant.ts';
import './settings.tables.ts';

/** Every stored setting in one query (the table holds a few dozen rows at most). */
export async function selectAllSettings(db: Executor): Promise<Array<{ key: string; value: unknown }>> {
  return db.selectFrom('settings').select(['key', 'value']).limit(1000).execute();
}

/** Upserts many settings in one statement. */
export async function upsertSettings(db: Executor, values: Record<string, unknown>, updatedBy: string | null): Promise<void> {
  const rows = Object.entries(values).map(([key, value]) => ({ key, value: json(value), updated_by: updatedBy }));
  if (rows.length === 0) return;
  await db
    .insertInto('settings')
    .values(rows)
    .onConflict((oc) =>
      oc.column('key').doUpdateSet({
        value: (eb) => eb.ref('excluded.value'),
        updated_by: (eb) => eb.ref('excluded.updated_by'),
        updated_at: sql`now()`,
      }),
    )
    .execute();
}
