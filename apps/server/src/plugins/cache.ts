import { randomUUID } from 'node:crypto';
import fp from 'fastify-plugin';
import { LRUCache } from 'lru-cache';
import type { Valkey } from 'iovalkey';
import type { FastifyBaseLogger } from 'fastify';
import type { EventBus } from './events.ts';

/** Default TTLs (seconds) per namespace; `getOrFetch` callers may pass their own. */
export const namespaceTtls: Record<string, number> = {
  settings: 1800,
  models: 300,
  providers: 120,
  idp: 120,
  mcp: 1800,
  session: 600,
  default: 300,
};

/** Counters exported at /metrics. */
export interface CacheStats {
  hits: number;
  misses: number;
  errors: number;
  size: number;
}

/**
 * Cache-aside with single-flight: concurrent misses for one key share one loader call. Valkey when
 * configured (shared by every replica, plus a bounded in-process L1 that invalidation events clear
 * on every instance), otherwise an in-process LRU. Fails open: a Valkey error is logged, counted
 * and answered by the loader.
 */
export interface Cache {
  readonly mode: 'memory' | 'valkey';
  getOrFetch<T>(namespace: string, key: string, loader: () => Promise<T>, ttlSeconds?: number): Promise<T>;
  get<T>(namespace: string, key: string): Promise<T | undefined>;
  set(namespace: string, key: string, value: unknown, ttlSeconds?: number): Promise<void>;
  /** Deletes one key on every replica. */
  del(namespace: string, key: string): Promise<void>;
  /** Deletes every key of a namespace starting with `prefix` on every replica. */
  delPrefix(namespace: string, prefix?: string): Promise<void>;
  stats(): CacheStats;
  close(): Promise<void>;
}

const MAX_L1_ENTRIES = 10_000;
/** Longest an L1 entry may live on a replica, even if an invalidation message were lost. */
const MAX_L1_TTL_MS = 60_000;

interface Box {
  v: unknown;
}

/** What `createCache` needs: Valkey (or null for in-process), the key prefix, the bus, a logger. */
export interface CacheOptions {
  valkey: Valkey | null;
  prefix: string;
  bus: EventBus;
  log: FastifyBaseLogger;
  maxEntries?: number;
}

/** Creates the cache (the plugin decorates `app.cache` with one; tests build their own). */
export function createCache(opts: CacheOptions): Cache {
  const { valkey, prefix, bus, log } = opts;
  const stats = { hits: 0, misses: 0, errors: 0 };
  const local = new LRUCache<string, Box>({ max: opts.maxEntries ?? MAX_L1_ENTRIES, ttlAutopurge: false });
  // Loads in flight, by full key. An invalidation while a load runs marks it stale: its value
  // (read before the change) is returned to its callers but never stored, and later callers
  // start a fresh load. Bounded by the number of keys being loaded at once.
  const inflight = new Map<string, { promise: Promise<unknown>; stale: boolean }>();
  /** Identifies this cache's invalidations on the bus. */
  const instanceId = randomUUID();
  const fullKey = (ns: string, key: string): string => `${ns}:${key}`;
  const ttlOf = (ns: string, ttl?: number): number => ttl ?? namespaceTtls[ns] ?? namespaceTtls.default!;

  const dropLocal = (ns: string, keyPrefix: string, exact: boolean): void => {
    const full = fullKey(ns, keyPrefix);
    for (const [k, load] of inflight) {
      if (exact ? k === full : k.startsWith(full)) {
        load.stale = true;
        inflight.delete(k);
      }
    }
    if (exact) {
      local.delete(full);
      return;
    }
    for (const k of local.keys()) if (k.startsWith(full)) local.delete(k);
  };
  const unsubscribe = bus.subscribe('cache.invalidate', ({ namespace, key, prefix: isPrefix, origin }) => {
    // Our own invalidation comes back from Valkey later; it was applied locally already, and
    // applying it again would throw away a value loaded (fresh) after it.
    if (origin === instanceId) return;
    dropLocal(namespace, key, !isPrefix);
  });

  const failOpen = (err: unknown, op: string): void => {
    stats.errors++;
    log.warn({ err, op }, 'cache: valkey error, failing open');
  };

  async function readRemote(full: string): Promise<Box | undefined> {
    if (!valkey) return undefined;
    try {
      const raw = await valkey.get(prefix + 'cache:' + full);
      return raw === null ? undefined : { v: JSON.parse(raw) as unknown };
    } catch (err) {
      failOpen(err, 'get');
      return undefined;
    }
  }

  async function writeRemote(full: string, value: unknown, ttl: number): Promise<void> {
    if (!valkey) return;
    try {
      // EX takes whole seconds: a fractional TTL is rounded up (Valkey rejects it otherwise).
      await valkey.set(prefix + 'cache:' + full, JSON.stringify(value ?? null), 'EX', Math.max(1, Math.ceil(ttl)));
    } catch (err) {
      failOpen(err, 'set');
    }
  }

  function setLocal(full: string, value: unknown, ttl: number): void {
    const ms = ttl * 1000;
    local.set(full, { v: value }, { ttl: valkey ? Math.min(ms, MAX_L1_TTL_MS) : ms });
  }

  async function get<T>(ns: string, key: string): Promise<T | undefined> {
    const full = fullKey(ns, key);
    const hit = local.get(full);
    if (hit) return hit.v as T;
    const remote = await readRemote(full);
    if (remote) {
      setLocal(full, remote.v, ttlOf(ns));
      return remote.v as T;
    }
    return undefined;
  }

  async function set(ns: string, key: string, value: unknown, ttlSeconds?: number): Promise<void> {
    const ttl = ttlOf(ns, ttlSeconds);
    setLocal(fullKey(ns, key), value, ttl);
    await writeRemote(fullKey(ns, key), value, ttl);
  }

  return {
    mode: valkey ? 'valkey' : 'memory',
    async getOrFetch<T>(ns: string, key: string, loader: () => Promise<T>, ttlSeconds?: number): Promise<T> {
      const full = fullKey(ns, key);
      const hit = local.get(full);
      if (hit) {
        stats.hits++;
        return hit.v as T;
      }
      const pending = inflight.get(full);
      if (pending) {
        stats.hits++;
        return pending.promise as Promise<T>;
      }
      const load: { promise: Promise<unknown>; stale: boolean } = { promise: Promise.resolve(), stale: false };
      const work = (async () => {
        const remote = await readRemote(full);
        if (remote && !load.stale) {
          stats.hits++;
          setLocal(full, remote.v, ttlOf(ns, ttlSeconds));
          return remote.v as T;
        }
        stats.misses++;
        const value = await loader();
        if (!load.stale) await set(ns, key, value, ttlSeconds);
        return value;
      })();
      load.promise = work;
      inflight.set(full, load);
      try {
        return await work;
      } finally {
        if (inflight.get(full) === load) inflight.delete(full);
      }
    },
    get,
    set,
    async del(ns, key) {
      dropLocal(ns, key, true);
      if (valkey) {
        try {
          await valkey.del(prefix + 'cache:' + fullKey(ns, key));
        } catch (err) {
          failOpen(err, 'del');
        }
      }
      await bus.publish('cache.invalidate', { namespace: ns, key, prefix: false, origin: instanceId });
    },
    async delPrefix(ns, keyPrefix = '') {
      dropLocal(ns, keyPrefix, false);
      if (valkey) {
        try {
          const pattern = prefix + 'cache:' + fullKey(ns, keyPrefix) + '*';
          let cursor = '0';
          do {
            const [next, keys] = await valkey.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
            cursor = next;
            if (keys.length > 0) await valkey.del(...keys);
          } while (cursor !== '0');
        } catch (err) {
          failOpen(err, 'delPrefix');
        }
      }
      await bus.publish('cache.invalidate', { namespace: ns, key: keyPrefix, prefix: true, origin: instanceId });
    },
    stats: () => ({ ...stats, size: local.size }),
    async close() {
      unsubscribe();
      local.clear();
    },
  };
}

declare module './events.ts' {
  interface EventMap {
    /** Drop a cached key (or prefix) from every replica's L1. */
    'cache.invalidate': { namespace: string; key: string; prefix: boolean; origin?: string };
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    cache: Cache;
  }
}

/** Decorates `app.cache`; needs the events plugin (invalidation fans out over the bus). */
export default fp(
  async (app, opts: { valkey: Valkey | null; prefix: string }) => {
    const cache = createCache({ valkey: opts.valkey, prefix: opts.prefix, bus: app.events, log: app.log });
    app.decorate('cache', cache);
    app.addHook('onClose', async () => cache.close());
  },
  { name: 'cache', dependencies: ['events'] },
);
