import { sql, type Kysely } from 'kysely';
import type { Actor } from '@cloudnow/shared';
import type { DB } from '../../db/schema.ts';
import { totalOf } from '../../db/database.ts';
import { Forbidden, NotFound } from '../../errors.ts';
import type { AuthManager } from '../../plugins/auth.ts';
import '../auth/auth.tables.ts';

/** A person's own sign-in sessions (per device), newest first, bounded, total from the same query. */
export async function listMySessions(db: Kysely<DB>, actor: Actor, page: { limit: number; offset: number }) {
  if (actor.via !== 'session') throw new Forbidden('a signed-in session');
  const rows = await db
    .selectFrom('auth_sessions')
    .select(['id', 'ip_address', 'user_agent', 'created_at', 'updated_at', 'expires_at'])
    .select(sql<string>`count(*) over()`.as('total'))
    .where('user_id', '=', actor.userId)
    .where('expires_at', '>', new Date())
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
  return { total: totalOf(rows), rows };
}

/** Revokes one of the person's own sessions (404 for anyone else's) through Better Auth, so every cache forgets it. */
export async function revokeMySession(db: Kysely<DB>, auth: Pick<AuthManager, 'instance'>, actor: Actor, id: string): Promise<void> {
  if (actor.via !== 'session') throw new Forbidden('a signed-in session');
  const row = await db
    .selectFrom('auth_sessions')
    .select('token')
    .where('id', '=', id)
    .where('user_id', '=', actor.userId)
    .executeTakeFirst();
  if (!row) throw new NotFound(`Session ${id}`);
  const ctx = await auth.instance.$context;
  await ctx.internalAdapter.deleteSession(row.token);
}
