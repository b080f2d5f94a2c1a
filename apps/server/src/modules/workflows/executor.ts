import type { Kysely, Transaction } from 'kysely';
import { LRUCache } from 'lru-cache';
import type { FastifyBaseLogger } from 'fastify';
import type { Actor } from '@cloudnow/shared';
import type { DB } from '../../db/schema.ts';
import { withSystem, withTenant } from '../../db/tenant.ts';
import * as defs from './definitions.repository.ts';
import * as runs from './runs.repository.ts';
import { runNode, type ModelResolver, type ToolRunner } from './node-handlers.ts';
import { renderValue } from './templating.ts';
import { Outbox, advanceRun, enqueueNodes, failRun, recordStatus, recordStep, retryDelayMs, type StateDeps } from './run-state.ts';
import { retryPolicySchema, type NodeConfig, type WorkflowNode } from './workflows.schemas.ts';
import type { NodeJob } from './workflows.events.ts';
import type { Scope } from './expressions.ts';

/** Tunables of the executor (defaults in `DEFAULT_EXECUTOR_SETTINGS`). */
export interface ExecutorSettings {
  /** A running step whose heartbeat is older than this is taken over by another worker. */
  leaseMs: number;
  /** Per-node timeout unless the node sets `timeoutMs`. */
  nodeTimeoutMs: number;
}

export const DEFAULT_EXECUTOR_SETTINGS: ExecutorSettings = { leaseMs: 30_000, nodeTimeoutMs: 120_000 };

/** The executor's dependencies (narrow on purpose). */
export interface ExecutorDeps extends StateDeps {
  db: () => Kysely<DB>;
  log: FastifyBaseLogger;
  runTool: () => ToolRunner;
  model: () => ModelResolver;
  settings: () => ExecutorSettings;
}

type Claimed = { run: runs.RunRow; step: runs.StepRow; attempt: number; graph: defs.Graph; node: WorkflowNode; scope: Scope };

/**
 * The durable executor: one pg-boss job per ready node. A job claims its step row (skipping it if
 * already completed — the exactly-once guard), runs the node outside any transaction while
 * heartbeating, then settles the step and enqueues what follows in ONE transaction. A stale worker's
 * settle is fenced out by the attempt number. Failures retry per the node's policy, then fail the
 * run and run compensations newest first.
 */
export function createExecutor(deps: ExecutorDeps) {
  // Versions are immutable: a bounded cache of parsed graphs saves a read per node.
  const graphs = new LRUCache<string, defs.Graph>({ max: 500 });

  async function loadGraph(tx: Transaction<DB>, run: runs.RunRow): Promise<defs.Graph> {
    const key = `${run.org_id}:${run.definition_id}:${run.version}`;
    const hit = graphs.get(key);
    if (hit) return hit;
    const v = await defs.findVersion(tx, run.org_id, run.definition_id, run.version);
    if (!v) throw new Error(`version ${run.version} of ${run.definition_id} is missing`);
    const g = { nodes: v.nodes, edges: v.edges, inputSchema: v.input_schema };
    graphs.set(key, g);
    return g;
  }

  function scopeOf(run: runs.RunRow, steps: runs.StepRow[]): Scope {
    const s: Record<string, { output: unknown; status: string }> = {};
    for (const r of steps) if (r.iteration === 0) s[r.node_id] = { output: r.output, status: r.status };
    return { input: run.input, steps: s, run: { id: run.id } };
  }

  async function claim(job: NodeJob, out: Outbox): Promise<Claimed | null> {
    return withTenant(deps.db(), job.orgId, async (tx) => {
      const run = await runs.findRun(tx, job.orgId, job.runId, true);
      if (!run || run.status !== 'running') return null;
      const step = await runs.lockStep(tx, job.orgId, job.runId, job.nodeId);
      if (!step) return null;
      const fresh = step.heartbeat_at && Date.now() - step.heartbeat_at.getTime() < deps.settings().leaseMs;
      if (step.status !== 'pending' && !(step.status === 'running' && !fresh)) return null;
      if (Date.now() > run.deadline_at.getTime() || run.steps_executed >= run.max_steps) {
        const why = Date.now() > run.deadline_at.getTime() ? 'wall-time budget exceeded' : `step budget of ${run.max_steps} exceeded`;
        await failRun(tx, deps, out, run, why);
        return null;
      }
      const graph = await loadGraph(tx, run);
      const node = graph.nodes.find((n) => n.id === job.nodeId);
      if (!node) return null;
      const attempt = await runs.claimStep(tx, job.orgId, step.id);
      await runs.setRunStatus(tx, job.orgId, job.runId, { status: 'running', countStep: true });
      recordStep(deps, out, job.orgId, job.runId, job.nodeId, 0, 'running');
      const steps = await runs.listSteps(tx, job.orgId, job.runId, true);
      return { run, step, attempt, graph, node, scope: scopeOf(run, steps) };
    });
  }

  async function iteration(c: Claimed, index: number, fn: () => Promise<unknown>): Promise<unknown> {
    const { org_id: orgId, id: runId } = c.run;
    const row = await withTenant(deps.db(), orgId, (tx) => runs.claimIteration(tx, orgId, runId, c.node.id, c.node.type, index));
    if (row.status === 'completed') return row.output;
    try {
      const output = await fn();
      await withTenant(deps.db(), orgId, (tx) =>
        runs.settleStep(tx, orgId, row.id, row.attempts, { status: 'completed', output: output ?? null }),
      );
      return output;
    } catch (err) {
      const error = err instanceof Error ? err.message : String(err);
      await withTenant(deps.db(), orgId, (tx) => runs.settleStep(tx, orgId, row.id, row.attempts, { status: 'failed', error }));
      throw err;
    }
  }

  async function execute(c: Claimed): Promise<Awaited<ReturnType<typeof runNode>>> {
    const ac = new AbortController();
    const timeoutMs = c.node.timeoutMs ?? deps.settings().nodeTimeoutMs;
    const timer = setTimeout(() => ac.abort(new Error(`node ${c.node.id} timed out after ${timeoutMs} ms`)), timeoutMs);
    const beat = setInterval(
      () => {
        withTenant(deps.db(), c.run.org_id, (tx) => runs.heartbeat(tx, c.run.org_id, c.step.id, c.attempt)).catch(() => {});
      },
      Math.max(200, deps.settings().leaseMs / 3),
    );
    const aborted = new Promise<never>((_, reject) =>
      ac.signal.addEventListener('abort', () => reject(ac.signal.reason as Error), { once: true }),
    );
    try {
      return await Promise.race([
        runNode({
          actor: c.run.actor as unknown as Actor,
          runId: c.run.id,
          node: c.node,
          scope: c.scope,
          signal: ac.signal,
          runTool: deps.runTool(),
          model: deps.model(),
          iteration: (i, fn) => iteration(c, i, fn),
        }),
        aborted,
      ]);
    } finally {
      clearTimeout(timer);
      clearInterval(beat);
    }
  }

  async function settle(
    c: Claimed,
    result: Awaited<ReturnType<typeof runNode>> | { kind: 'error'; error: string },
    out: Outbox,
  ): Promise<'failed' | null> {
    const { org_id: orgId, id: runId } = c.run;
    return withTenant(deps.db(), orgId, async (tx) => {
      const run = await runs.findRun(tx, orgId, runId, true);
      if (!run || run.status !== 'running') return null;
      if (result.kind === 'done') {
        if (!(await runs.settleStep(tx, orgId, c.step.id, c.attempt, { status: 'completed', output: result.output ?? null }))) return null;
        recordStep(deps, out, orgId, runId, c.node.id, 0, 'completed');
        await advanceRun(tx, deps, out, run, c.graph);
        return null;
      }
      if (result.kind === 'suspend') {
        if (!(await runs.settleStep(tx, orgId, c.step.id, c.attempt, { status: 'suspended' }))) return null;
        await runs.setRunStatus(tx, orgId, runId, { status: 'suspended', suspendedNode: c.node.id });
        recordStep(deps, out, orgId, runId, c.node.id, 0, 'suspended');
        await recordStatus(tx, deps, out, run, 'suspended', { suspendedNode: c.node.id });
        const timeout = (c.node.config as NodeConfig<'approval'>).timeoutSeconds;
        if (timeout) await enqueueNodes(tx, deps.jobs, 'workflows.approval-timeout', [{ orgId, runId, nodeId: c.node.id }], timeout);
        return null;
      }
      const policy = retryPolicySchema.parse(c.node.retry ?? {});
      if (c.attempt < policy.attempts) {
        if (!(await runs.settleStep(tx, orgId, c.step.id, c.attempt, { status: 'pending', error: result.error }))) return null;
        recordStep(deps, out, orgId, runId, c.node.id, 0, 'pending', result.error);
        await enqueueNodes(tx, deps.jobs, 'workflows.node', [{ orgId, runId, nodeId: c.node.id }], retryDelayMs(policy, c.attempt) / 1000);
        return null;
      }
      if (!(await runs.settleStep(tx, orgId, c.step.id, c.attempt, { status: 'failed', error: result.error }))) return null;
      recordStep(deps, out, orgId, runId, c.node.id, 0, 'failed', result.error);
      await failRun(tx, deps, out, run, `node ${c.node.id} failed: ${result.error}`);
      return 'failed';
    });
  }

  /** Undoes completed tool steps that declare `compensate`, newest first; best effort, each recorded. */
  async function compensate(run: runs.RunRow, graph: defs.Graph): Promise<void> {
    const orgId = run.org_id;
    const done = await withTenant(deps.db(), orgId, (tx) => runs.completedSteps(tx, orgId, run.id));
    const all = await withTenant(deps.db(), orgId, (tx) => runs.listSteps(tx, orgId, run.id, true));
    const scope = scopeOf(run, all);
    for (const s of done) {
      const node = graph.nodes.find((n) => n.id === s.node_id);
      const comp = node?.type === 'tool' ? (node.config as NodeConfig<'tool'>).compensate : undefined;
      if (!comp || !node) continue;
      let error: string | null = null;
      try {
        const args = renderValue(comp.args, { ...scope, result: s.output }) as Record<string, unknown>;
        const signal = AbortSignal.timeout(deps.settings().nodeTimeoutMs);
        await deps.runTool()(run.actor as unknown as Actor, {
          tool: comp.tool,
          args,
          via: 'workflow',
          runId: run.id,
          nodeId: node.id,
          signal,
        });
      } catch (err) {
        error = `compensation failed: ${err instanceof Error ? err.message : String(err)}`;
        deps.log.warn({ runId: run.id, nodeId: node.id, err }, 'workflows: compensation failed');
      }
      await withTenant(deps.db(), orgId, (tx) => runs.markCompensated(tx, orgId, s.id, error));
      const out = new Outbox();
      recordStep(deps, out, orgId, run.id, node.id, 0, 'compensated', error);
      await out.flush();
    }
  }

  return {
    /** The (cached) graph a run pinned. */
    loadGraph,

    /** Handles one `workflows.node` job. Never throws for node failures (they are run state). */
    async handleNodeJob(job: NodeJob): Promise<void> {
      const out = new Outbox();
      const c = await claim(job, out);
      await out.flush();
      if (!c) return;
      let result: Awaited<ReturnType<typeof runNode>> | { kind: 'error'; error: string };
      try {
        result = await execute(c);
      } catch (err) {
        result = { kind: 'error', error: err instanceof Error ? err.message : String(err) };
      }
      const failed = await settle(c, result, out);
      await out.flush();
      if (failed) await compensate(c.run, c.graph);
    },

    /** Runs the compensations of a failed run. */
    compensate,

    /**
     * Recovery sweep: steps whose worker died (no heartbeat for a lease) go back to pending and
     * their jobs are re-enqueued, in ONE system transaction. Returns how many were released.
     */
    async sweep(limit = 100): Promise<number> {
      return withSystem(deps.db(), async (tx) => {
        const stale = await runs.releaseStaleSteps(tx, deps.settings().leaseMs, limit);
        await enqueueNodes(
          tx,
          deps.jobs,
          'workflows.node',
          stale.map((s) => ({ orgId: s.org_id, runId: s.run_id, nodeId: s.node_id })),
        );
        return stale.length;
      });
    },

    /** Drops cached graphs (tests). */
    clearCache: () => graphs.clear(),
  };
}

export type Executor = ReturnType<typeof createExecutor>;
