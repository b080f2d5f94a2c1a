import type { Kysely } from 'kysely';
import { Migrator, type MigrationResultSet } from 'kysely/migration';
import { migrations } from './migrations/index.ts';

/** Thrown when a migration fails; carries the failing migration's name. */
export class MigrationError extends Error {
  override name = 'MigrationError';
}

/** Brings the schema up to date. Concurrent callers on PostgreSQL are serialised by Kysely's lock. */
export async function migrateToLatest(db: Kysely<any>): Promise<string[]> {
  // Unordered: branches land migrations with earlier timestamps after later ones have run.
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations }, allowUnorderedMigrations: true });
  const result: MigrationResultSet = await migrator.migrateToLatest();
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error');
    const cause = result.error instanceof Error ? result.error : new Error(String(result.error));
    throw new MigrationError(`migration ${failed?.migrationName ?? '?'} failed: ${cause.message}`, { cause });
  }
  return (result.results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
