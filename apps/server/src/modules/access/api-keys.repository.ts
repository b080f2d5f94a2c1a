import { sql } from 'kysely';
import type { Permission } from '@cloudnow/shared';
import { json } from '../../db/schema.ts';
import { totalOf } from '../../db/database.ts';
import type { Executor } from '../../db/tenant.ts';
import './access.tables.ts';

const COLUMNS = ['id', 'user_id', 'name', 'prefix', 'permissions', 'expires_at', 'last_used_at', 'revoked_at', 'created_at'] as const;

/** Inserts a key (hash + prefix only) and returns its public columns. */
export async function insertApiKey(
  db: Executor,
  row: {
    org_id: string;
    user_id: string;
    name: string;
    prefix: string;
    key_hash: string;
    permissions: Permission[];
    expires_at: Date | null;
  },
) {
  return db
    .insertInto('api_keys')
    .values({ ...row, permissions: json(row.permissions) })
    .returning([...COLUMNS])
    .executeTakeFirstOrThrow();
}

/** An org's keys (one user's, or all when `userId` is null), newest first; total from the same query. */
export async function listApiKeys(db: Executor, orgId: string, userId: string | null, page: { limit: number; offset: number }) {
  let q = db
    .selectFrom('api_keys')
    .select([...COLUMNS])
    .select(sql<string>`count(*) over()`.as('total'))
    .where('org_id', '=', orgId);
  if (userId) q = q.where('user_id', '=', userId);
  const rows = await q.orderBy('created_at', 'desc').orderBy('id').limit(page.limit).offset(page.offset).execute();
  return { total: totalOf(rows), rows };
}

/** Marks a key of this org revoked (optionally only if it is this user's); returns its hash, or undefined. */
export async function revokeApiKey(db: Executor, orgId: string, id: string, userId: string | null) {
  let q = db
    .updateTable('api_keys')
    .set({ revoked_at: new Date() })
    .where('org_id', '=', orgId)
    .where('id', '=', id)
    .where('revoked_at', 'is', null);
  if (userId) q = q.where('user_id', '=', userId);
  return q.returning(['key_hash', 'name', 'prefix', 'user_id']).executeTakeFirst();
}
