import type { Kysely } from 'kysely';
import type { Actor } from '@cloudnow/shared';
import type { DB } from '../../db/schema.ts';
import { withSystem, withTenant } from '../../db/tenant.ts';
import type { EventBus } from '../../plugins/events.ts';
import { createAuditBuffer, type AuditBuffer, type AuditRow } from './audit.buffer.ts';
import { redact } from './audit.redact.ts';
import {
  insertExecutions,
  listExecutions,
  summarizeExecutions,
  type AuditFilter,
  type AuditRecord,
  type AuditSummary,
} from './audit.repository.ts';
import type { ExecutionStatus, ToolVia } from './audit.tables.ts';
import type { FastifyBaseLogger } from 'fastify';

/** What the gate reports for one pass (the audit service redacts and stamps it). */
export interface ExecutionEntry {
  actor: Actor;
  via: ToolVia;
  tool: string;
  args: unknown;
  status: ExecutionStatus;
  durationMs: number;
  approvalId?: string | null | undefined;
  approverId?: string | null | undefined;
  errorCode?: string | null | undefined;
  error?: string | null | undefined;
  threadId?: string | null | undefined;
}

/** Audit events other modules (webhooks) subscribe to. */
declare module '../../plugins/events.ts' {
  interface EventMap {
    'tool.executed': {
      orgId: string;
      userId: string;
      tool: string;
      via: ToolVia;
      status: ExecutionStatus;
      durationMs: number;
      threadId: string | null;
      at: string;
    };
  }
}

/**
 * The tool-execution audit trail. Writes are buffered (see `createAuditBuffer`) and published as
 * `tool.executed`; reads are paged (LIMIT default 100, max 1000) with `count(*) over()`, and the
 * summary is one GROUPING SETS query.
 */
export interface AuditService {
  /** Queues one row (redacted) and publishes `tool.executed`. Never throws. */
  record(entry: ExecutionEntry): Promise<void>;
  list(actor: Actor, filter: AuditFilter, page: { limit: number; offset: number }): Promise<{ items: AuditRecord[]; total: number }>;
  /** The current user's own executions (the activity feed). */
  activity(
    actor: Actor,
    filter: Omit<AuditFilter, 'userId'>,
    page: { limit: number; offset: number },
  ): Promise<{ items: AuditRecord[]; total: number }>;
  summary(actor: Actor, range: Pick<AuditFilter, 'from' | 'to'>): Promise<AuditSummary>;
  /** Writes every queued row now (tests, shutdown). */
  flush(): Promise<void>;
  readonly buffer: AuditBuffer;
  close(): Promise<void>;
}

export interface AuditDeps {
  db: () => Kysely<DB>;
  events: Pick<EventBus, 'publish'>;
  log: FastifyBaseLogger;
  batchSize?: number;
  intervalMs?: number;
}

export function createAuditService(deps: AuditDeps): AuditService {
  const buffer = createAuditBuffer({
    write: (rows) => withSystem(deps.db(), (tx) => insertExecutions(tx, rows)),
    log: deps.log,
    ...(deps.batchSize ? { batchSize: deps.batchSize } : {}),
    ...(deps.intervalMs ? { intervalMs: deps.intervalMs } : {}),
  });
  return {
    buffer,
    async record(e) {
      const row: AuditRow = {
        org_id: e.actor.orgId,
        user_id: e.actor.userId,
        api_key_id: e.actor.apiKeyId ?? null,
        via: e.via,
        tool: e.tool.slice(0, 200),
        args: JSON.stringify(redact(e.args) ?? null),
        status: e.status,
        approval_id: e.approvalId ?? null,
        approver_id: e.approverId ?? null,
        duration_ms: Math.max(0, Math.round(e.durationMs)),
        error_code: e.errorCode ?? null,
        error: e.error ? e.error.slice(0, 2000) : null,
        thread_id: e.threadId ?? null,
        created_at: new Date(),
      };
      await buffer.push(row);
      deps.events
        .publish('tool.executed', {
          orgId: row.org_id,
          userId: row.user_id,
          tool: row.tool,
          via: row.via,
          status: row.status,
          durationMs: row.duration_ms!,
          threadId: row.thread_id ?? null,
          at: row.created_at.toISOString(),
        })
        .catch((err: unknown) => deps.log.warn({ err }, 'audit: tool.executed publish failed'));
    },
    list: (actor, filter, page) => withTenant(deps.db(), actor.orgId, (tx) => listExecutions(tx, actor.orgId, filter, page)),
    activity: (actor, filter, page) =>
      withTenant(deps.db(), actor.orgId, (tx) => listExecutions(tx, actor.orgId, { ...filter, userId: actor.userId }, page)),
    summary: (actor, range) => withTenant(deps.db(), actor.orgId, (tx) => summarizeExecutions(tx, actor.orgId, range)),
    flush: () => buffer.flush(),
    close: () => buffer.close(),
  };
}
