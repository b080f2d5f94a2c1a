import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/harness.ts';
import { cookieHeader, loginAs, markSetupComplete, setSettings, untilCalm } from '../../../test/auth.ts';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp({ workers: false, env: { PRESSURE_MAX_EVENT_LOOP_DELAY_MS: '0' } });
  await untilCalm(t);
  await markSetupComplete(t);
});
afterAll(async () => {
  await t?.close();
});

describe('orgs and members', () => {
  it('creates an org with the creator as admin, lists it, and switches to it', async () => {
    const admin = await loginAs(t, { role: 'admin' });
    const res = await t.app.inject({ method: 'POST', url: '/api/orgs', headers: admin.headers, payload: { name: 'Second Org' } });
    expect(res.statusCode, res.body).toBe(201);
    const org = res.json();
    expect(org).toMatchObject({ name: 'Second Org', role: 'admin', slug: 'second-org' });
    const list = await t.app.inject({ url: '/api/orgs', headers: admin.headers });
    expect(list.json()).toMatchObject({ total: 2, limit: 50, offset: 0 });
    const sw = await t.app.inject({ method: 'POST', url: `/api/orgs/${org.id}/switch`, headers: admin.headers, payload: {} });
    expect(sw.statusCode).toBe(200);
    const cookies = cookieHeader(sw.headers['set-cookie']);
    const headers = { cookie: cookies ? mergeCookies(admin.headers.cookie!, cookies) : admin.headers.cookie! };
    expect((await t.app.inject({ url: '/api/me', headers })).json()).toMatchObject({ orgId: org.id, role: 'admin' });
  });

  it('returns 404 when switching to an org one is not a member of', async () => {
    const a = await loginAs(t, { role: 'admin' });
    const b = await loginAs(t);
    const res = await t.app.inject({ method: 'POST', url: `/api/orgs/${b.org.id}/switch`, headers: a.headers, payload: {} });
    expect(res.statusCode).toBe(404);
  });

  it('lists members (bounded, total from the same query) for admins only', async () => {
    const admin = await loginAs(t, { role: 'admin' });
    await loginAs(t, { role: 'viewer', org: admin.org });
    const viewer = await loginAs(t, { role: 'viewer', org: admin.org });
    const res = await t.app.inject({ url: '/api/org/members?limit=2', headers: admin.headers });
    expect(res.json()).toMatchObject({ total: 3, limit: 2 });
    expect(res.json().items).toHaveLength(2);
    const denied = await t.app.inject({ url: '/api/org/members', headers: viewer.headers });
    expect(denied.statusCode).toBe(403);
    expect(denied.json()).toMatchObject({ code: 'FORBIDDEN', message: expect.stringContaining('admin:users') });
  });

  it('changes roles with an audit entry; refuses unknown roles, other orgs’ users and demoting the last admin', async () => {
    const admin = await loginAs(t, { role: 'admin' });
    const member = await loginAs(t, { role: 'viewer', org: admin.org });
    const outsider = await loginAs(t, { role: 'viewer' });
    const url = (id: string) => `/api/org/members/${id}`;
    const bad = await t.app.inject({ method: 'PATCH', url: url(member.user.id), headers: admin.headers, payload: { role: 'owner' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toMatch(/^role: /);
    const foreign = await t.app.inject({
      method: 'PATCH',
      url: url(outsider.user.id),
      headers: admin.headers,
      payload: { role: 'operator' },
    });
    expect(foreign.statusCode).toBe(404);
    const last = await t.app.inject({ method: 'PATCH', url: url(admin.user.id), headers: admin.headers, payload: { role: 'viewer' } });
    expect(last.statusCode).toBe(409);
    const ok = await t.app.inject({ method: 'PATCH', url: url(member.user.id), headers: admin.headers, payload: { role: 'operator' } });
    expect(ok.json()).toEqual({ userId: member.user.id, role: 'operator' });
    expect((await t.app.inject({ url: '/api/me', headers: member.headers })).json().role).toBe('operator');
    const audit = await t.app.inject({ url: '/api/admin/audit?action=members.role_change', headers: admin.headers });
    expect(audit.json()).toMatchObject({
      total: 1,
      items: [{ actorUserId: admin.user.id, targetId: member.user.id, before: { role: 'viewer' }, after: { role: 'operator' } }],
    });
  });

  it('removes a member (then their session has no org) and audits it', async () => {
    const admin = await loginAs(t, { role: 'admin' });
    const member = await loginAs(t, { role: 'operator', org: admin.org });
    const del = await t.app.inject({ method: 'DELETE', url: `/api/org/members/${member.user.id}`, headers: admin.headers });
    expect(del.statusCode).toBe(204);
    const me = await t.app.inject({ url: '/api/me', headers: member.headers });
    expect(me.statusCode).toBe(403);
    expect(me.json()).toMatchObject({ code: 'NO_ORGANIZATION' });
    const rows = await t.db
      .selectFrom('admin_audit')
      .select('action')
      .where('org_id', '=', admin.org.id)
      .where('target_id', '=', member.user.id)
      .execute();
    expect(rows.map((r) => r.action)).toEqual(['members.remove']);
  });
});

describe('invitations', () => {
  it('creates a copyable link, and the invitee signs up (even with sign-up off) and accepts it', async () => {
    await setSettings(t, { 'portal.signup_enabled': false });
    const admin = await loginAs(t, { role: 'admin' });
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/org/invitations',
      headers: admin.headers,
      payload: { email: 'Invitee@Example.com', role: 'operator' },
    });
    expect(res.statusCode).toBe(201);
    const inv = res.json();
    expect(inv.link).toBe(`${t.config.publicUrl}/invite/${inv.id}`);
    expect(inv.email).toBe('invitee@example.com');
    const dup = await t.app.inject({
      method: 'POST',
      url: '/api/org/invitations',
      headers: admin.headers,
      payload: { email: 'invitee@example.com', role: 'viewer' },
    });
    expect(dup.statusCode).toBe(409);

    const info = await t.app.inject({ url: `/api/invitations/${inv.id}` });
    expect(info.json()).toMatchObject({ email: 'invitee@example.com', role: 'operator', status: 'pending' });
    const signUp = await t.app.inject({
      method: 'POST',
      url: '/api/auth/sign-up/email',
      payload: { email: 'invitee@example.com', password: 'long-enough-password', name: 'Invitee' },
    });
    expect(signUp.statusCode).toBe(200);
    const headers = { cookie: cookieHeader(signUp.headers['set-cookie']) };
    const accept = await t.app.inject({ method: 'POST', url: `/api/invitations/${inv.id}/accept`, headers, payload: {} });
    expect(accept.statusCode).toBe(200);
    expect(accept.json()).toMatchObject({ orgId: admin.org.id, role: 'operator' });
    expect((await t.app.inject({ url: '/api/me', headers })).json()).toMatchObject({ orgId: admin.org.id, role: 'operator' });
    const again = await t.app.inject({ method: 'POST', url: `/api/invitations/${inv.id}/accept`, headers, payload: {} });
    expect(again.statusCode).toBe(410);
  });

  it('refuses an invitation addressed to someone else and a malformed email', async () => {
    const admin = await loginAs(t, { role: 'admin' });
    const inv = (
      await t.app.inject({
        method: 'POST',
        url: '/api/org/invitations',
        headers: admin.headers,
        payload: { email: 'someone@example.com', role: 'viewer' },
      })
    ).json();
    const other = await loginAs(t);
    const res = await t.app.inject({ method: 'POST', url: `/api/invitations/${inv.id}/accept`, headers: other.headers, payload: {} });
    expect(res.statusCode).toBe(404);
    const bad = await t.app.inject({
      method: 'POST',
      url: '/api/org/invitations',
      headers: admin.headers,
      payload: { email: 'nope', role: 'viewer' },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toMatch(/^email: /);
    const cancel = await t.app.inject({ method: 'DELETE', url: `/api/org/invitations/${inv.id}`, headers: other.headers });
    expect(cancel.statusCode).toBe(403);
    const list = await t.app.inject({ url: '/api/org/invitations', headers: admin.headers });
    expect(list.json()).toMatchObject({ total: 1 });
    const ok = await t.app.inject({ method: 'DELETE', url: `/api/org/invitations/${inv.id}`, headers: admin.headers });
    expect(ok.statusCode).toBe(204);
  });
});

/** Overlays the cookies of a response on an existing Cookie header. */
function mergeCookies(base: string, update: string): string {
  const jar = new Map(base.split('; ').map((c) => [c.split('=')[0], c] as const));
  for (const c of update.split('; ')) jar.set(c.split('=')[0], c);
  return [...jar.values()].join('; ');
}
