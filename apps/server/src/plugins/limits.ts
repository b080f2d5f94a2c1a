import { createHash } from 'node:crypto';
import fp from 'fastify-plugin';
import { LRUCache } from 'lru-cache';
import { Gauge } from 'prom-client';
import type { Valkey } from 'iovalkey';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { sha256Hex } from '../lib/crypto.ts';

/**
 * Layer 2 of rate limiting: per principal (the actor's user, else its API key, else the client
 * IP) per category, fixed windows counted in Valkey — one atomic script call per request, shared
 * by every replica — or in a bounded in-process LRU when embedded. It never touches the database.
 *
 * The category comes from `config.rateCategory`, else from the path (`categoryFor`). The `auth`
 * category counts only *failed* sign-ins per IP + email: an attempt reserves a slot before the
 * handler runs (so parallel guesses cannot slip past the check) and a success gives it back.
 * A Valkey error or timeout fails open: the request is admitted, the error logged and counted.
 * Runs as a preHandler, after the auth plugin has set `request.actor`.
 */
export type RateCategory = 'chat' | 'streams' | 'api' | 'public' | 'auth' | 'setup';

/** One category's budget: at most `max` per `windowMs` per principal. */
export interface CategoryLimit {
  max: number;
  windowMs: number;
}

/** The limits; tests and deployments override any of them through the plugin options. */
export const DEFAULT_LIMITS: Readonly<Record<RateCategory, CategoryLimit>> = Object.freeze({
  chat: { max: 20, windowMs: 60_000 },
  streams: { max: 20, windowMs: 60_000 },
  api: { max: 60, windowMs: 60_000 },
  public: { max: 30, windowMs: 60_000 },
  auth: { max: 5, windowMs: 15 * 60_000 },
  setup: { max: 20, windowMs: 60_000 },
});

/** Plugin options. */
export interface LimitsOptions {
  valkey: Valkey | null;
  prefix: string;
  limits?: Partial<Record<RateCategory, CategoryLimit>>;
  /** Bound of the in-process counter table (default 50 000 principals × categories). */
  maxEntries?: number;
  /** A Valkey call slower than this fails open (default 500 ms). */
  storeTimeoutMs?: number;
}

/** Result of taking a slot: the count after the call, ms until the window resets, whether admitted. */
interface Take {
  count: number;
  resetMs: number;
  admitted: boolean;
}

/** Where counters live. `take` admits and counts only while under `max`; `release` gives one back. */
interface CounterStore {
  take(key: string, max: number, windowMs: number): Promise<Take>;
  release(key: string): Promise<void>;
  size(): number;
}

// KEYS[1] counter; ARGV[1] max, ARGV[2] window ms. Returns {count, pttl, admitted}.
const TAKE_LUA = `
local c = tonumber(redis.call('GET', KEYS[1]) or '0')
local t = redis.call('PTTL', KEYS[1])
if c >= tonumber(ARGV[1]) and t > 0 then return {c, t, 0} end
if t <= 0 then c = 0 end
c = c + 1
if t <= 0 then
  redis.call('SET', KEYS[1], c, 'PX', ARGV[2])
  t = tonumber(ARGV[2])
else
  redis.call('INCR', KEYS[1])
end
return {c, t, 1}`;
const RELEASE_LUA = `
local c = tonumber(redis.call('GET', KEYS[1]) or '0')
if c > 0 then redis.call('DECR', KEYS[1]) end
return 1`;

function valkeyStore(client: Valkey, timeoutMs: number): CounterStore {
  const sha1 = (lua: string): string => createHash('sha1').update(lua).digest('hex');
  const shas = new Map([TAKE_LUA, RELEASE_LUA].map((lua) => [lua, sha1(lua)]));
  // EVALSHA first; on a server that has not seen the script yet (or was restarted) EVAL loads it.
  const run = async (lua: string, key: string, args: Array<string | number>): Promise<unknown> => {
    const call = async (): Promise<unknown> => {
      try {
        return await client.evalsha(shas.get(lua)!, 1, key, ...args);
      } catch (err) {
        if (err instanceof Error && err.message.includes('NOSCRIPT')) return client.eval(lua, 1, key, ...args);
        throw err;
      }
    };
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`valkey: no answer within ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      return await Promise.race([call(), timeout]);
    } finally {
      clearTimeout(timer);
    }
  };
  return {
    async take(key, max, windowMs) {
      const [count, resetMs, admitted] = (await run(TAKE_LUA, key, [max, windowMs])) as [number, number, number];
      return { count, resetMs, admitted: admitted === 1 };
    },
    async release(key) {
      await run(RELEASE_LUA, key, []);
    },
    size: () => 0,
  };
}

function memoryStore(maxEntries: number): CounterStore {
  const table = new LRUCache<string, { count: number; resetAt: number }>({ max: maxEntries });
  return {
    async take(key, max, windowMs) {
      const now = Date.now();
      let entry = table.get(key);
      if (!entry || entry.resetAt <= now) entry = { count: 0, resetAt: now + windowMs };
      const resetMs = entry.resetAt - now;
      if (entry.count >= max) return { count: entry.count, resetMs, admitted: false };
      entry.count++;
      table.set(key, entry, { ttl: resetMs });
      return { count: entry.count, resetMs, admitted: true };
    },
    async release(key) {
      const entry = table.get(key);
      if (entry && entry.count > 0) entry.count--;
    },
    size: () => table.size,
  };
}

const API_PREFIX = '/api/';

/**
 * The category a request falls in when its route declares none; null means layer 2 does not apply
 * (non-API paths, health probes, metrics). Exported for tests and for modules choosing explicitly.
 */
export function categoryFor(path: string, method: string, authenticated: boolean): RateCategory | null {
  if (!path.startsWith(API_PREFIX)) return null;
  if (path.startsWith('/api/auth/sign-in/')) return 'auth';
  if (path.startsWith('/api/setup/')) return 'setup';
  // Better Auth's other endpoints (get-session, callbacks) carry no actor: per IP, the api budget
  if (path.startsWith('/api/auth/')) return 'api';
  if (/\/stream(s)?(\/|$)|\/events$/.test(path)) return 'streams';
  if (/^\/api\/(v1\/)?chat(\/|$)/.test(path) || /\/tools\/[^/]+\/execute$/.test(path)) return 'chat';
  if (path === '/api/models' || path.startsWith('/api/models/')) return 'public';
  if (!authenticated && (method === 'GET' || method === 'HEAD')) return 'public';
  return 'api';
}

/** Decisions since start, per category (exported at /metrics). */
export interface LimitsStats {
  admitted: Record<RateCategory, number>;
  limited: Record<RateCategory, number>;
  storeErrors: number;
}

/** What the plugin decorates as `app.limits`. */
export interface Limits {
  readonly mode: 'memory' | 'valkey';
  readonly limits: Readonly<Record<RateCategory, CategoryLimit>>;
  stats(): LimitsStats;
}

declare module 'fastify' {
  interface FastifyInstance {
    limits: Limits;
  }
  interface FastifyRequest {
    /** Set when a sign-in attempt holds an `auth` slot; a success gives it back. */
    authSlotKey?: string;
  }
}

function principalOf(req: FastifyRequest): string {
  const actor = req.actor ?? null;
  if (actor?.userId) return `user:${actor.userId}`;
  if (actor?.apiKeyId) return `key:${actor.apiKeyId}`;
  return `ip:${req.ip}`;
}

function signInEmail(req: FastifyRequest): string {
  const body = req.body as { email?: unknown } | undefined;
  const email = typeof body?.email === 'string' ? body.email.trim().toLowerCase() : '';
  return email ? sha256Hex(email).slice(0, 32) : '-';
}

const zero = (): Record<RateCategory, number> => ({ chat: 0, streams: 0, api: 0, public: 0, auth: 0, setup: 0 });

/**
 * Decorates `app.limits` and adds the preHandler/onResponse hooks. Register it after the auth
 * plugin (whose onRequest hook sets `request.actor`). Metrics: cloudnow_rate_limit_decisions
 * {category,result} (own labelled gauge: `app.metrics.gauge` registers with no label names),
 * cloudnow_rate_limit_store_errors and cloudnow_rate_limit_entries.
 */
export default fp(
  async (app, opts: LimitsOptions) => {
    const limits = Object.freeze({ ...DEFAULT_LIMITS, ...(opts.limits ?? {}) });
    const store = opts.valkey ? valkeyStore(opts.valkey, opts.storeTimeoutMs ?? 500) : memoryStore(opts.maxEntries ?? 50_000);
    const base = `${opts.prefix}rl:`;
    const stats: LimitsStats = { admitted: zero(), limited: zero(), storeErrors: 0 };

    const failOpen = (req: FastifyRequest, err: unknown): void => {
      stats.storeErrors++;
      req.log.warn({ err: err instanceof Error ? err.message : String(err) }, 'limits: counter store failed; admitting');
    };

    const setHeaders = (reply: FastifyReply, limit: CategoryLimit, t: Take): void => {
      reply.header('x-ratelimit-limit', limit.max);
      reply.header('x-ratelimit-remaining', Math.max(0, limit.max - t.count));
      reply.header('x-ratelimit-reset', Math.max(1, Math.ceil(t.resetMs / 1000)));
    };

    app.addHook('preHandler', async (req, reply) => {
      const config = req.routeOptions.config as { rateLimit?: unknown; rateCategory?: RateCategory } | undefined;
      if (!req.routeOptions.url || config?.rateLimit === false) return;
      const path = req.url.split('?')[0] ?? req.url;
      const category = config?.rateCategory ?? categoryFor(path, req.method, req.actor != null);
      if (!category) return;
      const limit = limits[category];
      const key = category === 'auth' ? `${base}auth:${req.ip}:${signInEmail(req)}` : `${base}${category}:${principalOf(req)}`;
      let taken: Take;
      try {
        taken = await store.take(key, limit.max, limit.windowMs);
      } catch (err) {
        failOpen(req, err);
        return;
      }
      setHeaders(reply, limit, taken);
      if (!taken.admitted) {
        stats.limited[category]++;
        const retry = Math.max(1, Math.ceil(taken.resetMs / 1000));
        reply.header('retry-after', retry);
        const what = category === 'auth' ? 'Too many failed sign-in attempts' : `Rate limit for ${category} requests reached`;
        return reply.code(429).send({ code: 'RATE_LIMITED', message: `${what}; try again in ${retry} s` });
      }
      stats.admitted[category]++;
      if (category === 'auth') req.authSlotKey = key;
    });

    // A sign-in that did not fail returns its slot: only failures use up the budget.
    app.addHook('onResponse', async (req, reply) => {
      if (!req.authSlotKey) return;
      const failed = reply.statusCode >= 400 && reply.statusCode < 500;
      if (failed) return;
      await store.release(req.authSlotKey).catch((err: unknown) => failOpen(req, err));
    });

    app.decorate('limits', { mode: opts.valkey ? 'valkey' : 'memory', limits, stats: () => stats } satisfies Limits);

    if (app.hasDecorator('metrics')) {
      new Gauge({
        name: 'cloudnow_rate_limit_decisions',
        help: 'Layer-2 rate-limit decisions since start, by category and result',
        labelNames: ['category', 'result'],
        registers: [app.metrics.registry],
        collect() {
          for (const c of Object.keys(limits) as RateCategory[]) {
            this.set({ category: c, result: 'admitted' }, stats.admitted[c]);
            this.set({ category: c, result: 'limited' }, stats.limited[c]);
          }
        },
      });
      app.metrics.gauge('cloudnow_rate_limit_store_errors', 'Layer-2 counter-store errors (requests admitted)', () => stats.storeErrors);
      app.metrics.gauge('cloudnow_rate_limit_entries', 'Counters in the in-process layer-2 table', () => store.size());
    }
  },
  { name: 'limits' },
);
