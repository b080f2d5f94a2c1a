import { sql, type Insertable, type Selectable } from 'kysely';
import type { Executor } from '../../db/tenant.ts';
import { totalOf } from '../../db/database.ts';
import type { ApprovalStatus, ToolApprovalsTable } from './approvals.tables.ts';

/** A stored approval row. */
export type ApprovalRow = Selectable<ToolApprovalsTable>;

/** Inserts one pending approval and returns it. */
export async function insertApproval(db: Executor, row: Insertable<ToolApprovalsTable>): Promise<ApprovalRow> {
  return db.insertInto('tool_approvals').values(row).returningAll().executeTakeFirstOrThrow();
}

/** One approval of one org, or undefined. */
export async function findApproval(db: Executor, orgId: string, id: string): Promise<ApprovalRow | undefined> {
  return db.selectFrom('tool_approvals').selectAll().where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst();
}

/**
 * Decides a pending, unexpired approval (compare-and-set: a second decision updates nothing). An
 * approved grant stays consumable for `grantMs` from the decision.
 */
export async function decideApproval(
  db: Executor,
  orgId: string,
  id: string,
  d: { status: Extract<ApprovalStatus, 'approved' | 'denied'>; decidedBy: string; reason: string | null; grantMs: number },
): Promise<ApprovalRow | undefined> {
  return db
    .updateTable('tool_approvals')
    .set({
      status: d.status,
      decided_by: d.decidedBy,
      reason: d.reason,
      decided_at: sql<Date>`now()`,
      expires_at: sql<Date>`now() + make_interval(secs => ${d.grantMs / 1000})`,
    })
    .where('org_id', '=', orgId)
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .where('expires_at', '>', sql<Date>`now()`)
    .returningAll()
    .executeTakeFirst();
}

/**
 * Consumes an approved, unused, unexpired grant for exactly this tool and these arguments in one
 * statement; a concurrent second use updates nothing.
 */
export async function consumeApproval(
  db: Executor,
  orgId: string,
  id: string,
  tool: string,
  argsHash: string,
): Promise<ApprovalRow | undefined> {
  return db
    .updateTable('tool_approvals')
    .set({ consumed_at: sql<Date>`now()` })
    .where('org_id', '=', orgId)
    .where('id', '=', id)
    .where('tool', '=', tool)
    .where('args_hash', '=', argsHash)
    .where('status', '=', 'approved')
    .where('consumed_at', 'is', null)
    .where('expires_at', '>', sql<Date>`now()`)
    .returningAll()
    .executeTakeFirst();
}

/** The first approved approval of `tool` in a thread (for `once_per_thread`), or undefined. */
export async function findThreadApproval(db: Executor, orgId: string, threadId: string, tool: string): Promise<ApprovalRow | undefined> {
  return db
    .selectFrom('tool_approvals')
    .selectAll()
    .where('org_id', '=', orgId)
    .where('thread_id', '=', threadId)
    .where('tool', '=', tool)
    .where('status', '=', 'approved')
    .orderBy('decided_at', 'asc')
    .limit(1)
    .executeTakeFirst();
}

/** A page of an org's pending, unexpired approvals (oldest first) with the total from the same query. */
/** Filters of the approvals list; `status` defaults to live pending ones. */
export interface ApprovalFilter {
  status?: 'pending' | 'approved' | 'denied' | 'expired' | 'all' | undefined;
  tool?: string | undefined;
  via?: string | undefined;
  risk?: string | undefined;
  threadId?: string | undefined;
}

/**
 * A page of the org's approvals with the total from the same query. Pending ones come oldest first
 * (the inbox works its queue); decided ones newest first. A pending row past its TTL counts as
 * expired even before the sweep marks it.
 */
export async function listApprovals(
  db: Executor,
  orgId: string,
  filter: ApprovalFilter,
  page: { limit: number; offset: number },
): Promise<{ rows: ApprovalRow[]; total: number }> {
  const status = filter.status ?? 'pending';
  let q = db
    .selectFrom('tool_approvals')
    .selectAll()
    .select((eb) => eb.fn.countAll().over().as('total'))
    .where('org_id', '=', orgId);
  if (status === 'pending') q = q.where('status', '=', 'pending').where('expires_at', '>', sql<Date>`now()`);
  else if (status === 'expired')
    q = q.where((eb) =>
      eb.or([eb('status', '=', 'expired'), eb.and([eb('status', '=', 'pending'), eb('expires_at', '<=', sql<Date>`now()`)])]),
    );
  else if (status !== 'all') q = q.where('status', '=', status);
  if (filter.tool) q = q.where('tool', '=', filter.tool);
  if (filter.via) q = q.where('via', '=', filter.via);
  if (filter.risk) q = q.where('risk', '=', filter.risk);
  if (filter.threadId) q = q.where('thread_id', '=', filter.threadId);
  const dir = status === 'pending' ? 'asc' : 'desc';
  const rows = await q.orderBy('created_at', dir).orderBy('id', dir).limit(page.limit).offset(page.offset).execute();
  return { rows, total: totalOf(rows) };
}

/** Marks every pending approval past its TTL (all orgs) expired in ONE statement; system context. */
export async function expireDueApprovals(db: Executor): Promise<Array<{ id: string; org_id: string }>> {
  return db
    .updateTable('tool_approvals')
    .set({ status: 'expired', decided_at: sql<Date>`now()` })
    .where('status', '=', 'pending')
    .where('expires_at', '<=', sql<Date>`now()`)
    .returning(['id', 'org_id'])
    .execute();
}
