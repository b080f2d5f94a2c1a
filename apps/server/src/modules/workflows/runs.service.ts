import type { Kysely, Transaction } from 'kysely';
import type { Actor } from '@cloudnow/shared';
import type { DB } from '../../db/schema.ts';
import { withTenant } from '../../db/tenant.ts';
import * as defs from './definitions.repository.ts';
import * as runs from './runs.repository.ts';
import type { Executor } from './executor.ts';
import { Outbox, advanceRun, enqueueNodes, recordStatus, recordStep, type StateDeps } from './run-state.ts';
import { NotAnApprover, RunFinished, RunNotFound, RunNotSuspended, WorkflowArchived, WorkflowNotFound } from './workflows.errors.ts';
import type { ListRunsQuery, NodeConfig } from './workflows.schemas.ts';
import type { NodeJob } from './workflows.events.ts';
import { withInputDefaults } from './templates.ts';
import { assertRunInput } from './input-schema.ts';
import { TERMINAL, type RunStatusEntry, type StatusCache } from './status-cache.ts';

/** Run budgets applied at start (each run row keeps its own). */
export interface RunBudgets {
  maxSteps: number;
  wallMs: number;
}

export const DEFAULT_BUDGETS: RunBudgets = { maxSteps: 500, wallMs: 3_600_000 };

/** The actor snapshot a run stores (workers act as the starter). */
function snapshot(a: Actor): Record<string, unknown> {
  return { userId: a.userId, orgId: a.orgId, role: a.role, permissions: [...a.permissions], via: a.via };
}

/**
 * Runs: start (202 at once — the work happens in workers), read, list, approve, cancel, approval
 * timeouts. Every state change is one tenant transaction with its jobs enqueued inside it.
 */
export function createRunsService(
  deps: StateDeps & { db: () => Kysely<DB>; executor: Executor; budgets: () => RunBudgets; statusCache: StatusCache },
) {
  const db = () => deps.db();

  async function resume(
    actor: Pick<Actor, 'orgId'>,
    runId: string,
    nodeId: string | null,
    output: unknown,
    check?: (run: runs.RunRow, node: NodeConfig<'approval'>) => void,
  ) {
    const out = new Outbox();
    const run = await withTenant(db(), actor.orgId, async (tx) => {
      const run = await runs.findRun(tx, actor.orgId, runId, true);
      if (!run) throw new RunNotFound(runId);
      if (run.status !== 'suspended' || !run.suspended_node || (nodeId && run.suspended_node !== nodeId))
        throw new RunNotSuspended(runId, run.status);
      const graph = await deps.executor.loadGraph(tx, run);
      const node = graph.nodes.find((n) => n.id === run.suspended_node)!;
      check?.(run, node.config as NodeConfig<'approval'>);
      const step = await runs.lockStep(tx, actor.orgId, runId, node.id);
      if (!step || !(await runs.completeSuspended(tx, actor.orgId, step.id, output))) throw new RunNotSuspended(runId, run.status);
      const resumed = (await runs.setRunStatus(tx, actor.orgId, runId, { status: 'running', suspendedNode: null }))!;
      recordStep(deps, out, actor.orgId, runId, node.id, 0, 'completed');
      await recordStatus(tx, deps, out, run, 'running');
      await advanceRun(tx, deps, out, resumed, graph);
      return resumed;
    });
    await out.flush();
    return run;
  }

  async function cancelRun(
    orgId: string,
    runId: string,
    error: string | null,
    guard?: (tx: Transaction<DB>, run: runs.RunRow) => Promise<void>,
  ): Promise<runs.RunRow> {
    const out = new Outbox();
    const run = await withTenant(db(), orgId, async (tx) => {
      const run = await runs.findRun(tx, orgId, runId, true);
      if (!run) throw new RunNotFound(runId);
      if (TERMINAL.has(run.status)) throw new RunFinished(runId, run.status);
      await guard?.(tx, run);
      const r = (await runs.setRunStatus(tx, orgId, runId, { status: 'cancelled', error, suspendedNode: null }))!;
      await runs.cancelOpenSteps(tx, orgId, runId);
      await recordStatus(tx, deps, out, run, 'cancelled', { error });
      return r;
    });
    await out.flush();
    return run;
  }

  return {
    /** Starts a run of the definition's current version: 409 when archived. Returns at once. */
    async start(actor: Actor, definitionId: string, input: Record<string, unknown>, trigger = 'manual'): Promise<runs.RunRow> {
      const out = new Outbox();
      const budgets = deps.budgets();
      const run = await withTenant(db(), actor.orgId, async (tx) => {
        const d = await defs.findDefinition(tx, actor.orgId, definitionId);
        if (!d) throw new WorkflowNotFound(definitionId);
        if (d.status === 'archived') throw new WorkflowArchived(definitionId);
        const inputNode = d.nodes.find((n) => n.type === 'input')!;
        const runInput = withInputDefaults(d.input_schema, input);
        assertRunInput(d.input_schema, runInput);
        const run = await runs.insertRun(tx, {
          orgId: actor.orgId,
          definitionId,
          version: d.current_version,
          startedBy: actor.userId,
          actor: snapshot(actor),
          input: runInput,
          trigger,
          maxSteps: budgets.maxSteps,
          wallMs: budgets.wallMs,
          inputNode: inputNode.id,
        });
        await enqueueNodes(tx, deps.jobs, 'workflows.node', [{ orgId: actor.orgId, runId: run.id, nodeId: inputNode.id }]);
        await recordStatus(tx, deps, out, run, 'running', { started: true });
        return run;
      });
      await out.flush();
      return run;
    },

    /** A run with every step row; 404 for another org's run. */
    async get(actor: Actor, runId: string): Promise<runs.RunRow & { steps: runs.StepRow[] }> {
      return withTenant(db(), actor.orgId, async (tx) => {
        const run = await runs.findRun(tx, actor.orgId, runId);
        if (!run) throw new RunNotFound(runId);
        return { ...run, steps: await runs.listSteps(tx, actor.orgId, runId) };
      });
    },

    /** The latest status of a run: the status cache, else the row; 404 for another org's run. */
    async currentStatus(actor: Actor, runId: string): Promise<RunStatusEntry> {
      const hit = deps.statusCache.get(actor.orgId, runId);
      if (hit) return hit;
      const run = await withTenant(db(), actor.orgId, (tx) => runs.findRun(tx, actor.orgId, runId));
      if (!run) throw new RunNotFound(runId);
      return {
        runId,
        orgId: run.org_id,
        status: run.status,
        at: run.updated_at.toISOString(),
        error: run.error,
        suspendedNode: run.suspended_node,
      };
    },

    /** A page of the org's runs (one query with the total). */
    async list(actor: Actor, q: ListRunsQuery) {
      return withTenant(db(), actor.orgId, (tx) => runs.listRuns(tx, actor.orgId, q));
    },

    /** Approves the suspended approval node and enqueues what follows; 409 unless suspended. */
    async approve(actor: Actor, runId: string, comment?: string): Promise<runs.RunRow> {
      const output = { approved: true, by: actor.userId, comment: comment ?? null, at: new Date().toISOString() };
      return resume(actor, runId, null, output, (_run, cfg) => {
        if (cfg.approvers.length && !cfg.approvers.includes(actor.userId) && !cfg.approvers.includes(actor.role))
          throw new NotAnApprover(runId);
      });
    },

    /**
     * Rejects the approval a run waits on: the run ends `cancelled` with the rejection (and the
     * comment) as its error. Only a suspended run, and only a listed approver (as for approve).
     */
    async reject(actor: Actor, runId: string, comment?: string): Promise<runs.RunRow> {
      const why = `approval rejected by ${actor.userId}${comment ? `: ${comment}` : ''}`;
      return cancelRun(actor.orgId, runId, why, async (tx, run) => {
        if (run.status !== 'suspended' || !run.suspended_node) throw new RunNotSuspended(runId, run.status);
        const graph = await deps.executor.loadGraph(tx, run);
        const cfg = graph.nodes.find((n) => n.id === run.suspended_node)?.config as NodeConfig<'approval'> | undefined;
        if (cfg?.approvers?.length && !cfg.approvers.includes(actor.userId) && !cfg.approvers.includes(actor.role))
          throw new NotAnApprover(runId);
      });
    },

    /** Cancels a run that has not finished (pending, running or suspended); 409 otherwise. */
    async cancel(actor: Actor, runId: string): Promise<runs.RunRow> {
      return cancelRun(actor.orgId, runId, null);
    },

    /** A `workflows.approval-timeout` job: continue (unapproved) or cancel, per the node. */
    async approvalTimedOut(job: NodeJob): Promise<void> {
      const run = await withTenant(db(), job.orgId, (tx) => runs.findRun(tx, job.orgId, job.runId));
      if (!run || run.status !== 'suspended' || run.suspended_node !== job.nodeId) return;
      const graph = await withTenant(db(), job.orgId, (tx) => deps.executor.loadGraph(tx, run));
      const cfg = graph.nodes.find((n) => n.id === job.nodeId)?.config as NodeConfig<'approval'> | undefined;
      try {
        if (cfg?.onTimeout === 'continue') await resume({ orgId: job.orgId }, job.runId, job.nodeId, { approved: false, timedOut: true });
        else await cancelRun(job.orgId, job.runId, `approval ${job.nodeId} timed out`);
      } catch (err) {
        if (!(err instanceof RunNotSuspended || err instanceof RunFinished)) throw err;
      }
    },
  };
}

export type RunsService = ReturnType<typeof createRunsService>;
