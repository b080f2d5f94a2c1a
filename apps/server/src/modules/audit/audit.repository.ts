import { sql } from 'kysely';
import type { Executor } from '../../db/tenant.ts';
import { totalOf, toCount } from '../../db/database.ts';
import type { AuditRow } from './audit.buffer.ts';
import type { ExecutionStatus, ToolVia } from './audit.tables.ts';

/** Filters for audit reads; the org is always a separate, mandatory argument. */
export interface AuditFilter {
  threadId?: string | undefined;
  userId?: string | undefined;
  tool?: string | undefined;
  status?: ExecutionStatus | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
}

/** One audit row as read back. */
export interface AuditRecord {
  id: string;
  userId: string;
  apiKeyId: string | null;
  via: ToolVia;
  tool: string;
  args: unknown;
  status: ExecutionStatus;
  approvalId: string | null;
  approverId: string | null;
  durationMs: number;
  errorCode: string | null;
  error: string | null;
  threadId: string | null;
  createdAt: Date;
}

/** Inserts a batch (any number of orgs) as ONE multi-row INSERT; the caller holds a system transaction. */
export async function insertExecutions(db: Executor, rows: AuditRow[]): Promise<void> {
  if (rows.length === 0) return;
  await db.insertInto('tool_executions').values(rows).execute();
}

/** A page of one org's audit rows, newest first, with the total from the same query. */
export async function listExecutions(
  db: Executor,
  orgId: string,
  filter: AuditFilter,
  page: { limit: number; offset: number },
): Promise<{ items: AuditRecord[]; total: number }> {
  let q = db.selectFrom('tool_executions').where('org_id', '=', orgId);
  if (filter.threadId) q = q.where('thread_id', '=', filter.threadId);
  if (filter.userId) q = q.where('user_id', '=', filter.userId);
  if (filter.tool) q = q.where('tool', '=', filter.tool);
  if (filter.status) q = q.where('status', '=', filter.status);
  if (filter.from) q = q.where('created_at', '>=', filter.from);
  if (filter.to) q = q.where('created_at', '<', filter.to);
  const rows = await q
    .select((eb) => [
      'id',
      'user_id',
      'api_key_id',
      'via',
      'tool',
      'args',
      'status',
      'approval_id',
      'approver_id',
      'duration_ms',
      'error_code',
      'error',
      'thread_id',
      'created_at',
      eb.fn.countAll().over().as('total'),
    ])
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
  return {
    total: totalOf(rows),
    items: rows.map((r) => ({
      id: r.id,
      userId: r.user_id,
      apiKeyId: r.api_key_id,
      via: r.via,
      tool: r.tool,
      args: r.args,
      status: r.status,
      approvalId: r.approval_id,
      approverId: r.approver_id,
      durationMs: r.duration_ms,
      errorCode: r.error_code,
      error: r.error,
      threadId: r.thread_id,
      createdAt: r.created_at,
    })),
  };
}

/** Totals overall, by status and by tool. */
export interface AuditSummary {
  total: number;
  byStatus: Record<string, number>;
  byTool: Record<string, number>;
}

/** The summary in ONE scan: `GROUP BY GROUPING SETS ((), (status), (tool))`. */
export async function summarizeExecutions(db: Executor, orgId: string, filter: Pick<AuditFilter, 'from' | 'to'>): Promise<AuditSummary> {
  const rows = await sql<{ status: string | null; tool: string | null; g_status: number; g_tool: number; n: unknown }>`
    select status, tool, grouping(status) as g_status, grouping(tool) as g_tool, count(*) as n
    from tool_executions
    where org_id = ${orgId}
      and (${filter.from ?? null}::timestamptz is null or created_at >= ${filter.from ?? null}::timestamptz)
      and (${filter.to ?? null}::timestamptz is null or created_at < ${filter.to ?? null}::timestamptz)
    group by grouping sets ((), (status), (tool))`.execute(db);
  const summary: AuditSummary = { total: 0, byStatus: {}, byTool: {} };
  for (const r of rows.rows) {
    const n = toCount(r.n);
    const gs = Number(r.g_status);
    const gt = Number(r.g_tool);
    if (gs === 1 && gt === 1) summary.total = n;
    else if (gs === 0) summary.byStatus[r.status!] = n;
    else summary.byTool[r.tool!] = n;
  }
  return summary;
}
