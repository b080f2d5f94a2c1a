import { sql, type Kysely, type Transaction } from 'kysely';
import { APP_ROLE } from './migrations/_tenant.ts';
import type { DB } from './schema.ts';

export { APP_ROLE };

/** A transaction in a tenant context; repositories take it (or the plain Kysely) as `Executor`. */
export type Executor = Kysely<DB> | Transaction<DB>;

/**
 * Runs `fn` in a transaction bound to one org: the role is switched to the unprivileged app role
 * and `app.org_id` is set, both LOCAL to the transaction, in ONE statement. Row-level security then
 * holds even for a query that forgets its `where org_id = …`.
 */
export async function withTenant<T>(db: Kysely<DB>, orgId: string, fn: (tx: Transaction<DB>) => Promise<T>): Promise<T> {
  return db.transaction().execute(async (tx) => {
    await sql`select set_config('role', ${APP_ROLE}, true), set_config('app.org_id', ${orgId}, true)`.execute(tx);
    return fn(tx);
  });
}

/**
 * Runs `fn` in a transaction marked as system work (`app.system = 'on'`): workers and sweeps that
 * legitimately span orgs. Still the app role, so only the policies' explicit system branch admits
 * rows. Use sparingly: every caller is a reviewed, named background task.
 */
export async function withSystem<T>(db: Kysely<DB>, fn: (tx: Transaction<DB>) => Promise<T>): Promise<T> {
  return db.transaction().execute(async (tx) => {
    await sql`select set_config('role', ${APP_ROLE}, true), set_config('app.system', 'on', true)`.execute(tx);
    return fn(tx);
  });
}
