import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countQueries } from '../../db/query-counter.ts';
import { buildTestApp, type TestApp } from '../../../test/harness.ts';
import { apiKeyFor, cookieHeader, loginAs } from '../../../test/auth.ts';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp({ workers: false, env: { PRESSURE_MAX_EVENT_LOOP_DELAY_MS: '600000' } });
});
afterAll(async () => {
  await t?.close();
});

describe('auth hook', () => {
  it('returns 401 without credentials on an authenticated route', async () => {
    const res = await t.app.inject({ url: '/api/me' });
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ code: 'UNAUTHORIZED' });
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
    const c = await countQueries(() => t.app.inject({ url: '/api/me', headers: login.headers }));
    expect(c.result.statusCode).toBe(200);
    expect(c.statements).toEqual([]);
  });

  it('a warm API-key request costs 0 queries', async () => {
    const login = await loginAs(t);
    const key = await apiKeyFor(t, login, ['tools:read']);
    const first = await t.app.inject({ url: '/api/me', headers: key.headers });
    expect(first.json()).toMatchObject({ via: 'apiKey', permissions: ['tools:read'] });
    const c = await countQueries(() => t.app.inject({ url: '/api/me', headers: { 'x-api-key': key.key } }));
    expect(c.result.statusCode).toBe(200);
    expect(c.statements).toEqual([]);
  });

  it('sign-out ends the session', async () => {
    const login = await loginAs(t);
    const out = await t.app.inject({ method: 'POST', url: '/api/auth/sign-out', headers: login.headers, payload: {} });
    expect(out.statusCode).toBe(200);
    expect(cookieHeader(out.headers['set-cookie'])).toContain('cloudnow.session_token=;');
    const res = await t.app.inject({ url: '/api/me', headers: login.headers });
    expect(res.statusCode).toBe(401);
  });
});
