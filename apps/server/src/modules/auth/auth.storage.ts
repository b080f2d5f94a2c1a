import type { SecondaryStorage } from '@better-auth/core/db';
import type { Valkey } from 'iovalkey';

/**
 * Better Auth's secondary storage on Valkey (sessions and their per-user index), under our key
 * prefix. Shared by every replica, so a revoke is seen everywhere at once.
 */
export function valkeySecondaryStorage(client: Valkey, prefix: string): SecondaryStorage {
  const k = (key: string): string => `${prefix}auth:${key}`;
  return {
    get: (key) => client.get(k(key)),
    getAndDelete: (key) => client.getdel(k(key)),
    async increment(key, ttl) {
      const [[, n]] = (await client.multi().incr(k(key)).expire(k(key), ttl, 'NX').exec()) as [[Error | null, number]];
      return n;
    },
    async set(key, value, ttl) {
      if (ttl && ttl > 0) await client.set(k(key), value, 'EX', Math.ceil(ttl));
      else await client.set(k(key), value);
    },
    delete: (key) => client.del(k(key)).then(() => undefined),
  };
}
