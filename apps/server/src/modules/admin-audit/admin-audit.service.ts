import type { Kysely } from 'kysely';
import type { Actor } from '@cloudnow/shared';
import { json, type DB } from '../../db/schema.ts';
import { withTenant, type Executor } from '../../db/tenant.ts';
import { insertAdminAudit, listAdminAudit, type AdminAuditRow } from './admin-audit.repository.ts';
import './admin-audit.tables.ts';

/** What changed: `action` like `members.role_change`, the target, and the values before → after. */
export interface AdminChange {
  action: string;
  targetType: string;
  targetId: string | null;
  before?: unknown;
  after?: unknown;
}

const SECRET_KEY = /(secret|password|passwd|token|api_?key|apikey|private_?key|hash|credential)/i;
const MASK = '[masked]';

/** Replaces the value of every secret-looking field (deeply) with "[masked]". Exported for tests and callers. */
export function maskSecrets(value: unknown, depth = 0): unknown {
  if (depth > 8 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.slice(0, 1000).map((v) => maskSecrets(v, depth + 1));
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>).map(([k, v]) => [
      k,
      SECRET_KEY.test(k) && v !== null && v !== undefined && v !== '' ? MASK : maskSecrets(v, depth + 1),
    ]),
  );
}

/**
 * Records one admin change in `admin_audit` (one INSERT), secrets masked. Call it with the same
 * executor as the change itself (a `withTenant(actor.orgId)` transaction), so the change and its
 * record commit together. The org is the actor's.
 */
export async function recordAdminChange(executor: Executor, actor: Actor | SetupActor, change: AdminChange): Promise<void> {
  await insertAdminAudit(executor, {
    org_id: actor.orgId,
    actor_user_id: actor.userId,
    actor_via: actor.via,
    api_key_id: 'apiKeyId' in actor ? (actor.apiKeyId ?? null) : null,
    action: change.action,
    target_type: change.targetType,
    target_id: change.targetId,
    before: change.before === undefined ? null : json(maskSecrets(change.before)),
    after: change.after === undefined ? null : json(maskSecrets(change.after)),
  });
}

/** The setup wizard acts before any session exists; its changes are attributed to the new admin. */
export interface SetupActor {
  readonly userId: string;
  readonly orgId: string;
  readonly via: 'setup';
}

/** Lists the actor's org audit, newest first (LIMIT ≤ 500, total from the same query). */
export async function listAdminChanges(
  db: Kysely<DB>,
  actor: Actor,
  page: { limit: number; offset: number; action?: string | undefined },
): Promise<{ total: number; rows: AdminAuditRow[] }> {
  return withTenant(db, actor.orgId, (tx) => listAdminAudit(tx, actor.orgId, page));
}
