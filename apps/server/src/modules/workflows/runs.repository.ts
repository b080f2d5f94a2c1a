import { sql, type Selectable } from 'kysely';
import type { Executor } from '../../db/tenant.ts';
import { json } from '../../db/schema.ts';
import { toPage } from '../../db/database.ts';
import type { RunStatus, StepStatus, WorkflowRunStepsTable, WorkflowRunsTable } from './workflows.tables.ts';

export type RunRow = Selectable<WorkflowRunsTable>;
export type StepRow = Selectable<WorkflowRunStepsTable>;

/** Creates a run (status running) and its input step in ONE statement. */
export async function insertRun(
  ex: Executor,
  r: {
    orgId: string;
    definitionId: string;
    version: number;
    startedBy: string;
    actor: object;
    input: object;
    trigger: string;
    maxSteps: number;
    wallMs: number;
    inputNode: string;
  },
): Promise<RunRow> {
  const res = await sql<RunRow>`
    with r as (
      insert into workflow_runs (org_id, definition_id, version, status, trigger, started_by, actor, input, max_steps, deadline_at)
      values (${r.orgId}, ${r.definitionId}, ${r.version}, 'running', ${r.trigger}, ${r.startedBy}, ${json(r.actor)}::jsonb, ${json(r.input)}::jsonb,
              ${r.maxSteps}, now() + make_interval(secs => ${r.wallMs / 1000}))
      returning *
    ), s as (
      insert into workflow_run_steps (org_id, run_id, node_id, node_type) select r.org_id, r.id, ${r.inputNode}, 'input' from r
    )
    select * from r`.execute(ex);
  return res.rows[0]!;
}

/** One run of the org (optionally locked for update). */
export async function findRun(ex: Executor, orgId: string, runId: string, lock = false): Promise<RunRow | undefined> {
  let q = ex.selectFrom('workflow_runs').selectAll().where('org_id', '=', orgId).where('id', '=', runId);
  if (lock) q = q.forUpdate();
  return q.executeTakeFirst();
}

/** Every step row of a run (bounded: ≤ 100 nodes plus loop/branch iterations, capped at 5,000). */
export async function listSteps(ex: Executor, orgId: string, runId: string, onlyNodes = false): Promise<StepRow[]> {
  let q = ex.selectFrom('workflow_run_steps').selectAll().where('org_id', '=', orgId).where('run_id', '=', runId);
  if (onlyNodes) q = q.where('iteration', '=', 0);
  return q.orderBy('seq').limit(5000).execute();
}

/** One step row (locked for update). */
export async function lockStep(ex: Executor, orgId: string, runId: string, nodeId: string, iteration = 0): Promise<StepRow | undefined> {
  return ex
    .selectFrom('workflow_run_steps')
    .selectAll()
    .where('org_id', '=', orgId)
    .where('run_id', '=', runId)
    .where('node_id', '=', nodeId)
    .where('iteration', '=', iteration)
    .forUpdate()
    .executeTakeFirst();
}

/** Inserts step rows (pending or skipped) in ONE statement; returns the node ids actually inserted. */
export async function insertSteps(
  ex: Executor,
  orgId: string,
  runId: string,
  rows: Array<{ nodeId: string; nodeType: string; status: StepStatus; iteration?: number }>,
): Promise<string[]> {
  if (!rows.length) return [];
  const inserted = await ex
    .insertInto('workflow_run_steps')
    .values(
      rows.map((r) => ({
        org_id: orgId,
        run_id: runId,
        node_id: r.nodeId,
        node_type: r.nodeType,
        status: r.status,
        iteration: r.iteration ?? 0,
        ...(r.status === 'skipped' ? { finished_at: sql<Date>`now()` } : {}),
      })),
    )
    .onConflict((oc) => oc.columns(['org_id', 'run_id', 'node_id', 'iteration']).doNothing())
    .returning(['node_id', 'status'])
    .execute();
  return inserted.filter((r) => r.status === 'pending').map((r) => r.node_id);
}

/** Claims a step for one attempt: running, attempts+1, heartbeat now. Returns the new attempt number. */
export async function claimStep(ex: Executor, orgId: string, stepId: string): Promise<number> {
  const r = await ex
    .updateTable('workflow_run_steps')
    .set((eb) => ({
      status: 'running',
      attempts: eb('attempts', '+', 1),
      heartbeat_at: sql<Date>`now()`,
      started_at: sql<Date>`coalesce(started_at, now())`,
    }))
    .where('org_id', '=', orgId)
    .where('id', '=', stepId)
    .returning('attempts')
    .executeTakeFirstOrThrow();
  return r.attempts;
}

/**
 * Settles a step, fenced on the attempt that claimed it: a stale worker (whose step was re-claimed
 * after its heartbeat stopped) changes nothing. Returns whether the row was settled.
 */
export async function settleStep(
  ex: Executor,
  orgId: string,
  stepId: string,
  attempt: number,
  s: { status: StepStatus; output?: unknown; error?: string | null },
): Promise<boolean> {
  const r = await ex
    .updateTable('workflow_run_steps')
    .set({
      status: s.status,
      ...(s.output !== undefined ? { output: json(s.output) } : {}),
      error: s.error ?? null,
      heartbeat_at: null,
      ...(s.status === 'pending' || s.status === 'suspended' ? {} : { finished_at: sql<Date>`now()` }),
    })
    .where('org_id', '=', orgId)
    .where('id', '=', stepId)
    .where('status', '=', 'running')
    .where('attempts', '=', attempt)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** Updates a run's status (and output / error / suspended node); returns the row. */
export async function setRunStatus(
  ex: Executor,
  orgId: string,
  runId: string,
  s: { status: RunStatus; output?: unknown; error?: string | null; suspendedNode?: string | null; countStep?: boolean },
): Promise<RunRow | undefined> {
  const terminal = s.status === 'completed' || s.status === 'failed' || s.status === 'cancelled';
  return ex
    .updateTable('workflow_runs')
    .set((eb) => ({
      status: s.status,
      ...(s.output !== undefined ? { output: json(s.output) } : {}),
      ...(s.error !== undefined ? { error: s.error } : {}),
      ...(s.suspendedNode !== undefined ? { suspended_node: s.suspendedNode } : {}),
      ...(s.countStep ? { steps_executed: eb('steps_executed', '+', 1) } : {}),
      ...(terminal ? { finished_at: sql<Date>`now()` } : {}),
      updated_at: sql<Date>`now()`,
    }))
    .where('org_id', '=', orgId)
    .where('id', '=', runId)
    .returningAll()
    .executeTakeFirst();
}

/** Cancels every step of a run that has not finished, in one statement. */
export async function cancelOpenSteps(ex: Executor, orgId: string, runId: string): Promise<void> {
  await ex
    .updateTable('workflow_run_steps')
    .set({ status: 'cancelled', finished_at: sql<Date>`now()`, heartbeat_at: null })
    .where('org_id', '=', orgId)
    .where('run_id', '=', runId)
    .where('status', 'in', ['pending', 'running', 'suspended'])
    .execute();
}

/** Refreshes the heartbeat of a step this worker is executing. */
export async function heartbeat(ex: Executor, orgId: string, stepId: string, attempt: number): Promise<void> {
  await ex
    .updateTable('workflow_run_steps')
    .set({ heartbeat_at: sql<Date>`now()` })
    .where('org_id', '=', orgId)
    .where('id', '=', stepId)
    .where('status', '=', 'running')
    .where('attempts', '=', attempt)
    .execute();
}

/**
 * Recovery (system context): node steps whose worker stopped heartbeating for `staleMs` go back to
 * pending — at most `limit`, locked with SKIP LOCKED so concurrent sweepers split the work.
 */
export async function releaseStaleSteps(
  ex: Executor,
  staleMs: number,
  limit: number,
): Promise<Array<{ org_id: string; run_id: string; node_id: string }>> {
  const r = await sql<{ org_id: string; run_id: string; node_id: string }>`
    update workflow_run_steps s set status = 'pending', heartbeat_at = null
      from (select id from workflow_run_steps
             where status = 'running' and iteration = 0 and heartbeat_at < now() - make_interval(secs => ${staleMs / 1000})
             order by heartbeat_at limit ${limit} for update skip locked) stale
     where s.id = stale.id
    returning s.org_id, s.run_id, s.node_id`.execute(ex);
  return r.rows;
}

/** Completed steps with a compensation, newest first (the order to undo them in). */
export async function completedSteps(ex: Executor, orgId: string, runId: string): Promise<StepRow[]> {
  return ex
    .selectFrom('workflow_run_steps')
    .selectAll()
    .where('org_id', '=', orgId)
    .where('run_id', '=', runId)
    .where('status', '=', 'completed')
    .where('iteration', '=', 0)
    .orderBy('finished_at', 'desc')
    .orderBy('seq', 'desc')
    .limit(1000)
    .execute();
}

/** Marks a step compensated (its undo ran), recording the undo's result or error. */
export async function markCompensated(ex: Executor, orgId: string, stepId: string, error: string | null): Promise<void> {
  await ex
    .updateTable('workflow_run_steps')
    .set({ status: 'compensated', error })
    .where('org_id', '=', orgId)
    .where('id', '=', stepId)
    .where('status', '=', 'completed')
    .execute();
}

/** Upserts a loop/branch iteration row as running and returns it (completed rows are returned as they are). */
export async function claimIteration(
  ex: Executor,
  orgId: string,
  runId: string,
  nodeId: string,
  nodeType: string,
  iteration: number,
): Promise<StepRow> {
  const r = await sql<StepRow>`
    insert into workflow_run_steps (org_id, run_id, node_id, node_type, iteration, status, attempts, started_at, heartbeat_at)
    values (${orgId}, ${runId}, ${nodeId}, ${nodeType}, ${iteration}, 'running', 1, now(), now())
    on conflict (org_id, run_id, node_id, iteration) do update
      set status = case when workflow_run_steps.status = 'completed' then 'completed' else 'running' end,
          attempts = workflow_run_steps.attempts + case when workflow_run_steps.status = 'completed' then 0 else 1 end
    returning *`.execute(ex);
  return r.rows[0]!;
}

/** A page of the org's runs, newest first, with the total from the same query. */
export async function listRuns(
  ex: Executor,
  orgId: string,
  page: { limit: number; offset: number; status?: RunStatus | undefined; definitionId?: string | undefined },
): Promise<{ items: RunRow[]; total: number }> {
  let q = ex
    .selectFrom('workflow_runs')
    .selectAll()
    .select(sql<string>`count(*) over()`.as('total'))
    .where('org_id', '=', orgId);
  if (page.status) q = q.where('status', '=', page.status);
  if (page.definitionId) q = q.where('definition_id', '=', page.definitionId);
  const rows = await q.orderBy('created_at', 'desc').orderBy('id').limit(page.limit).offset(page.offset).execute();
  return toPage(rows);
}

/** Completes a suspended step (approval decided); false when it is no longer suspended. */
export async function completeSuspended(ex: Executor, orgId: string, stepId: string, output: unknown): Promise<boolean> {
  const r = await ex
    .updateTable('workflow_run_steps')
    .set({ status: 'completed', output: json(output), finished_at: sql<Date>`now()` })
    .where('org_id', '=', orgId)
    .where('id', '=', stepId)
    .where('status', '=', 'suspended')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}
