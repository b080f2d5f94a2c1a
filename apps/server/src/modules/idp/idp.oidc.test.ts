import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuthorizationURL, validateAuthorizationCode } from '@better-auth/core/oauth2';
import { createOrg } from '../../../test/factories.ts';
import { loginAs } from '../../../test/auth.ts';
import type { TestApp } from '../../../test/harness.ts';
import { safeFetch } from '../../lib/ssrf.ts';
import type { Membership } from './idp.oauth.ts';
import { buildIdpTestApp, type IdpTestApp } from './idp.test-support.ts';
import { followToCallback, startOidcStandIn, type OidcStandIn } from './idp.oidc-stand-in.ts';

/**
 * The authorization-code + PKCE flow against a real OIDC provider, driven with Better Auth's own
 * OAuth2 helpers and the config `app.idp.genericOAuthConfigs()` builds from the admin-created row.
 * (The end-to-end sign-in through Better Auth's routes lives in idp.sso.test.ts.)
 */
const SLUG = 'corp-sso';
const CALLBACK = `http://localhost:3000/api/auth/callback/${SLUG}`;
const guard = { allowHttpHosts: ['127.0.0.1'] };

let t: IdpTestApp;
let oidc: OidcStandIn;
let orgs: { acme: string; fallback: string };
let admin: Record<string, string>;

beforeAll(async () => {
  oidc = await startOidcStandIn({
    redirectUris: [CALLBACK],
    accounts: {
      ann: { email: 'ann@acme.example', name: 'Ann Admin', groups: ['CloudNow Admins', 'Everyone'], tenant: 'acme' },
      otto: { email: 'otto@acme.example', name: 'Otto Ops', groups: ['ops'], tenant: 'acme' },
      vic: { email: 'vic@else.example', name: 'Vic Viewer', groups: ['Everyone'], tenant: 'unknown-tenant' },
    },
  });
  t = await buildIdpTestApp();
  orgs = { acme: (await createOrg(t.app.db)).id, fallback: (await createOrg(t.app.db)).id };
  admin = (await loginAs(t as TestApp, { role: 'admin' })).headers;
});
afterAll(async () => {
  await t?.close();
  await oidc?.close();
});

async function createProvider() {
  const r = await t.app.inject({
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
      operatorGroups: ['Ops'],
      tenantClaim: 'tenant',
      tenantOrgMap: { acme: orgs.acme },
      defaultOrgId: orgs.fallback,
    },
  });
  expect(r.statusCode).toBe(201);
  return r.json() as { id: string };
}

/** Signs `account` in through the provider with the built config; returns the mapped user and membership. */
async function signIn(account: string) {
  const memberships: Membership[] = [];
  const [config] = await t.app.idp.genericOAuthConfigs({ onProfile: (_p, _profile, m) => memberships.push(m) });
  const discovery = JSON.parse((await safeFetch(config!.discoveryUrl!, guard)).body) as Record<string, string>;
  const codeVerifier = randomBytes(32).toString('base64url');
  const state = randomBytes(16).toString('base64url');
  const options = { clientId: config!.clientId, clientSecret: config!.clientSecret!, redirectURI: CALLBACK };
  const authUrl = await createAuthorizationURL({
    id: config!.providerId,
    options,
    authorizationEndpoint: discovery.authorization_endpoint!,
    redirectURI: CALLBACK,
    state,
    codeVerifier,
    scopes: config!.scopes!,
  });
  oidc.loginAs(account);
  const callback = await followToCallback(authUrl.toString(), CALLBACK);
  expect(callback.searchParams.get('state')).toBe(state);
  const code = callback.searchParams.get('code')!;
  const tokens = await validateAuthorizationCode({
    code,
    codeVerifier,
    redirectURI: CALLBACK,
    options,
    tokenEndpoint: discovery.token_endpoint!,
    authentication: 'post',
  });
  const info = await safeFetch(discovery.userinfo_endpoint!, { ...guard, headers: { authorization: `Bearer ${tokens.accessToken}` } });
  const profile = JSON.parse(info.body) as Record<string, unknown>;
  const user = await config!.mapProfileToUser!(profile as never);
  return { user, membership: memberships[0]!, authorize: oidc.authorizeRequests.at(-1)!, config: config!, discovery, options };
}

describe('OIDC authorization code + PKCE against a local provider', () => {
  it('the admin test-connection accepts the provider', async () => {
    const { id } = await createProvider();
    const r = await t.app.inject({ method: 'POST', url: `/api/admin/idp/${id}/test`, headers: admin });
    expect(r.json()).toMatchObject({
      ok: true,
      issuer: oidc.issuer,
      tokenEndpoint: `${oidc.issuer}/token`,
      jwksUri: `${oidc.issuer}/jwks`,
    });
  });

  it('signs an admin-group user in with PKCE and maps tenant → org, groups → admin', async () => {
    const { user, membership, authorize } = await signIn('ann');
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorize.searchParams.get('code_challenge')).toMatch(/^[\w-]{43}$/);
    expect(authorize.searchParams.get('scope')).toBe('openid email profile groups');
    expect(user).toMatchObject({ email: 'ann@acme.example', name: 'Ann Admin', emailVerified: true });
    expect(membership).toEqual({ orgId: orgs.acme, role: 'admin', groups: ['CloudNow Admins', 'Everyone'], tenant: 'acme' });
  });

  it('maps an operator group, and an unmapped tenant to the default org as viewer', async () => {
    expect((await signIn('otto')).membership).toMatchObject({ orgId: orgs.acme, role: 'operator' });
    expect((await signIn('vic')).membership).toMatchObject({ orgId: orgs.fallback, role: 'viewer', tenant: 'unknown-tenant' });
  });

  it('the provider refuses the code with a verifier that does not match the challenge', async () => {
    const { config, discovery, options } = await signIn('ann');
    const authUrl = await createAuthorizationURL({
      id: config.providerId,
      options,
      authorizationEndpoint: discovery.authorization_endpoint!,
      redirectURI: CALLBACK,
      state: 's',
      codeVerifier: randomBytes(32).toString('base64url'),
      scopes: config.scopes!,
    });
    oidc.loginAs('ann');
    const code = (await followToCallback(authUrl.toString(), CALLBACK)).searchParams.get('code')!;
    await expect(
      validateAuthorizationCode({
        code,
        codeVerifier: randomBytes(32).toString('base64url'),
        redirectURI: CALLBACK,
        options,
        tokenEndpoint: discovery.token_endpoint!,
        authentication: 'post',
      }),
    ).rejects.toThrow();
  });
});
