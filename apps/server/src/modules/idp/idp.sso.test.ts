import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrg } from '../../../test/factories.ts';
import { cookieHeader, loginAs, setSettings } from '../../../test/auth.ts';
import type { TestApp } from '../../../test/harness.ts';
import { buildIdpTestApp, type IdpTestApp } from './idp.test-support.ts';
import { followToCallback, startOidcStandIn, type Accounts, type OidcStandIn } from './idp.oidc-stand-in.ts';

/**
 * End to end: an admin adds an OIDC provider, the auth instance reloads, and people sign in
 * through Better Auth's genericOAuth (authorization code + PKCE) against a local oidc-provider —
 * landing in the org their tenant maps to, with the role their groups map to.
 */
const SLUG = 'corp-sso';
const CALLBACK = `http://localhost:3000/api/auth/callback/${SLUG}`;

let t: IdpTestApp;
let oidc: OidcStandIn;
let admin: Record<string, string>;
let orgs: { acme: string; fallback: string };
let providerId: string;
const accounts: Accounts = {
  ann: { email: 'ann@acme.example', name: 'Ann Admin', groups: ['CloudNow Admins'], tenant: 'acme' },
  otto: { email: 'otto@acme.example', name: 'Otto Ops', groups: ['Ops'], tenant: 'acme' },
  vic: { email: 'vic@else.example', name: 'Vic Viewer', groups: ['Everyone'], tenant: 'elsewhere' },
  eve: { email: 'eve@outside.example', name: 'Eve Outside', groups: ['CloudNow Admins'], tenant: 'acme' },
};

/**
 * Runs an admin change and waits until this replica's auth instance has reloaded for it. With
 * Valkey the `idp.changed` event comes back over pub/sub, so the reload starts after the response.
 */
async function changeAndSettle<T>(change: () => Promise<T>): Promise<T> {
  const seen = new Promise<void>((resolve) => {
    const off = t.app.idp.onChanged(() => {
      off();
      resolve();
    });
  });
  const result = await change();
  await seen;
  await t.app.idp.authSettled();
  return result;
}

beforeAll(async () => {
  oidc = await startOidcStandIn({ redirectUris: [CALLBACK], accounts });
  t = await buildIdpTestApp();
  admin = (await loginAs(t as TestApp, { role: 'admin' })).headers;
  orgs = { acme: (await createOrg(t.db)).id, fallback: (await createOrg(t.db)).id };
  const r = await changeAndSettle(() =>
    t.app.inject({
      method: 'POST',
      url: '/api/admin/idp',
      headers: admin,
      payload: {
        slug: SLUG,
        label: 'Corp SSO',
        discoveryUrl: oidc.discoveryUrl,
        clientId: oidc.clientId,
        clientSecret: oidc.clientSecret,
        scopes: ['openid', 'email', 'profile', 'groups'],
        adminGroups: ['cloudnow admins'],
        operatorGroups: ['ops'],
        tenantClaim: 'tenant',
        tenantOrgMap: { acme: orgs.acme },
        defaultOrgId: orgs.fallback,
      },
    }),
  );
  expect(r.statusCode).toBe(201);
  providerId = r.json().id;
});
afterAll(async () => {
  await t?.close();
  await oidc?.close();
});

/** The browser's whole round trip; returns the session cookie header and the final redirect. */
async function ssoLogin(account: string): Promise<{ cookie: string; location: string | undefined; status: number }> {
  const start = await t.app.inject({ method: 'POST', url: '/api/auth/sign-in/social', payload: { provider: SLUG, callbackURL: '/' } });
  expect(start.statusCode).toBe(200);
  const { url } = start.json() as { url: string };
  oidc.loginAs(account);
  const callback = await followToCallback(url, CALLBACK);
  const done = await t.app.inject({
    method: 'GET',
    url: callback.pathname + callback.search,
    headers: { cookie: cookieHeader(start.headers['set-cookie']) },
  });
  return {
    cookie: cookieHeader(done.headers['set-cookie']),
    location: done.headers.location as string | undefined,
    status: done.statusCode,
  };
}

const me = async (cookie: string) =>
  (await t.app.inject({ url: '/api/me', headers: { cookie } })).json() as { orgId: string; role: string; userId: string };

describe('SSO sign-in through Better Auth', () => {
  it('shows the provider on the sign-in page', async () => {
    const r = await t.app.inject({ url: '/api/auth/providers' });
    expect(r.json().providers).toContainEqual({ id: SLUG, label: 'Corp SSO' });
  });

  it('signs an admin-group user in with PKCE into the mapped org as admin', async () => {
    const { cookie, location, status } = await ssoLogin('ann');
    expect(status).toBe(302);
    expect(location).toBe('/');
    const authorize = oidc.authorizeRequests.at(-1)!;
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorize.searchParams.get('code_challenge')).toMatch(/^[\w-]{43}$/);
    expect(await me(cookie)).toMatchObject({ orgId: orgs.acme, role: 'admin' });
    const user = await t.db.selectFrom('users').select(['id', 'name']).where('email', '=', 'ann@acme.example').executeTakeFirstOrThrow();
    expect(user.name).toBe('Ann Admin');
    const member = await t.db
      .selectFrom('org_members')
      .select('role')
      .where('user_id', '=', user.id)
      .where('org_id', '=', orgs.acme)
      .executeTakeFirstOrThrow();
    expect(member.role).toBe('admin');
  });

  it('maps an operator group to operator, and an unmapped tenant to the default org as viewer', async () => {
    expect(await me((await ssoLogin('otto')).cookie)).toMatchObject({ orgId: orgs.acme, role: 'operator' });
    expect(await me((await ssoLogin('vic')).cookie)).toMatchObject({ orgId: orgs.fallback, role: 'viewer' });
  });

  it('follows group changes at the next login (the IdP is authoritative)', async () => {
    accounts.otto!.groups = ['CloudNow Admins'];
    expect(await me((await ssoLogin('otto')).cookie)).toMatchObject({ role: 'admin' });
    accounts.otto!.groups = [];
    expect(await me((await ssoLogin('otto')).cookie)).toMatchObject({ role: 'viewer' });
  });

  it('stops offering a disabled provider without a restart', async () => {
    const r = await changeAndSettle(() =>
      t.app.inject({ method: 'PATCH', url: `/api/admin/idp/${providerId}`, headers: admin, payload: { enabled: false } }),
    );
    expect(r.statusCode).toBe(200);
    expect((await t.app.inject({ url: '/api/auth/providers' })).json().providers).toEqual([]);
    const start = await t.app.inject({ method: 'POST', url: '/api/auth/sign-in/social', payload: { provider: SLUG, callbackURL: '/' } });
    expect(start.statusCode).toBeGreaterThanOrEqual(400);
    expect(start.statusCode).toBeLessThan(500);
    await changeAndSettle(() =>
      t.app.inject({ method: 'PATCH', url: `/api/admin/idp/${providerId}`, headers: admin, payload: { enabled: true } }),
    );
    expect((await ssoLogin('ann')).status).toBe(302);
  });

  it("refuses a first SSO login from a domain outside the portal's allowed domains, writing no user", async () => {
    await setSettings(t as TestApp, { 'portal.allowed_domains': ['acme.example'] });
    try {
      const refused = await ssoLogin('eve');
      expect(refused.cookie).not.toMatch(/session_token=[^;]+/);
      expect(refused.location ?? '').toMatch(/error/);
      expect(await t.db.selectFrom('users').select('id').where('email', '=', 'eve@outside.example').execute()).toHaveLength(0);
      // People of an allowed domain, and existing users, still sign in.
      expect(await me((await ssoLogin('otto')).cookie)).toMatchObject({ orgId: orgs.acme });
    } finally {
      await setSettings(t as TestApp, { 'portal.allowed_domains': [] });
    }
  });
});
