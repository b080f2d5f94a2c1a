import { describe, expect, it } from 'vitest';
import type { IdpRow } from './idp.repository.ts';
import { buildGenericOAuthConfigs, groupsFromProfile, membershipFromProfile, roleFromGroups } from './idp.oauth.ts';

const rules = {
  admin_groups: ['CloudNow Admins'],
  operator_groups: ['Ops', 'SRE'],
  groups_claim: 'groups',
  tenant_claim: 'tenant',
  tenant_org_map: { acme: 'org-acme' },
  default_org_id: 'org-default',
};

describe('roleFromGroups', () => {
  it('maps admin and operator groups case-insensitively, admin winning, viewer by default', () => {
    expect(roleFromGroups(['cloudnow admins'], rules)).toBe('admin');
    expect(roleFromGroups(['sre', 'CloudNow Admins '], rules)).toBe('admin');
    expect(roleFromGroups(['OPS'], rules)).toBe('operator');
    expect(roleFromGroups(['Everyone'], rules)).toBe('viewer');
    expect(roleFromGroups([], rules)).toBe('viewer');
    expect(roleFromGroups(['x'], { admin_groups: [], operator_groups: [] })).toBe('viewer');
  });
});

describe('groupsFromProfile', () => {
  it('reads string arrays, OCI-style objects and comma lists, bounded', () => {
    expect(groupsFromProfile({ groups: ['a', ' b '] }, 'groups')).toEqual(['a', 'b']);
    expect(groupsFromProfile({ groups: [{ name: 'Admins', id: '1' }, { display: 'Ops' }, 7] }, 'groups')).toEqual(['Admins', 'Ops']);
    expect(groupsFromProfile({ roles: 'a,b' }, 'roles')).toEqual(['a', 'b']);
    expect(groupsFromProfile({}, 'groups')).toEqual([]);
    expect(groupsFromProfile({ groups: Array.from({ length: 900 }, (_, i) => `g${i}`) }, 'groups')).toHaveLength(500);
  });
});

describe('membershipFromProfile', () => {
  it('maps the tenant claim through the map, else the default org', () => {
    expect(membershipFromProfile({ tenant: 'acme', groups: ['Ops'] }, rules)).toEqual({
      orgId: 'org-acme',
      role: 'operator',
      groups: ['Ops'],
      tenant: 'acme',
    });
    expect(membershipFromProfile({ tenant: 'other' }, rules)).toMatchObject({ orgId: 'org-default', role: 'viewer', tenant: 'other' });
    expect(membershipFromProfile({}, { ...rules, default_org_id: null })).toMatchObject({ orgId: null });
  });
});

describe('buildGenericOAuthConfigs', () => {
  const row = (over: Partial<IdpRow>): IdpRow => ({
    id: 'id-1',
    slug: 'corp',
    label: 'Corp SSO',
    discovery_url: null,
    authorization_url: 'https://login.example.org/authorize',
    token_url: 'https://login.example.org/token',
    userinfo_url: 'https://login.example.org/userinfo',
    jwks_url: null,
    client_id: 'cid',
    client_secret: 'sealed',
    scopes: ['openid', 'email'],
    pkce: true,
    created_at: new Date(),
    updated_at: new Date(),
    enabled: true,
    ...rules,
    ...over,
  });

  it('maps rows to configs and profiles to users, reporting the membership', async () => {
    const seen: unknown[] = [];
    const [c] = buildGenericOAuthConfigs([row({}), row({ id: 'off', slug: 'off', enabled: false })], (s, ctx) => `${s}|${ctx}`, {
      onProfile: (_p, _profile, m) => seen.push(m),
    });
    expect(c).toMatchObject({
      providerId: 'corp',
      name: 'Corp SSO',
      clientId: 'cid',
      clientSecret: 'sealed|idp:id-1:client_secret',
      authorizationUrl: 'https://login.example.org/authorize',
      tokenUrl: 'https://login.example.org/token',
      userInfoUrl: 'https://login.example.org/userinfo',
      scopes: ['openid', 'email'],
      pkce: true,
    });
    const user = await c!.mapProfileToUser!({
      sub: 's',
      email: 'Ann@Example.COM',
      name: 'Ann',
      emailVerified: false,
      email_verified: true,
      groups: ['CloudNow Admins'],
      tenant: 'acme',
    });
    expect(user).toEqual({ email: 'ann@example.com', name: 'Ann', emailVerified: true });
    expect(seen).toEqual([{ orgId: 'org-acme', role: 'admin', groups: ['CloudNow Admins'], tenant: 'acme' }]);
  });

  it('skips a provider whose secret does not open', () => {
    const failed: string[] = [];
    const out = buildGenericOAuthConfigs(
      [row({}), row({ id: 'id-2', slug: 'two' })],
      (s, ctx) => {
        if (ctx.includes('id-2')) throw new Error('bad key');
        return s;
      },
      { onError: (p) => failed.push(p.slug) },
    );
    expect(out.map((c) => c.providerId)).toEqual(['corp']);
    expect(failed).toEqual(['two']);
  });
});
