import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/harness.ts';
import { loginAs, markSetupComplete, setSettings, countProcessStatements, untilCalm } from '../../../test/auth.ts';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp({ workers: false, env: { PRESSURE_MAX_EVENT_LOOP_DELAY_MS: '0' } });
  await untilCalm(t);
  await markSetupComplete(t);
});
afterAll(async () => {
  await t?.close();
});
afterEach(async () => {
  vi.useRealTimers();
  await setSettings(t, { 'portal.maintenance_mode': false, 'portal.session_timeout': 7 * 24 * 60 });
});

describe('admin settings', () => {
  it('returns 401 without credentials and 403 without admin:settings', async () => {
    const anon = await t.app.inject({ url: '/api/admin/settings' });
    expect(anon.statusCode, anon.body).toBe(401);
    const op = await loginAs(t, { role: 'operator' });
    const res = await t.app.inject({ url: '/api/admin/settings', headers: op.headers });
    expect(res.statusCode).toBe(403);
    expect(res.json().message).toContain('admin:settings');
  });

  it('updates settings in one write with an audit entry (from → to), and reads see it at once', async () => {
    const admin = await loginAs(t, { role: 'admin' });
    const before = await t.app.inject({ url: '/api/settings/public' });
    expect(before.json().name).toBe('CloudNow');
    await t.app.inject({ url: '/api/me', headers: admin.headers }); // warm the actor caches
    const c = await countProcessStatements(() =>
      t.app.inject({
        method: 'PUT',
        url: '/api/admin/settings',
        headers: admin.headers,
        payload: { 'portal.name': 'Acme Ops', 'portal.privacy_url': 'https://acme.example/privacy' },
      }),
    );
    expect(c.result.statusCode).toBe(200);
    expect(c.result.json()).toMatchObject({ 'portal.name': 'Acme Ops', 'portal.privacy_url': 'https://acme.example/privacy' });
    // one read of the current values, then BEGIN, tenant context, one upsert, one audit insert, COMMIT
    expect(c.data).toBe(3);
    const after = await t.app.inject({ url: '/api/settings/public' });
    expect(after.json()).toMatchObject({ name: 'Acme Ops', privacyUrl: 'https://acme.example/privacy' });
    const audit = await t.db.selectFrom('admin_audit').select(['action', 'before', 'after']).where('org_id', '=', admin.org.id).execute();
    expect(audit).toEqual([
      {
        action: 'settings.update',
        before: { 'portal.name': 'CloudNow', 'portal.privacy_url': null },
        after: { 'portal.name': 'Acme Ops', 'portal.privacy_url': 'https://acme.example/privacy' },
      },
    ]);
  });

  it('reads settings from the cache: a warm read costs 0 queries', async () => {
    await t.app.inject({ url: '/api/settings/public' });
    const c = await countProcessStatements(() => t.app.inject({ url: '/api/settings/public' }));
    expect(c.total).toBe(0);
  });

  it.each([
    [{ 'portal.session_timeout': 1 }, 'portal.session_timeout'],
    [{ 'portal.terms_url': 'javascript:alert(1)' }, 'portal.terms_url'],
    [{ 'portal.allowed_domains': ['not a domain'] }, 'portal.allowed_domains.0'],
    [{ 'portal.name': 'x'.repeat(101) }, 'portal.name'],
    [{ 'portal.unknown': true }, 'portal.unknown'],
  ])('rejects %j naming the field, writing nothing', async (payload, field) => {
    const admin = await loginAs(t, { role: 'admin' });
    const res = await t.app.inject({ method: 'PUT', url: '/api/admin/settings', headers: admin.headers, payload });
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toContain(field);
    const rows = await t.db.selectFrom('admin_audit').select('id').where('org_id', '=', admin.org.id).execute();
    expect(rows).toHaveLength(0);
  });
});

describe('settings enforcement', () => {
  it('maintenance mode answers 503 with the message to non-admins; admins and public routes pass', async () => {
    const admin = await loginAs(t, { role: 'admin' });
    const op = await loginAs(t, { role: 'operator' });
    const put = await t.app.inject({
      method: 'PUT',
      url: '/api/admin/settings',
      headers: admin.headers,
      payload: { 'portal.maintenance_mode': true, 'portal.maintenance_message': 'Back at 5' },
    });
    expect(put.statusCode).toBe(200);
    const blocked = await t.app.inject({ url: '/api/me', headers: op.headers });
    expect(blocked.statusCode).toBe(503);
    expect(blocked.json()).toEqual({ code: 'MAINTENANCE', message: 'Back at 5' });
    expect((await t.app.inject({ url: '/api/me', headers: admin.headers })).statusCode).toBe(200);
    expect((await t.app.inject({ url: '/api/settings/public' })).json()).toMatchObject({
      maintenanceMode: true,
      maintenanceMessage: 'Back at 5',
    });
  });

  it('session_timeout ends sessions older than the timeout', async () => {
    const login = await loginAs(t);
    await setSettings(t, { 'portal.session_timeout': 5 });
    expect((await t.app.inject({ url: '/api/me', headers: login.headers })).statusCode).toBe(200);
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 6 * 60_000 });
    const res = await t.app.inject({ url: '/api/me', headers: login.headers });
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ code: 'SESSION_EXPIRED' });
  });
});
