import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Valkey } from 'iovalkey';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { countQueries } from '../db/query-counter.ts';
import { createTestDatabase, type TestApp, type TestDatabase } from '../../test/harness.ts';
import { apiKeyFor, loginAs } from '../../test/auth.ts';
import { buildIdpTestApp, testValkey, type IdpTestApp } from '../modules/idp/idp.test-support.ts';
import limitsPlugin, { categoryFor, type CategoryLimit, type RateCategory } from './limits.ts';

const SMALL: Partial<Record<RateCategory, CategoryLimit>> = {
  chat: { max: 3, windowMs: 60_000 },
  streams: { max: 2, windowMs: 60_000 },
  api: { max: 4, windowMs: 60_000 },
  public: { max: 3, windowMs: 60_000 },
  auth: { max: 5, windowMs: 15 * 60_000 },
  setup: { max: 2, windowMs: 60_000 },
};

/**
 * The real app (real auth plugin and Better Auth sign-in) plus authenticated stand-in routes for
 * each category; principals are real users signed in with `loginAs`.
 */
async function build(env: Record<string, string> = {}, database?: TestDatabase): Promise<IdpTestApp> {
  return buildIdpTestApp({
    env,
    ...(database ? { database } : {}),
    limits: SMALL,
    beforeReady: (app) => {
      app.get('/api/things', async () => ({ ok: true }));
      app.get('/api/db-probe', async () => {
        await sql`select 1`.execute(app.db);
        return { ok: true };
      });
      app.post('/api/chat/probe', async () => ({ ok: true }));
      app.post('/api/test/tools/:name/execute', async () => ({ ok: true }));
      app.get('/api/workflows/runs/:id/stream', async () => ({ ok: true }));
      app.get('/api/declared', { config: { rateCategory: 'streams' } }, async () => ({ ok: true }));
      app.get('/api/unlimited', { config: { rateLimit: false } }, async () => ({ ok: true }));
      app.post('/api/setup/thing', { config: { public: true } }, async () => ({ ok: true }));
    },
  });
}

async function hit(app: FastifyInstance, method: 'GET' | 'POST', url: string, headers: Record<string, string> = {}, payload?: object) {
  // awaited here so the request runs inside the caller's countQueries scope (inject is lazy)
  return await app.inject({ method, url, headers, ...(payload ? { payload } : {}) });
}

describe('categoryFor', () => {
  it.each([
    ['/api/auth/sign-in/email', 'POST', false, 'auth'],
    ['/api/setup/complete', 'POST', false, 'setup'],
    ['/api/chat', 'POST', true, 'chat'],
    ['/api/chat/threads', 'GET', true, 'chat'],
    ['/api/test/tools/listInstances/execute', 'POST', true, 'chat'],
    ['/api/workflows/runs/1/stream', 'GET', true, 'streams'],
    ['/api/models', 'GET', false, 'public'],
    ['/api/auth/get-session', 'GET', false, 'api'],
    ['/api/auth/callback/corp-sso', 'GET', false, 'api'],
    ['/api/things', 'GET', true, 'api'],
    ['/api/things', 'POST', false, 'api'],
    ['/healthz', 'GET', false, null],
    ['/assets/app.js', 'GET', false, null],
  ])('%s %s (authenticated %s) → %s', (path, method, authed, want) => {
    expect(categoryFor(path, method, authed)).toBe(want);
  });
});

describe('layer-2 limits', () => {
  let t: IdpTestApp;
  beforeAll(async () => {
    t = await build();
  });
  afterAll(() => t.close());

  /** A fresh signed-in user (their own budget in every category). */
  const user = async (): Promise<Record<string, string>> => (await loginAs(t as TestApp)).headers;
  const signIn = (ip: string, email: string, password: string) =>
    hit(t.app, 'POST', '/api/auth/sign-in/email', { 'x-forwarded-for': ip }, { email, password });

  it('admits the api budget per user with headers, then 429 with Retry-After and a coded body', async () => {
    const h = await user();
    for (let i = 1; i <= 4; i++) {
      const r = await hit(t.app, 'GET', '/api/things', h);
      expect(r.statusCode).toBe(200);
      expect(r.headers['x-ratelimit-limit']).toBe('4');
      expect(r.headers['x-ratelimit-remaining']).toBe(String(4 - i));
      expect(Number(r.headers['x-ratelimit-reset'])).toBeGreaterThan(0);
    }
    const r = await hit(t.app, 'GET', '/api/things', h);
    expect(r.statusCode).toBe(429);
    expect(r.json()).toEqual({ code: 'RATE_LIMITED', message: expect.stringMatching(/api requests.*try again in \d+ s/) });
    expect(Number(r.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(r.headers['retry-after'])).toBeLessThanOrEqual(60);
    expect(r.headers['x-ratelimit-remaining']).toBe('0');
    // another principal has its own budget, from the same IP
    expect((await hit(t.app, 'GET', '/api/things', await user())).statusCode).toBe(200);
  });

  it('keys API-key requests by the actor, like sessions', async () => {
    const login = await loginAs(t as TestApp);
    const key = await apiKeyFor(t as TestApp, login, ['tools:read']);
    for (let i = 0; i < 4; i++) expect((await hit(t.app, 'GET', '/api/things', key.headers)).statusCode).toBe(200);
    expect((await hit(t.app, 'GET', '/api/things', key.headers)).statusCode).toBe(429);
    // the key's requests are the user's: the session shares the spent budget
    expect((await hit(t.app, 'GET', '/api/things', login.headers)).statusCode).toBe(429);
  });

  it.each([
    ['chat', 'POST', '/api/chat/probe', 3],
    ['chat (tool execution)', 'POST', '/api/test/tools/listInstances/execute', 3],
    ['streams', 'GET', '/api/workflows/runs/r1/stream', 2],
    ['streams (declared on the route)', 'GET', '/api/declared', 2],
  ] as const)('enforces the %s limit', async (_name, method, url, max) => {
    const h = await user();
    for (let i = 0; i < max; i++) expect((await hit(t.app, method, url, h)).statusCode).toBe(200);
    const r = await hit(t.app, method, url, h);
    expect(r.statusCode).toBe(429);
    expect(r.headers['x-ratelimit-limit']).toBe(String(max));
  });

  it('keeps categories apart: using up chat leaves api untouched', async () => {
    const h = await user();
    for (let i = 0; i < 3; i++) await hit(t.app, 'POST', '/api/chat/probe', h);
    expect((await hit(t.app, 'POST', '/api/chat/probe', h)).statusCode).toBe(429);
    expect((await hit(t.app, 'GET', '/api/things', h)).statusCode).toBe(200);
  });

  it('limits unauthenticated public reads per IP (the real /api/models and /api/auth/providers)', async () => {
    for (const url of ['/api/models', '/api/auth/providers']) {
      const ip = { 'x-forwarded-for': url === '/api/models' ? '203.0.113.7' : '203.0.113.9' };
      for (let i = 0; i < 3; i++) expect((await hit(t.app, 'GET', url, ip)).statusCode).toBe(200);
      const r = await hit(t.app, 'GET', url, ip);
      expect(r.statusCode).toBe(429);
      expect(r.headers['x-ratelimit-limit']).toBe('3');
    }
    expect((await hit(t.app, 'GET', '/api/models', { 'x-forwarded-for': '203.0.113.8' })).statusCode).toBe(200);
  });

  it('limits setup routes per IP', async () => {
    const ip = { 'x-forwarded-for': '203.0.113.20' };
    for (let i = 0; i < 2; i++) expect((await hit(t.app, 'POST', '/api/setup/thing', ip)).statusCode).toBe(200);
    expect((await hit(t.app, 'POST', '/api/setup/thing', ip)).statusCode).toBe(429);
  });

  it('skips routes that opt out and non-API paths', async () => {
    const h = await user();
    for (let i = 0; i < 8; i++) expect((await hit(t.app, 'GET', '/api/unlimited', h)).statusCode).toBe(200);
    const r = await hit(t.app, 'GET', '/healthz', h);
    expect(r.headers['x-ratelimit-limit']).not.toBe('4');
  });

  it('blocks the 6th sign-in after 5 failures, even with the right password (real Better Auth sign-in)', async () => {
    const { user: u, password } = await loginAs(t as TestApp);
    for (let i = 0; i < 5; i++) {
      const r = await signIn('198.51.100.9', u.email, 'wrong-password-123');
      expect(r.statusCode).toBe(401);
    }
    const sixth = await signIn('198.51.100.9', u.email, password);
    expect(sixth.statusCode).toBe(429);
    expect(sixth.json()).toMatchObject({ code: 'RATE_LIMITED', message: expect.stringMatching(/failed sign-in/) });
    expect(sixth.headers['set-cookie']).toBeUndefined();
    const retry = Number(sixth.headers['retry-after']);
    expect(retry).toBeGreaterThan(14 * 60);
    expect(retry).toBeLessThanOrEqual(15 * 60);
    // the key is IP + email: the same account from another address still signs in
    expect((await signIn('198.51.100.10', u.email, password)).statusCode).toBe(200);
  });

  it('does not count successful sign-ins', async () => {
    const { user: u, password } = await loginAs(t as TestApp);
    const ip = '198.51.100.30';
    for (let i = 0; i < 7; i++) expect((await signIn(ip, u.email, password)).statusCode).toBe(200);
    for (let i = 0; i < 4; i++) expect((await signIn(ip, u.email, 'nope-nope-nope')).statusCode).toBe(401);
    expect((await signIn(ip, u.email, password)).statusCode).toBe(200);
    expect((await signIn(ip, u.email, 'nope-nope-nope')).statusCode).toBe(401);
    expect((await signIn(ip, u.email, password)).statusCode).toBe(429);
  });

  it('counts parallel failed guesses before any of them finishes', async () => {
    const { user: u } = await loginAs(t as TestApp);
    const all = await Promise.all(Array.from({ length: 12 }, () => signIn('198.51.100.40', u.email, 'guess-guess-guess')));
    expect(all.filter((r) => r.statusCode === 401)).toHaveLength(5);
    expect(all.filter((r) => r.statusCode === 429)).toHaveLength(7);
  });

  it('sends zero database statements for a warm authenticated request (auth + limits)', async () => {
    const h = await user();
    await hit(t.app, 'GET', '/api/me', h); // warm the session and membership caches
    // the counter sees a route's own statement, so the zeros below are not vacuous
    expect((await countQueries(() => hit(t.app, 'GET', '/api/db-probe', h))).data).toBe(1);
    const admitted = await countQueries(() => hit(t.app, 'GET', '/api/me', h));
    expect(admitted.result.statusCode).toBe(200);
    expect(admitted.result.headers['x-ratelimit-limit']).toBe('4');
    expect(admitted.statements).toEqual([]);
    for (let i = 0; i < 3; i++) await hit(t.app, 'GET', '/api/things', h);
    const refused = await countQueries(() => hit(t.app, 'GET', '/api/things', h));
    expect(refused.result.statusCode).toBe(429);
    expect(refused.total).toBe(0);
    for (let i = 0; i < 5; i++) await signIn('198.51.100.77', 'nobody@example.com', 'x-x-x-x-x-x');
    const blocked = await countQueries(() => signIn('198.51.100.77', 'nobody@example.com', 'x-x-x-x-x-x'));
    expect(blocked.result.statusCode).toBe(429);
    expect(blocked.total).toBe(0);
  });

  it('exports its decisions at /metrics', async () => {
    const r = await hit(t.app, 'GET', '/metrics');
    expect(r.statusCode).toBe(200);
    const limited = /cloudnow_rate_limit_decisions\{category="api",result="limited"\} (\d+)/.exec(r.body);
    expect(Number(limited?.[1])).toBeGreaterThanOrEqual(1);
    expect(r.body).toMatch(/cloudnow_rate_limit_decisions\{category="auth",result="limited"\} [1-9]/);
    expect(r.body).toMatch(/cloudnow_rate_limit_store_errors \d+/);
    expect(r.body).toMatch(/cloudnow_rate_limit_entries \d+/);
  });
});

describe('fail-open', () => {
  it('admits requests and counts the error when Valkey fails or hangs', async () => {
    for (const evalsha of [() => Promise.reject(new Error('connection lost')), () => new Promise(() => {})]) {
      const broken = { evalsha, eval: evalsha } as unknown as Valkey;
      const app = Fastify();
      await app.register(limitsPlugin, { valkey: broken, prefix: 'x:', limits: { api: { max: 1, windowMs: 60_000 } }, storeTimeoutMs: 50 });
      app.get('/api/x', async () => ({ ok: true }));
      for (let i = 0; i < 3; i++) expect((await app.inject({ url: '/api/x', method: 'POST' })).statusCode).toBe(404);
      for (let i = 0; i < 3; i++) expect((await app.inject({ url: '/api/x' })).statusCode).toBe(200);
      expect(app.limits.stats().storeErrors).toBe(3);
      await app.close();
    }
  });
});

describe('two instances on one Valkey', () => {
  let vk: Awaited<ReturnType<typeof testValkey>>;
  let database: TestDatabase | undefined;
  let a: IdpTestApp | undefined;
  let b: IdpTestApp | undefined;
  beforeAll(async () => {
    vk = await testValkey();
    if ('skip' in vk) {
      console.warn(`cross-instance rate-limit test skipped: ${vk.skip}`);
      return;
    }
    // two replicas: one database, one Valkey, one key prefix
    database = await createTestDatabase();
    const env = { VALKEY_URL: vk.url, VALKEY_PREFIX: `cn-test:rl-${randomUUID().slice(0, 8)}:` };
    a = await build(env, database);
    b = await build(env, database);
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
    await database?.drop();
    if (vk && 'stop' in vk) await vk.stop();
  });

  it('admits at most the limit in total across both', async (ctx) => {
    if (!a || !b) return ctx.skip();
    expect(a.app.limits.mode).toBe('valkey');
    const { headers: h } = await loginAs(a as TestApp);
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => hit(i % 2 ? a!.app : b!.app, 'POST', '/api/chat/probe', h)));
    // a store error would fail open and admit more: make that failure mode explicit
    expect(a.app.limits.stats().storeErrors + b.app.limits.stats().storeErrors).toBe(0);
    expect(results.filter((r) => r.statusCode === 200)).toHaveLength(3);
    expect(results.filter((r) => r.statusCode === 429)).toHaveLength(7);
  });

  it('shares the sign-in failure count across instances', async (ctx) => {
    if (!a || !b) return ctx.skip();
    const { user: u, password } = await loginAs(a as TestApp);
    const ip = { 'x-forwarded-for': '192.0.2.50' };
    for (let i = 0; i < 5; i++) {
      const r = await hit(i % 2 ? a.app : b.app, 'POST', '/api/auth/sign-in/email', ip, { email: u.email, password: 'bad-bad-bad-bad' });
      expect(r.statusCode).toBe(401);
    }
    for (const app of [a.app, b.app]) {
      expect((await hit(app, 'POST', '/api/auth/sign-in/email', ip, { email: u.email, password })).statusCode).toBe(429);
    }
  });

  it('does zero database statements on the Valkey path too', async (ctx) => {
    if (!a) return ctx.skip();
    const { headers: h } = await loginAs(a as TestApp);
    await hit(a.app, 'GET', '/api/me', h);
    const c = await countQueries(() => hit(a!.app, 'GET', '/api/me', h));
    expect(c.result.statusCode).toBe(200);
    expect(c.statements).toEqual([]);
  });
});
