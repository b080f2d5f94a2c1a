import type { Kysely } from 'kysely';
import type { Role } from '@cloudnow/shared';
import type { Cache } from '../../plugins/cache.ts';
import type { DB } from '../../db/schema.ts';
import './orgs.tables.ts';

/** One of a user's memberships, as the auth hook needs it. */
export interface Membership {
  orgId: string;
  role: Role;
}

/** A user may belong to at most this many orgs as far as actor resolution is concerned. */
export const MEMBERSHIPS_MAX = 500;
const NS = 'members';

/**
 * A user's memberships (oldest first) through the cache: one query on a miss, none when warm.
 * Every membership write must call `invalidateMemberships` for the user (all replicas).
 */
export function membershipsOf(deps: { db: () => Kysely<DB>; cache: Pick<Cache, 'getOrFetch'> }, userId: string): Promise<Membership[]> {
  return deps.cache.getOrFetch(NS, userId, async () => {
    const rows = await deps
      .db()
      .selectFrom('org_members')
      .select(['org_id', 'role'])
      .where('user_id', '=', userId)
      .orderBy('created_at')
      .orderBy('org_id')
      .limit(MEMBERSHIPS_MAX)
      .execute();
    return rows.map((r) => ({ orgId: r.org_id, role: r.role }));
  });
}

/** Drops a user's cached memberships on every replica. */
export function invalidateMemberships(cache: Pick<Cache, 'del'>, userId: string): Promise<void> {
  return cache.del(NS, userId);
}
