import type { GenericOAuthConfig } from 'better-auth/plugins';
import type { Role } from '@cloudnow/shared';
import type { IdpRow } from './idp.repository.ts';

/**
 * From stored providers to Better Auth `genericOAuth` configs, and from an IdP profile to a
 * CloudNow membership (org + role). Pure functions: the auth instance calls them on every reload.
 */

/** Opens a sealed client secret; `context` is the AAD it was sealed with. */
export type OpenSecret = (sealed: string, context: string) => string;

/** The AAD a provider's client secret is sealed with (binds the envelope to its row). */
export function clientSecretContext(id: string): string {
  return `idp:${id}:client_secret`;
}

/** The subset of a provider the profile mapping needs. */
export type MappingRules = Pick<
  IdpRow,
  'admin_groups' | 'operator_groups' | 'groups_claim' | 'tenant_claim' | 'tenant_org_map' | 'default_org_id'
>;

/**
 * The role granted by a user's groups: `admin` if any group is in `admin_groups`, else
 * `operator` if any is in `operator_groups`, else `viewer`. Case-insensitive, trimmed.
 */
export function roleFromGroups(groups: readonly string[], provider: Pick<IdpRow, 'admin_groups' | 'operator_groups'>): Role {
  const have = new Set(groups.map((g) => g.trim().toLowerCase()));
  const any = (list: readonly string[]): boolean => list.some((g) => have.has(g.trim().toLowerCase()));
  if (any(provider.admin_groups)) return 'admin';
  if (any(provider.operator_groups)) return 'operator';
  return 'viewer';
}

const MAX_GROUPS = 500;

/**
 * The group names in a profile claim. Accepts an array of strings, an array of objects with
 * `name`/`display`/`value` (OCI IAM identity domains send `{ name, id }`), or a comma-separated
 * string. Bounded to 500 groups.
 */
export function groupsFromProfile(profile: Record<string, unknown>, claim: string): string[] {
  const raw = profile[claim];
  const out: string[] = [];
  const push = (v: unknown): void => {
    if (typeof v === 'string' && v.trim()) out.push(v.trim());
    else if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      for (const k of ['name', 'display', 'value']) {
        if (typeof o[k] === 'string') {
          out.push((o[k] as string).trim());
          return;
        }
      }
    }
  };
  if (Array.isArray(raw)) raw.slice(0, MAX_GROUPS).forEach(push);
  else if (typeof raw === 'string') raw.split(',').slice(0, MAX_GROUPS).forEach(push);
  return out;
}

/** Where an IdP user lands: the org (null when the provider maps none) and the role from groups. */
export interface Membership {
  orgId: string | null;
  role: Role;
  groups: string[];
  tenant: string | null;
}

/** Resolves the org (tenant claim → `tenant_org_map`, else `default_org_id`) and the role. */
export function membershipFromProfile(profile: Record<string, unknown>, provider: MappingRules): Membership {
  const groups = groupsFromProfile(profile, provider.groups_claim);
  const rawTenant = provider.tenant_claim ? profile[provider.tenant_claim] : undefined;
  const tenant = typeof rawTenant === 'string' && rawTenant ? rawTenant : null;
  const mapped = tenant ? provider.tenant_org_map[tenant] : undefined;
  return { orgId: mapped ?? provider.default_org_id ?? null, role: roleFromGroups(groups, provider), groups, tenant };
}

/** Options of `buildGenericOAuthConfigs`. */
export interface BuildOptions {
  /** Called for a provider that cannot be built (e.g. its secret was sealed under an old key); it is skipped. */
  onError?: (provider: IdpRow, err: unknown) => void;
  /** Called with every mapped profile (the auth integration records the membership it implies). */
  onProfile?: (provider: IdpRow, profile: Record<string, unknown>, membership: Membership) => void;
}

/**
 * Better Auth `genericOAuth` config entries for the enabled providers: discovery or explicit
 * endpoints, the opened client secret, scopes, PKCE, and a `mapProfileToUser` that takes email,
 * name and picture from the standard claims. A provider that fails to build is skipped and
 * reported, so one bad row never takes sign-in down for the others.
 */
export function buildGenericOAuthConfigs(providers: readonly IdpRow[], open: OpenSecret, options: BuildOptions = {}): GenericOAuthConfig[] {
  const configs: GenericOAuthConfig[] = [];
  for (const p of providers) {
    if (!p.enabled) continue;
    try {
      const clientSecret = p.client_secret ? open(p.client_secret, clientSecretContext(p.id)) : undefined;
      configs.push({
        providerId: p.slug,
        name: p.label,
        clientId: p.client_id,
        ...(clientSecret ? { clientSecret } : {}),
        ...(p.discovery_url ? { discoveryUrl: p.discovery_url } : {}),
        ...(p.authorization_url ? { authorizationUrl: p.authorization_url } : {}),
        ...(p.token_url ? { tokenUrl: p.token_url } : {}),
        ...(p.userinfo_url ? { userInfoUrl: p.userinfo_url } : {}),
        scopes: [...p.scopes],
        pkce: p.pkce,
        mapProfileToUser: (profile) => {
          const claims = profile as Record<string, unknown>;
          options.onProfile?.(p, claims, membershipFromProfile(claims, p));
          const email = typeof claims.email === 'string' ? claims.email.toLowerCase() : undefined;
          const verified = claims.email_verified ?? claims.emailVerified;
          const name = [claims.name, claims.preferred_username, email].find((v) => typeof v === 'string' && v) as string | undefined;
          return {
            ...(email ? { email } : {}),
            ...(name ? { name } : {}),
            ...(typeof claims.picture === 'string' ? { image: claims.picture } : {}),
            ...(typeof verified === 'boolean' ? { emailVerified: verified } : {}),
          };
        },
      });
    } catch (err) {
      options.onError?.(p, err);
    }
  }
  return configs;
}
