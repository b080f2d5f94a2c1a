import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countQueries } from '../../db/query-counter.ts';
import { buildTestApp, type TestApp } from '../../../test/harness.ts';
import { apiKeyFor, cookieHeader, loginAs, untilCalm } from '../../../test/auth.ts';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp({ workers: false, env: { PRESSURE_MAX_EVENT_LOOP_DELAY_MS: '0' } });
  await untilCalm(t);
});
afterAll(async () => {
  await t?.close();
});

const create = (headers: Record<string, string>, payload: Record<string, unknown>) =>
  t.app.inject({ method: 'POST', url: '/api/api-keys', headers, payload });

describe('API keys', () => {
  it('creates a key shown once, stores only hash + prefix, and authenticates with it', async () => {
    const login = await loginAs(t, { role: 'operator' });
    const res = await create(login.headers, { name: 'ci', permissions: ['tools:read', 'tools:execute'] });
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body.key).toMatch(/^cn_[\w-]{40,}$/);
    expect(body.prefix).toBe(body.key.slice(0, 11));
    const row = await t.db.selectFrom('api_keys').selectAll().where('id', '=', body.id).executeTakeFirstOrThrow();
    expect(JSON.stringify(row)).not.toContain(body.key);
    expect(row.key_hash).toMatch(/^[0-9a-f]{64}$/);

    const me = await t.app.inject({ url: '/api/me', headers: { authorization: `Bearer ${body.key}` } });
    expect(me.json()).toMatchObject({ via: 'apiKey', orgId: login.org.id, permissions: ['tools:read', 'tools:execute'] });
    const list = await t.app.inject({ url: '/api/api-keys', headers: login.headers });
    expect(list.json()).toMatchObject({ total: 1, items: [{ id: body.id, prefix: body.prefix }] });
    expect(list.body).not.toContain(body.key);
    expect(list.body).not.toContain(row.key_hash);
  });

  it('refuses permissions the creator lacks, forbidden ones and unknown ones, naming the field', async () => {
    const login = await loginAs(t, { role: 'viewer' });
    const lacks = await create(login.headers, { name: 'x', permissions: ['tools:read', 'tools:execute'] });
    expect(lacks.statusCode).toBe(400);
    expect(lacks.json().message).toMatch(/^permissions\.1: /);
    const admin = await loginAs(t, { role: 'admin' });
    const forbidden = await create(admin.headers, { name: 'x', permissions: ['admin:all'] });
    expect(forbidden.statusCode).toBe(400);
    expect(forbidden.json().message).toMatch(/permissions\.0: "admin:all" can never/);
    const danger = await create(admin.headers, { name: 'x', permissions: ['tools:danger'] });
    expect(danger.statusCode).toBe(400);
    const unknown = await create(admin.headers, { name: 'x', permissions: ['nope:nope'] });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().message).toMatch(/permissions\.0/);
    const past = await create(admin.headers, { name: 'x', permissions: ['tools:read'], expiresAt: '2020-01-01T00:00:00Z' });
    expect(past.statusCode).toBe(400);
    expect(past.json().message).toMatch(/expiresAt/);
    const count = await t.db.selectFrom('api_keys').select('id').where('user_id', 'in', [login.user.id, admin.user.id]).execute();
    expect(count).toHaveLength(0);
  });

  it('an API key cannot create keys', async () => {
    const login = await loginAs(t);
    const key = await apiKeyFor(t, login, ['tools:read']);
    const res = await create(key.headers, { name: 'x', permissions: ['tools:read'] });
    expect(res.statusCode).toBe(403);
  });

  it('revocation takes effect at once; another org cannot revoke it (404)', async () => {
    const login = await loginAs(t);
    const key = await apiKeyFor(t, login, ['tools:read']);
    expect((await t.app.inject({ url: '/api/me', headers: key.headers })).statusCode).toBe(200);
    const other = await loginAs(t, { role: 'admin' });
    const foreign = await t.app.inject({ method: 'DELETE', url: `/api/api-keys/${key.id}`, headers: other.headers });
    expect(foreign.statusCode).toBe(404);
    const del = await t.app.inject({ method: 'DELETE', url: `/api/api-keys/${key.id}`, headers: login.headers });
    expect(del.statusCode).toBe(204);
    const after = await t.app.inject({ url: '/api/me', headers: key.headers });
    expect(after.statusCode).toBe(401);
    expect(after.json()).toMatchObject({ code: 'API_KEY_INVALID' });
    const audit = await t.db.selectFrom('admin_audit').select(['action', 'before']).where('target_id', '=', key.id).execute();
    expect(audit.map((a) => a.action)).toEqual(['api_keys.revoke']);
  });

  it('an expired key is refused', async () => {
    const login = await loginAs(t);
    const key = await apiKeyFor(t, login, ['tools:read'], { expiresAt: new Date(Date.now() - 1000) });
    const res = await t.app.inject({ url: '/api/me', headers: { 'x-api-key': key.key } });
    expect(res.statusCode).toBe(401);
  });

  it('shrinks with the creator: a demoted creator’s key loses the permissions the new role lacks', async () => {
    const login = await loginAs(t, { role: 'operator' });
    const key = await apiKeyFor(t, login, ['tools:read', 'tools:execute']);
    expect((await t.app.inject({ url: '/api/me', headers: key.headers })).json().permissions).toEqual(['tools:read', 'tools:execute']);
    const admin = await loginAs(t, { role: 'admin', org: login.org });
    const demote = await t.app.inject({
      method: 'PATCH',
      url: `/api/org/members/${login.user.id}`,
      headers: admin.headers,
      payload: { role: 'viewer' },
    });
    expect(demote.statusCode).toBe(200);
    expect((await t.app.inject({ url: '/api/me', headers: key.headers })).json().permissions).toEqual(['tools:read']);
  });

  it('updates last_used_at in one batched write per flush, not per request', async () => {
    const login = await loginAs(t);
    const a = await apiKeyFor(t, login, ['tools:read']);
    const b = await apiKeyFor(t, login, ['tools:read']);
    await t.app.auth.apiKeyUsage.flush();
    for (let i = 0; i < 3; i++) {
      await t.app.inject({ url: '/api/me', headers: a.headers });
      await t.app.inject({ url: '/api/me', headers: b.headers });
    }
    const c = await countQueries(() => t.app.auth.apiKeyUsage.flush());
    expect(c.result).toBe(2);
    expect(c.data).toBe(1);
    const rows = await t.db.selectFrom('api_keys').select('last_used_at').where('id', 'in', [a.id, b.id]).execute();
    expect(rows.every((r) => r.last_used_at !== null)).toBe(true);
  });
});

describe('own sessions', () => {
  it('lists sessions per device and revokes another one; 404 for someone else’s', async () => {
    const login = await loginAs(t);
    const second = await t.app.inject({
      method: 'POST',
      url: '/api/auth/sign-in/email',
      payload: { email: login.user.email, password: login.password },
    });
    const secondHeaders = { cookie: cookieHeader(second.headers['set-cookie']) };
    const list = await t.app.inject({ url: '/api/account/sessions', headers: login.headers });
    expect(list.statusCode).toBe(200);
    const body = list.json();
    expect(body.total).toBe(2);
    expect(body.items.filter((s: { current: boolean }) => s.current)).toHaveLength(1);
    const other = body.items.find((s: { current: boolean }) => !s.current);

    const stranger = await loginAs(t);
    const foreign = await t.app.inject({ method: 'DELETE', url: `/api/account/sessions/${other.id}`, headers: stranger.headers });
    expect(foreign.statusCode).toBe(404);

    expect((await t.app.inject({ url: '/api/me', headers: secondHeaders })).statusCode).toBe(200);
    const del = await t.app.inject({ method: 'DELETE', url: `/api/account/sessions/${other.id}`, headers: login.headers });
    expect(del.statusCode).toBe(204);
    expect((await t.app.inject({ url: '/api/me', headers: secondHeaders })).statusCode).toBe(401);
    expect((await t.app.inject({ url: '/api/me', headers: login.headers })).statusCode).toBe(200);
  });

  it('Better Auth revoke-other-sessions ends the other devices at once', async () => {
    const login = await loginAs(t);
    const second = await t.app.inject({
      method: 'POST',
      url: '/api/auth/sign-in/email',
      payload: { email: login.user.email, password: login.password },
    });
    const secondHeaders = { cookie: cookieHeader(second.headers['set-cookie']) };
    expect((await t.app.inject({ url: '/api/me', headers: secondHeaders })).statusCode).toBe(200);
    const res = await t.app.inject({ method: 'POST', url: '/api/auth/revoke-other-sessions', headers: login.headers, payload: {} });
    expect(res.statusCode).toBe(200);
    expect((await t.app.inject({ url: '/api/me', headers: secondHeaders })).statusCode).toBe(401);
    expect((await t.app.inject({ url: '/api/me', headers: login.headers })).statusCode).toBe(200);
  });

  it('bounds the list (limit ≤ 500)', async () => {
    const login = await loginAs(t);
    const res = await t.app.inject({ url: '/api/account/sessions?limit=501', headers: login.headers });
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toMatch(/limit/);
  });
});
