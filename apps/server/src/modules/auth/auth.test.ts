import { createAuthEndpoint } from 'better-auth/api';
import type { BetterAuthPlugin } from 'better-auth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/harness.ts';
import { apiKeyFor, cookieHeader, loginAs, countProcessStatements, untilCalm } from '../../../test/auth.ts';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp({ workers: false, env: { PRESSURE_MAX_EVENT_LOOP_DELAY_MS: '0' } });
  await untilCalm(t);
});
afterAll(async () => {
  await t?.close();
});

describe('auth hook', () => {
  it('returns 401 without credentials on an authenticated route', async () => {
    const res = await t.app.inject({ url: '/api/me' });
    expect({ status: res.statusCode, body: res.json() }).toMatchObject({ status: 401, body: { code: 'UNAUTHORIZED' } });
  });

  it('resolves the actor from the session cookie with the member role', async () => {
    const login = await loginAs(t, { role: 'viewer' });
    const res = await t.app.inject({ url: '/api/me', headers: login.headers });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ userId: login.user.id, orgId: login.org.id, role: 'viewer', via: 'session' });
  });

  it('a warm session request costs 0 queries', async () => {
    const login = await loginAs(t);
    await t.app.inject({ url: '/api/me', headers: login.headers });
    const c = await countProcessStatements(() => t.app.inject({ url: '/api/me', headers: login.headers }));
    expect(c.result.statusCode).toBe(200);
    expect(c.total).toBe(0);
  });

  it('a warm API-key request costs 0 queries', async () => {
    const login = await loginAs(t);
    const key = await apiKeyFor(t, login, ['tools:read']);
    const cold = await countProcessStatements(() => t.app.inject({ url: '/api/me', headers: key.headers }));
    expect(cold.result.json()).toMatchObject({ via: 'apiKey', permissions: ['tools:read'] });
    // the counter does see injected requests: the cold one looks the key up (and the memberships)
    expect(cold.data).toBeGreaterThanOrEqual(1);
    const c = await countProcessStatements(() => t.app.inject({ url: '/api/me', headers: { 'x-api-key': key.key } }));
    expect(c.result.statusCode).toBe(200);
    expect(c.total).toBe(0);
  });

  it('sign-out ends the session', async () => {
    const login = await loginAs(t);
    const out = await t.app.inject({ method: 'POST', url: '/api/auth/sign-out', headers: login.headers, payload: {} });
    expect(out.statusCode).toBe(200);
    expect(cookieHeader(out.headers['set-cookie'])).toContain('cloudnow.session_token=;');
    const res = await t.app.inject({ url: '/api/me', headers: login.headers });
    expect(res.statusCode).toBe(401);
  });

  it('reload() rebuilds Better Auth with extra plugins; existing sessions survive', async () => {
    const login = await loginAs(t);
    const probe = {
      id: 'probe',
      endpoints: { probePing: createAuthEndpoint('/probe/ping', { method: 'GET' }, async (ctx) => ctx.json({ pong: true })) },
    } satisfies BetterAuthPlugin;
    t.app.auth.expose('/probe');
    expect((await t.app.inject({ url: '/api/auth/probe/ping' })).statusCode).toBe(404);
    t.app.auth.reload({ plugins: [probe] });
    const res = await t.app.inject({ url: '/api/auth/probe/ping' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ pong: true });
    expect((await t.app.inject({ url: '/api/me', headers: login.headers })).statusCode).toBe(200);
    t.app.auth.reload({ plugins: [] });
    expect((await t.app.inject({ url: '/api/auth/probe/ping' })).statusCode).toBe(404);
  });
});
