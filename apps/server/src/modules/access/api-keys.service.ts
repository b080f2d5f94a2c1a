import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { API_KEY_FORBIDDEN, hasPermission, type Actor, type Permission } from '@cloudnow/shared';
import type { Cache } from '../../plugins/cache.ts';
import type { DB } from '../../db/schema.ts';
import { withTenant } from '../../db/tenant.ts';
import { BadRequest, Forbidden, NotFound, ValidationFailed } from '../../errors.ts';
import { recordAdminChange } from '../admin-audit/admin-audit.service.ts';
import { API_KEY_DISPLAY_CHARS, API_KEY_PREFIX, hashApiKey } from './api-keys.verify.ts';
import * as repo from './api-keys.repository.ts';

/** What the API-key services need. */
export interface ApiKeysDeps {
  db: () => Kysely<DB>;
  cache: Pick<Cache, 'del'>;
}

/**
 * Creates a key for the actor in the actor's org. Only a signed-in person may create keys; the
 * permissions must be ones the creator holds and never API_KEY_FORBIDDEN. The secret is returned
 * here once; only its SHA-256 hash and display prefix are stored. Audited.
 */
export async function createApiKey(
  deps: ApiKeysDeps,
  actor: Actor,
  input: { name: string; permissions: Permission[]; expiresAt?: string | null | undefined },
) {
  if (actor.via !== 'session') throw new Forbidden('a signed-in session (API keys cannot create API keys)');
  input.permissions.forEach((p, i) => {
    if (API_KEY_FORBIDDEN.includes(p)) throw new ValidationFailed(`permissions.${i}: "${p}" can never be granted to an API key`);
    if (!hasPermission(actor.permissions, p)) throw new ValidationFailed(`permissions.${i}: you do not hold "${p}"`);
  });
  const expiresAt = input.expiresAt ? new Date(input.expiresAt) : null;
  if (expiresAt && expiresAt.getTime() <= Date.now()) throw new BadRequest('expiresAt: must be in the future');
  const secret = `${API_KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
  const permissions = [...new Set(input.permissions)];
  const row = await withTenant(deps.db(), actor.orgId, async (tx) => {
    const r = await repo.insertApiKey(tx, {
      org_id: actor.orgId,
      user_id: actor.userId,
      name: input.name,
      prefix: secret.slice(0, API_KEY_DISPLAY_CHARS),
      key_hash: hashApiKey(secret),
      permissions,
      expires_at: expiresAt,
    });
    await recordAdminChange(tx, actor, {
      action: 'api_keys.create',
      targetType: 'api_key',
      targetId: r.id,
      after: { name: r.name, prefix: r.prefix, permissions, expiresAt: expiresAt?.toISOString() ?? null },
    });
    return r;
  });
  return { ...row, key: secret };
}

/** The actor's keys in the org; with `all` (needs admin:users) every key of the org. */
export async function listApiKeys(deps: ApiKeysDeps, actor: Actor, page: { limit: number; offset: number; all?: boolean | undefined }) {
  if (page.all && !hasPermission(actor.permissions, 'admin:users')) throw new Forbidden('admin:users');
  return withTenant(deps.db(), actor.orgId, (tx) => repo.listApiKeys(tx, actor.orgId, page.all ? null : actor.userId, page));
}

/** Revokes a key (one's own; admin:users any in the org); 404 for other orgs' or unknown keys. Effective at once everywhere. */
export async function revokeApiKey(deps: ApiKeysDeps, actor: Actor, id: string): Promise<void> {
  const anyInOrg = hasPermission(actor.permissions, 'admin:users');
  const revoked = await withTenant(deps.db(), actor.orgId, async (tx) => {
    const r = await repo.revokeApiKey(tx, actor.orgId, id, anyInOrg ? null : actor.userId);
    if (!r) throw new NotFound(`API key ${id}`);
    await recordAdminChange(tx, actor, {
      action: 'api_keys.revoke',
      targetType: 'api_key',
      targetId: id,
      before: { name: r.name, prefix: r.prefix, userId: r.user_id },
    });
    return r;
  });
  await deps.cache.del('apikey', revoked.key_hash);
}
