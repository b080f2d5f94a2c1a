import type { Kysely } from 'kysely';
import type { FastifyBaseLogger } from 'fastify';
import { hasPermission, type Actor } from '@cloudnow/shared';
import type { DB } from '../../db/schema.ts';
import { json } from '../../db/schema.ts';
import { withSystem, withTenant } from '../../db/tenant.ts';
import type { EventBus } from '../../plugins/events.ts';
import { Forbidden } from '../../errors.ts';
import {
  consumeApproval,
  decideApproval,
  expireDueApprovals,
  findApproval,
  findThreadApproval,
  insertApproval,
  listApprovals,
  type ApprovalFilter,
  type ApprovalRow,
} from './approvals.repository.ts';
import {
  ApprovalAlreadyDecided,
  ApprovalAlreadyUsed,
  ApprovalExpired,
  ApprovalMismatch,
  ApprovalNotFound,
  ApprovalPending,
  ApprovalRejected,
} from './approvals.errors.ts';
import type { ApprovalStatus } from './approvals.tables.ts';

/** Approval lifecycle events: a waiting caller on any replica is woken by `approval.decided`. */
declare module '../../plugins/events.ts' {
  interface EventMap {
    'approval.requested': { orgId: string; approvalId: string; tool: string; risk: string; threadId: string | null; expiresAt: string };
    'approval.decided': { orgId: string; approvalId: string; status: ApprovalStatus; decidedBy: string | null };
  }
}

/** An approval as every caller sees it; a pending row past its TTL reads as `expired`. */
export interface ApprovalView {
  id: string;
  tool: string;
  args: Record<string, unknown>;
  risk: string;
  via: string;
  threadId: string | null;
  requestedBy: string;
  status: ApprovalStatus;
  decidedBy: string | null;
  decidedAt: Date | null;
  reason: string | null;
  expiresAt: Date;
  consumedAt: Date | null;
  createdAt: Date;
}

/** What the gate hands over when a call needs approval. */
export interface ApprovalRequest {
  tool: string;
  /** Already redacted. */
  args: Record<string, unknown>;
  argsHash: string;
  risk: string;
  via: string;
  threadId?: string | undefined;
}

/** Persisted approvals: single use, 5-minute TTL, decided once, resolvable on any replica. */
export interface ApprovalService {
  request(actor: Actor, req: ApprovalRequest): Promise<ApprovalView>;
  /** Approves or denies once: 404 other org/unknown, 409 already decided, 410 expired. Needs tools:approve. */
  decide(actor: Actor, id: string, decision: 'approved' | 'denied', reason?: string | null): Promise<ApprovalView>;
  get(actor: Actor, id: string): Promise<ApprovalView>;
  listPending(actor: Actor, page: { limit: number; offset: number }): Promise<{ items: ApprovalView[]; total: number }>;
  /** The org's approvals by status (default pending), tool, via, risk or thread; paginated. */
  list(actor: Actor, filter: ApprovalFilter, page: { limit: number; offset: number }): Promise<{ items: ApprovalView[]; total: number }>;
  /** Consumes an approved grant for exactly this tool and args hash (single use), or throws why not. */
  consume(actor: Actor, id: string, tool: string, argsHash: string): Promise<ApprovalView>;
  /** The approval that already covers `tool` in `threadId` (once_per_thread), or null. */
  approvedInThread(actor: Actor, threadId: string, tool: string): Promise<ApprovalView | null>;
  /**
   * Resolves with the approval once it is no longer pending (decided on any replica, or expired),
   * rejects with the signal's reason when aborted. Subscribes first, then re-reads: no lost wake-up.
   */
  waitForDecision(actor: Pick<Actor, 'orgId'>, id: string, signal?: AbortSignal): Promise<ApprovalView>;
  /** Expires every due approval (all orgs) in one UPDATE and wakes their waiters; returns how many. */
  expireDue(): Promise<number>;
}

export interface ApprovalDeps {
  db: () => Kysely<DB>;
  events: Pick<EventBus, 'publish' | 'subscribe'>;
  log: FastifyBaseLogger;
  /** Pending TTL and the grant's validity after approval (default 5 minutes). */
  ttlMs?: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Maps a row to its view; a pending row past its TTL is reported as expired. */
export function toApprovalView(r: ApprovalRow, now = Date.now()): ApprovalView {
  const expired = r.status === 'pending' && new Date(r.expires_at).getTime() <= now;
  return {
    id: r.id,
    tool: r.tool,
    args: r.args,
    risk: r.risk,
    via: r.via,
    threadId: r.thread_id,
    requestedBy: r.requested_by,
    status: expired ? 'expired' : r.status,
    decidedBy: r.decided_by,
    decidedAt: r.decided_at,
    reason: r.reason,
    expiresAt: r.expires_at,
    consumedAt: r.consumed_at,
    createdAt: r.created_at,
  };
}

export function createApprovalService(deps: ApprovalDeps): ApprovalService {
  const ttlMs = deps.ttlMs ?? 5 * 60_000;
  const tenant = <T>(orgId: string, fn: Parameters<typeof withTenant<T>>[2]): Promise<T> => withTenant(deps.db(), orgId, fn);
  const load = async (orgId: string, id: string): Promise<ApprovalRow> => {
    const row = UUID.test(id) ? await tenant(orgId, (tx) => findApproval(tx, orgId, id)) : undefined;
    if (!row) throw new ApprovalNotFound(id);
    return row;
  };
  const publishDecided = (orgId: string, v: ApprovalView): void => {
    deps.events
      .publish('approval.decided', { orgId, approvalId: v.id, status: v.status, decidedBy: v.decidedBy })
      .catch((err: unknown) => deps.log.warn({ err }, 'approvals: publish failed'));
  };

  const service: ApprovalService = {
    async request(actor, req) {
      const row = await tenant(actor.orgId, (tx) =>
        insertApproval(tx, {
          org_id: actor.orgId,
          tool: req.tool,
          args: json(req.args),
          args_hash: req.argsHash,
          risk: req.risk,
          via: req.via,
          thread_id: req.threadId ?? null,
          requested_by: actor.userId,
          decided_by: null,
          decided_at: null,
          reason: null,
          consumed_at: null,
          expires_at: new Date(Date.now() + ttlMs),
        }),
      );
      const view = toApprovalView(row);
      await deps.events.publish('approval.requested', {
        orgId: actor.orgId,
        approvalId: view.id,
        tool: view.tool,
        risk: view.risk,
        threadId: view.threadId,
        expiresAt: view.expiresAt.toISOString(),
      });
      return view;
    },

    async decide(actor, id, decision, reason) {
      if (!hasPermission(actor.permissions, 'tools:approve')) throw new Forbidden('tools:approve');
      const updated = UUID.test(id)
        ? await tenant(actor.orgId, (tx) =>
            decideApproval(tx, actor.orgId, id, { status: decision, decidedBy: actor.userId, reason: reason ?? null, grantMs: ttlMs }),
          )
        : undefined;
      if (updated) {
        const view = toApprovalView(updated);
        publishDecided(actor.orgId, view);
        return view;
      }
      const current = toApprovalView(await load(actor.orgId, id));
      if (current.status === 'expired') throw new ApprovalExpired(id);
      throw new ApprovalAlreadyDecided(id, current.status);
    },

    async get(actor, id) {
      return toApprovalView(await load(actor.orgId, id));
    },

    async listPending(actor, page) {
      const { rows, total } = await tenant(actor.orgId, (tx) => listApprovals(tx, actor.orgId, { status: 'pending' }, page));
      return { items: rows.map((r) => toApprovalView(r)), total };
    },

    async list(actor, filter, page) {
      const { rows, total } = await tenant(actor.orgId, (tx) => listApprovals(tx, actor.orgId, filter, page));
      return { items: rows.map((r) => toApprovalView(r)), total };
    },

    async consume(actor, id, tool, argsHash) {
      const used = UUID.test(id) ? await tenant(actor.orgId, (tx) => consumeApproval(tx, actor.orgId, id, tool, argsHash)) : undefined;
      if (used) return toApprovalView(used);
      const row = await load(actor.orgId, id);
      if (row.tool !== tool || row.args_hash !== argsHash) throw new ApprovalMismatch(id);
      const current = toApprovalView(row);
      if (current.consumedAt) throw new ApprovalAlreadyUsed(id);
      if (current.status === 'pending') throw new ApprovalPending(id);
      if (current.status === 'denied') throw new ApprovalRejected(id);
      throw new ApprovalExpired(id);
    },

    async approvedInThread(actor, threadId, tool) {
      const row = await tenant(actor.orgId, (tx) => findThreadApproval(tx, actor.orgId, threadId, tool));
      return row ? toApprovalView(row) : null;
    },

    waitForDecision(actor, id, signal) {
      return waitFor(deps, actor.orgId, id, signal, load);
    },

    async expireDue() {
      const rows = await withSystem(deps.db(), (tx) => expireDueApprovals(tx));
      for (const r of rows) {
        deps.events
          .publish('approval.decided', { orgId: r.org_id, approvalId: r.id, status: 'expired', decidedBy: null })
          .catch((err: unknown) => deps.log.warn({ err }, 'approvals: publish failed'));
      }
      return rows.length;
    },
  };

  return service;
}

/** How long past a TTL a waiter re-reads before reporting the row as expired itself. */
const EXPIRY_GRACE_MS = 50;

async function waitFor(
  deps: ApprovalDeps,
  orgId: string,
  id: string,
  signal: AbortSignal | undefined,
  load: (orgId: string, id: string) => Promise<ApprovalRow>,
): Promise<ApprovalView> {
  signal?.throwIfAborted();
  return new Promise<ApprovalView>((resolve, reject) => {
    let settled = false;
    let timer: NodeJS.Timeout | null = null;
    const finish = (err: unknown, view?: ApprovalView): void => {
      if (settled) return;
      settled = true;
      unsubscribe();
      if (timer) clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      if (err) reject(err);
      else resolve(view!);
    };
    const check = (): void => {
      load(orgId, id).then((row) => {
        const view = toApprovalView(row);
        if (view.status !== 'pending') return finish(null, view);
        if (timer) clearTimeout(timer);
        timer = setTimeout(check, Math.max(0, new Date(row.expires_at).getTime() - Date.now()) + EXPIRY_GRACE_MS);
        timer.unref();
      }, finish);
    };
    const onAbort = (): void => finish(signal!.reason ?? new Error('aborted'));
    const unsubscribe = deps.events.subscribe('approval.decided', (p) => {
      if (p.approvalId === id && p.orgId === orgId) check();
    });
    signal?.addEventListener('abort', onAbort, { once: true });
    check();
  });
}
