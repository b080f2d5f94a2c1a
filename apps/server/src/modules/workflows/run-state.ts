import { sql, type Transaction } from 'kysely';
import { fromKysely } from 'pg-boss';
import type { DB } from '../../db/schema.ts';
import { json } from '../../db/schema.ts';
import { APP_ROLE } from '../../db/tenant.ts';
import type { Jobs } from '../../plugins/jobs.ts';
import type { EventBus } from '../../plugins/events.ts';
import { advance, runOutput, type NodeState } from './graph-state.ts';
import * as runs from './runs.repository.ts';
import type { NodeJob, RunStatusEvent, StepEvent } from './workflows.events.ts';
import type { Graph } from './definitions.repository.ts';
import type { RunStatus, StepStatus } from './workflows.tables.ts';
import type { RetryPolicy } from './workflows.schemas.ts';

/**
 * Transactional state changes of a run, shared by the executor, approvals and cancel. Everything
 * here runs inside the caller's tenant transaction; events are collected in an `Outbox` and
 * published only after the commit.
 */
export class Outbox {
  private readonly items: Array<() => Promise<void>> = [];
  /** Queues a bus publish for after the commit. */
  push(fn: () => Promise<void>): void {
    this.items.push(fn);
  }
  /** Publishes everything queued (call after the transaction committed). */
  async flush(): Promise<void> {
    for (const fn of this.items.splice(0)) await fn().catch(() => {});
  }
}

/** What the state functions need. */
export interface StateDeps {
  jobs: Jobs;
  events: EventBus;
}

const LIFECYCLE: Partial<Record<RunStatus, 'workflow.started' | 'workflow.suspended' | 'workflow.completed' | 'workflow.failed'>> = {
  running: 'workflow.started',
  suspended: 'workflow.suspended',
  completed: 'workflow.completed',
  failed: 'workflow.failed',
};

/**
 * Enqueues node jobs in the caller's transaction with ONE insert. pg-boss's tables are not granted
 * to the tenant role, so the role is reset for the insert and set back right after (both LOCAL to
 * this transaction; RLS is back in force for everything that follows).
 */
export async function enqueueNodes(
  tx: Transaction<DB>,
  jobs: Jobs,
  name: 'workflows.node' | 'workflows.approval-timeout',
  items: NodeJob[],
  startAfterSeconds?: number,
): Promise<void> {
  if (!items.length) return;
  await sql`reset role`.execute(tx);
  try {
    await jobs.boss.insert(
      name,
      items.map((data) => ({ data, ...(startAfterSeconds ? { startAfter: Math.ceil(startAfterSeconds) } : {}) })),
      { db: fromKysely(tx) },
    );
  } finally {
    await sql`select set_config('role', ${APP_ROLE}, true)`.execute(tx);
  }
}

/** Records a run status: the outbox row for lifecycle events, and bus events after the commit. */
export async function recordStatus(
  tx: Transaction<DB>,
  deps: StateDeps,
  out: Outbox,
  run: Pick<runs.RunRow, 'org_id' | 'id' | 'definition_id'>,
  status: RunStatus,
  extra: { error?: string | null; suspendedNode?: string | null; started?: boolean } = {},
): Promise<void> {
  const ev: RunStatusEvent = {
    orgId: run.org_id,
    runId: run.id,
    definitionId: run.definition_id,
    status,
    at: new Date().toISOString(),
    error: extra.error ?? null,
    suspendedNode: extra.suspendedNode ?? null,
  };
  const name = status === 'running' && !extra.started ? undefined : LIFECYCLE[status];
  if (name)
    await tx
      .insertInto('event_log')
      .values({ org_id: run.org_id, type: name, payload: json(ev) })
      .execute();
  out.push(async () => {
    await deps.events.publish('workflow.status', ev);
    if (name) await deps.events.publish(name, ev);
  });
}

/** Queues a step event for after the commit. */
export function recordStep(
  deps: StateDeps,
  out: Outbox,
  orgId: string,
  runId: string,
  nodeId: string,
  iteration: number,
  status: StepStatus,
  error?: string | null,
): void {
  const ev: StepEvent = { orgId, runId, nodeId, iteration, status, at: new Date().toISOString(), error: error ?? null };
  out.push(() => deps.events.publish('workflow.step', ev));
}

/**
 * After a step settled: readies and skips what follows (ONE insert for the new step rows, ONE
 * insert for their jobs) and completes the run when nothing is left open.
 */
export async function advanceRun(tx: Transaction<DB>, deps: StateDeps, out: Outbox, run: runs.RunRow, graph: Graph): Promise<void> {
  const rows = await runs.listSteps(tx, run.org_id, run.id, true);
  const states = new Map<string, NodeState>(rows.map((r) => [r.node_id, { status: r.status, output: r.output }]));
  const next = advance(graph.nodes, graph.edges, states);
  const types = new Map(graph.nodes.map((n) => [n.id, n.type]));
  const inserted = await runs.insertSteps(tx, run.org_id, run.id, [
    ...next.ready.map((id) => ({ nodeId: id, nodeType: types.get(id)!, status: 'pending' as const })),
    ...next.skip.map((id) => ({ nodeId: id, nodeType: types.get(id)!, status: 'skipped' as const })),
  ]);
  await enqueueNodes(
    tx,
    deps.jobs,
    'workflows.node',
    inserted.map((nodeId) => ({ orgId: run.org_id, runId: run.id, nodeId })),
  );
  for (const id of next.skip) {
    states.set(id, { status: 'skipped' });
    recordStep(deps, out, run.org_id, run.id, id, 0, 'skipped');
  }
  const open = [...states.values()].some((s) => s.status === 'pending' || s.status === 'running' || s.status === 'suspended');
  if (!open && inserted.length === 0) {
    await runs.setRunStatus(tx, run.org_id, run.id, { status: 'completed', output: runOutput(graph.nodes, states), suspendedNode: null });
    await recordStatus(tx, deps, out, run, 'completed');
  }
}

/** Fails a run: the run row, every open step cancelled, the lifecycle event. */
export async function failRun(tx: Transaction<DB>, deps: StateDeps, out: Outbox, run: runs.RunRow, error: string): Promise<void> {
  await runs.setRunStatus(tx, run.org_id, run.id, { status: 'failed', error });
  await runs.cancelOpenSteps(tx, run.org_id, run.id);
  await recordStatus(tx, deps, out, run, 'failed', { error });
}

/** Delay before retry `attempt` + 1: exponential from `backoffMs`, capped, with ± jitter. */
export function retryDelayMs(p: RetryPolicy, attempt: number, random: () => number = Math.random): number {
  const base = Math.min(p.maxBackoffMs, p.backoffMs * 2 ** Math.max(0, attempt - 1));
  return Math.max(0, Math.round(base * (1 + p.jitter * (2 * random() - 1))));
}
