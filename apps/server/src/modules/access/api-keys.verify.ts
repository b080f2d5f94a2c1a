import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Permission } from '@cloudnow/shared';
import type { Cache } from '../../plugins/cache.ts';
import type { DB } from '../../db/schema.ts';
import { withSystem } from '../../db/tenant.ts';
import './access.tables.ts';

/** Every API key starts with this; anything else in `Authorization: Bearer` is not an API key. */
export const API_KEY_PREFIX = 'cn_';
/** Characters of the key kept in the clear for display (`cn_` + 8). */
export const API_KEY_DISPLAY_CHARS = 11;
/** How long a verified (or unknown) key is cached; revocation invalidates at once. */
export const API_KEY_CACHE_SECONDS = 300;

/** What the auth hook needs to know about a key. */
export interface VerifiedKey {
  id: string;
  orgId: string;
  userId: string;
  permissions: Permission[];
  /** Epoch ms or null. */
  expiresAt: number | null;
  revoked: boolean;
}

/** SHA-256 hex of a key secret (what is stored and looked up). */
export function hashApiKey(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/** Whether a string has the shape of one of our keys (cheap check before hashing). */
export function looksLikeApiKey(value: string): boolean {
  return value.startsWith(API_KEY_PREFIX) && value.length >= 20 && value.length <= 200;
}

/**
 * Looks a key up by its hash through the cache (unknown keys are cached as null too), so a warm
 * API-key request costs no query. The lookup spans orgs (the org is what we are finding out), so it
 * runs as the reviewed system task "API key verification".
 */
export function findApiKey(deps: { db: () => Kysely<DB>; cache: Pick<Cache, 'getOrFetch'> }, secret: string): Promise<VerifiedKey | null> {
  const hash = hashApiKey(secret);
  return deps.cache.getOrFetch(
    'apikey',
    hash,
    async (): Promise<VerifiedKey | null> => {
      const row = await withSystem(deps.db(), (tx) =>
        tx
          .selectFrom('api_keys')
          .select(['id', 'org_id', 'user_id', 'permissions', 'expires_at', 'revoked_at'])
          .where('key_hash', '=', hash)
          .limit(1)
          .executeTakeFirst(),
      );
      if (!row) return null;
      return {
        id: row.id,
        orgId: row.org_id,
        userId: row.user_id,
        permissions: row.permissions,
        expiresAt: row.expires_at ? new Date(row.expires_at).getTime() : null,
        revoked: row.revoked_at !== null,
      };
    },
    API_KEY_CACHE_SECONDS,
  );
}

/**
 * Records key usage without a write per request: touched ids are collected (bounded) and written
 * with ONE `UPDATE … WHERE id = ANY(…)` per flush (every 60 s, and on close), so `last_used_at`
 * changes at most once a minute per key.
 */
export class ApiKeyUsage {
  static readonly MAX_PENDING = 10_000;
  readonly #pending = new Set<string>();
  readonly #db: () => Kysely<DB>;
  constructor(db: () => Kysely<DB>) {
    this.#db = db;
  }
  touch(id: string): void {
    if (this.#pending.size < ApiKeyUsage.MAX_PENDING) this.#pending.add(id);
  }
  get pending(): number {
    return this.#pending.size;
  }
  async flush(): Promise<number> {
    if (this.#pending.size === 0) return 0;
    const ids = [...this.#pending];
    this.#pending.clear();
    await withSystem(this.#db(), (tx) => tx.updateTable('api_keys').set({ last_used_at: new Date() }).where('id', 'in', ids).execute());
    return ids.length;
  }
}
