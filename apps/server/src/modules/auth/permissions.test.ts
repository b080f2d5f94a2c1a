import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { API_KEY_FORBIDDEN, PERMISSIONS, ROLE_PERMISSIONS, ROLES, type Permission } from '@cloudnow/shared';
import { buildApp } from '../../app.ts';
import { createTestDatabase, testConfig, TEST_SECRET, type TestApp } from '../../../test/harness.ts';
import { apiKeyFor, loginAs, untilCalm, type Login } from '../../../test/auth.ts';
import { maskSecrets } from '../admin-audit/admin-audit.service.ts';

// An app with one probe route per permission (added before ready), so the ONE enforcement hook is
// exercised for every permission in the list, for every role and for API keys.
let t: TestApp;
const probe = (p: Permission): string => `/test/perm/${p.replace(':', '-')}`;
const logins = new Map<string, Login>();
beforeAll(async () => {
  const config = testConfig({ PRESSURE_MAX_EVENT_LOOP_DELAY_MS: '0' });
  const database = await createTestDatabase();
  const app: FastifyInstance = await buildApp(config, { secret: TEST_SECRET, logger: false, workers: false, database: database.settings });
  for (const p of PERMISSIONS) app.get(probe(p), { config: { permission: p } }, async (req) => ({ ok: true, via: req.actor?.via }));
  app.get('/test/public', { config: { public: true } }, async (req) => ({ actor: req.actor?.userId ?? null }));
  await app.ready();
  await app.database.whenReady();
  t = {
    app,
    db: app.db,
    config,
    database,
    close: async () => {
      await app.close();
      await database.drop();
    },
  };
  await untilCalm(t);
  for (const role of ROLES) logins.set(role, await loginAs(t, { role }));
});
afterAll(async () => {
  await t?.close();
});

describe('permission enforcement (one hook)', () => {
  it('answers 401 without credentials on every permission route', async () => {
    for (const p of PERMISSIONS) {
      const res = await t.app.inject({ url: probe(p) });
      expect(res.statusCode, p).toBe(401);
      expect(res.json()).toEqual({ code: 'UNAUTHORIZED', message: 'Authentication required' });
    }
  });

  it.each(ROLES)('grants %s exactly its role permissions (403 naming the permission otherwise)', async (role) => {
    const login = logins.get(role)!;
    for (const p of PERMISSIONS) {
      const res = await t.app.inject({ url: probe(p), headers: login.headers });
      const allowed = ROLE_PERMISSIONS[role].includes(p) || ROLE_PERMISSIONS[role].includes('admin:all');
      expect(res.statusCode, `${role} ${p}`).toBe(allowed ? 200 : 403);
      if (!allowed) expect(res.json()).toEqual({ code: 'FORBIDDEN', message: `Missing permission ${p}` });
    }
  });

  it('an API key holds only its own permissions, with no admin:all bypass', async () => {
    const admin = logins.get('admin')!;
    const granted: Permission[] = ['tools:read', 'workflows:execute'];
    const key = await apiKeyFor(t, admin, granted);
    for (const p of PERMISSIONS) {
      const res = await t.app.inject({ url: probe(p), headers: key.headers });
      expect(res.statusCode, p).toBe(granted.includes(p) ? 200 : 403);
    }
    expect(PERMISSIONS.filter((p) => API_KEY_FORBIDDEN.includes(p))).toContain('admin:all');
  });

  it('public routes serve anonymous callers and still see a valid actor; bad keys do not break them', async () => {
    const anon = await t.app.inject({ url: '/test/public' });
    expect(anon.json()).toEqual({ actor: null });
    const viewer = logins.get('viewer')!;
    expect((await t.app.inject({ url: '/test/public', headers: viewer.headers })).json()).toEqual({ actor: viewer.user.id });
    expect((await t.app.inject({ url: '/test/public', headers: { 'x-api-key': 'cn_bogus_bogus_bogus_bogus' } })).statusCode).toBe(200);
  });

  it('health, openapi and docs are public', async () => {
    for (const url of ['/healthz', '/api/openapi.json', '/api/docs/']) {
      const res = await t.app.inject({ url });
      expect(res.statusCode, url).not.toBe(401);
      expect(res.statusCode, url).toBeLessThan(400);
    }
  });

  it('an unknown or malformed API key is a 401 with a code', async () => {
    const res = await t.app.inject({ url: probe('tools:read'), headers: { authorization: 'Bearer cn_thisisnotakey_atall_123' } });
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ code: 'API_KEY_INVALID' });
  });
});

describe('admin audit', () => {
  it('masks secrets deeply before they are stored', () => {
    expect(maskSecrets({ clientSecret: 's3cr3t', nested: { apiKey: 'k', name: 'n' }, list: [{ password: 'p' }], token: '' })).toEqual({
      clientSecret: '[masked]',
      nested: { apiKey: '[masked]', name: 'n' },
      list: [{ password: '[masked]' }],
      token: '',
    });
  });

  it('is admin-only and bounded (limit ≤ 500, total from the same query)', async () => {
    const admin = logins.get('admin')!;
    for (let i = 0; i < 3; i++) {
      await t.app.inject({
        method: 'POST',
        url: '/api/org/invitations',
        headers: admin.headers,
        payload: { email: `a${i}@example.com`, role: 'viewer' },
      });
    }
    const page = await t.app.inject({ url: '/api/admin/audit?limit=2', headers: admin.headers });
    expect(page.json()).toMatchObject({ total: 3, limit: 2, offset: 0 });
    expect(page.json().items).toHaveLength(2);
    expect(page.json().items[0]).toMatchObject({ action: 'invitations.create', actorUserId: admin.user.id, actorVia: 'session' });
    expect((await t.app.inject({ url: '/api/admin/audit?limit=501', headers: admin.headers })).statusCode).toBe(400);
    expect((await t.app.inject({ url: '/api/admin/audit', headers: logins.get('operator')!.headers })).statusCode).toBe(403);
  });
});
