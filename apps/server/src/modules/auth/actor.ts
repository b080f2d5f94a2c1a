import type { Kysely } from 'kysely';
import { ROLE_PERMISSIONS, type Actor, type Permission } from '@cloudnow/shared';
import type { Cache } from '../../plugins/cache.ts';
import type { DB } from '../../db/schema.ts';
import { membershipsOf } from '../orgs/memberships.ts';
import { findApiKey, looksLikeApiKey, type ApiKeyUsage } from '../access/api-keys.verify.ts';

/** Why credentials did not yield an actor (the hook turns it into a 401/403). */
export type ActorFailure = { status: 401 | 403; code: string; message: string };

/** The API key in a request: `X-API-Key`, or `Authorization: Bearer cn_…`. */
export function apiKeyFrom(headers: Record<string, string | string[] | undefined>): string | null {
  const x = headers['x-api-key'];
  if (typeof x === 'string' && x) return x.trim();
  const auth = headers.authorization;
  if (typeof auth === 'string' && /^bearer\s+cn_/i.test(auth)) return auth.slice(auth.indexOf(' ') + 1).trim();
  return null;
}

interface Deps {
  db: () => Kysely<DB>;
  cache: Pick<Cache, 'getOrFetch'>;
}

/** What a session lookup yields (Better Auth's session, pre-parsed). */
export interface SessionInfo {
  id: string;
  userId: string;
  activeOrganizationId: string | null;
  createdAt: Date;
}

/**
 * The actor for a signed-in session: the active org (or the user's first org when the active one
 * is unset or no longer theirs) and the member's role there. Cached memberships: no query warm.
 */
export async function actorFromSession(deps: Deps, session: SessionInfo): Promise<Actor | ActorFailure> {
  const memberships = await membershipsOf(deps, session.userId);
  const m = memberships.find((x) => x.orgId === session.activeOrganizationId) ?? memberships[0];
  if (!m)
    return {
      status: 403,
      code: 'NO_ORGANIZATION',
      message: 'You are not a member of any organization yet; ask an admin for an invitation',
    };
  return {
    userId: session.userId,
    orgId: m.orgId,
    role: m.role,
    permissions: ROLE_PERMISSIONS[m.role],
    via: 'session',
    sessionId: session.id,
  };
}

/**
 * The actor for an API key: its org, the creator's CURRENT role in that org, and the key's
 * permissions intersected with that role's (a demoted creator's keys shrink with them).
 */
export async function actorFromApiKey(
  deps: Deps & { usage: ApiKeyUsage },
  secret: string,
  now = Date.now(),
): Promise<Actor | ActorFailure> {
  const invalid: ActorFailure = { status: 401, code: 'API_KEY_INVALID', message: 'The API key is unknown, revoked or expired' };
  if (!looksLikeApiKey(secret)) return invalid;
  const key = await findApiKey(deps, secret);
  if (!key || key.revoked || (key.expiresAt !== null && key.expiresAt <= now)) return invalid;
  const memberships = await membershipsOf(deps, key.userId);
  const m = memberships.find((x) => x.orgId === key.orgId);
  if (!m) return invalid;
  const allowed = new Set<Permission>(ROLE_PERMISSIONS[m.role]);
  deps.usage.touch(key.id);
  return {
    userId: key.userId,
    orgId: key.orgId,
    role: m.role,
    permissions: key.permissions.filter((p) => allowed.has(p)),
    via: 'apiKey',
    apiKeyId: key.id,
  };
}

/** Type guard: a resolution failure rather than an actor. */
export function isFailure(v: Actor | ActorFailure): v is ActorFailure {
  return 'status' in v;
}
