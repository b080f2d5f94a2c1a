import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB, OrgsTable } from '../src/db/schema.ts';
import type { Selectable } from 'kysely';

/** Inserts an org (a fresh one unless told otherwise) and returns the row. */
export async function createOrg(
  db: Kysely<DB>,
  overrides: Partial<{ id: string; name: string; slug: string }> = {},
): Promise<Selectable<OrgsTable>> {
  const id = overrides.id ?? randomUUID();
  return db
    .insertInto('orgs')
    .values({ id, name: overrides.name ?? `Org ${id.slice(0, 6)}`, slug: overrides.slug ?? `org-${id.slice(0, 8)}` })
    .returningAll()
    .executeTakeFirstOrThrow();
}
