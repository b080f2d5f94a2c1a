import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { createDefinitionsService, type DefinitionsService } from './definitions.service.ts';
import { createExecutor, DEFAULT_EXECUTOR_SETTINGS, type Executor, type ExecutorSettings } from './executor.ts';
import { createRunsService, DEFAULT_BUDGETS, type RunBudgets, type RunsService } from './runs.service.ts';
import { StatusCache } from './status-cache.ts';
import { createSchedulesService, type SchedulesService } from './schedules.service.ts';
import type { ModelResolver, ToolRunner } from './node-handlers.ts';
import workflowsRoutes from './workflows.routes.ts';
import './workflows.events.ts';
import './workflows.jobs.ts';

/** What can be swapped at runtime: the tool gate and model registry ports, executor tunables, budgets. */
export interface WorkflowsConfig {
  runTool: ToolRunner;
  model: ModelResolver;
  executor: ExecutorSettings;
  budgets: RunBudgets;
  /** Worker poll interval for node jobs (seconds, ≥ 0.5). */
  pollSeconds: number;
  /** Node jobs a worker process runs at once. */
  concurrency: number;
  /** Idle time after which a run stream ends with a timeout event. */
  streamIdleMs: number;
}

/** The workflows module as other code sees it (`app.workflows`). */
export interface Workflows {
  readonly definitions: DefinitionsService;
  readonly runs: RunsService;
  readonly executor: Executor;
  readonly schedules: SchedulesService;
  readonly statusCache: StatusCache;
  /** Current stream idle timeout (ms). */
  streamIdleMs(): number;
  /** Resolves once the module's queues exist and are usable inside transactions. */
  readonly ready: Promise<void>;
  /**
   * Replaces ports or tunables. The tool gate and the provider registry are picked up from
   * `app.gate` / `app.models` when those plugins are present; tests and worker scripts set them here.
   */
  configure(patch: Partial<WorkflowsConfig>): void;
}

declare module 'fastify' {
  interface FastifyInstance {
    workflows: Workflows;
  }
}

type ModelsLike = { languageModel(id: string): ReturnType<ModelResolver> };

function defaults(app: FastifyInstance): WorkflowsConfig {
  const ports = app as unknown as { models?: ModelsLike };
  return {
    // Every tool call goes through the tool gate (policy → approval → execute → audit). A call that
    // needs approval waits for the decision within the node's timeout; `threadId` scopes
    // once-per-thread approvals to the run.
    runTool: async (actor, req) => {
      const r = await app.tools.runAwaitingApproval(actor, {
        tool: req.tool,
        args: req.args,
        via: 'workflow',
        threadId: `workflow:${req.runId}`,
        signal: req.signal,
      });
      if (r.status === 'ok') return r.output;
      if (r.status === 'pending_approval') throw new Error(`tool ${req.tool} is waiting for approval ${r.approval.id}`);
      throw new Error(`${r.error.code}: ${r.error.message}`);
    },
    model: (id) => {
      if (!ports.models) throw new Error(`no model registry is available to resolve ${id}`);
      return ports.models.languageModel(id);
    },
    executor: DEFAULT_EXECUTOR_SETTINGS,
    budgets: DEFAULT_BUDGETS,
    pollSeconds: 0.5,
    concurrency: 4,
    streamIdleMs: 300_000,
  };
}

/**
 * Workflows: definitions, the durable executor on pg-boss (node jobs, approval timeouts, schedules),
 * the bounded status cache fed from the bus, the recovery sweep and the routes.
 */
export default fp(
  async (app) => {
    const cfg = defaults(app);
    const statusCache = new StatusCache();
    const state = { jobs: app.jobs, events: app.events };
    const executor = createExecutor({
      ...state,
      db: () => app.db,
      log: app.log,
      runTool: () => cfg.runTool,
      model: () => cfg.model,
      settings: () => cfg.executor,
    });
    const definitions = createDefinitionsService({ db: () => app.db, events: app.events });
    const runs = createRunsService({ ...state, db: () => app.db, executor, budgets: () => cfg.budgets, statusCache });

    const schedules = createSchedulesService({ db: () => app.db, jobs: app.jobs, runs, log: app.log });

    await app.jobs.define('workflows.node', { retryLimit: 3, retryDelay: 5, expireInSeconds: 900 });
    await app.jobs.define('workflows.approval-timeout', { retryLimit: 3 });
    await app.jobs.define('workflows.scheduled', { retryLimit: 1 });
    const workOpts = { pollingIntervalSeconds: cfg.pollSeconds, localConcurrency: cfg.concurrency };
    await app.jobs.work('workflows.node', workOpts, (job) => executor.handleNodeJob(job.data));
    await app.jobs.work('workflows.approval-timeout', { pollingIntervalSeconds: 2 }, (job) => runs.approvalTimedOut(job.data));
    await app.jobs.work('workflows.scheduled', { pollingIntervalSeconds: 5 }, async (job) => void (await schedules.fire(job.data)));

    let sweepTimer: NodeJS.Timeout | null = null;
    const startSweep = (): void => {
      if (sweepTimer) clearInterval(sweepTimer);
      if (!app.jobs.workersEnabled) return;
      sweepTimer = setInterval(
        () => {
          executor.sweep().catch((err: unknown) => app.log.warn({ err }, 'workflows: recovery sweep failed'));
        },
        Math.max(250, cfg.executor.leaseMs / 2),
      );
      sweepTimer.unref();
    };

    let resolveReady!: () => void;
    const ready = new Promise<void>((r) => (resolveReady = r));
    app.database.onReady(async () => {
      // `unschedule` waits until pg-boss has started AND created the queues defined above (the jobs
      // plugin's start flushes them after `started` turns true). Then the queues are loaded into
      // pg-boss's cache so a send inside a transaction never needs a second connection (PGlite has one).
      await app.jobs.unschedule('workflows.scheduled', '00000000-0000-0000-0000-000000000000');
      for (const q of ['workflows.node', 'workflows.approval-timeout', 'workflows.scheduled'] as const)
        await app.jobs.boss.getJobById(q, '00000000-0000-0000-0000-000000000000');
      startSweep();
      resolveReady();
    });

    const unsubscribe = app.events.subscribe('workflow.status', (e) => statusCache.set(e));
    app.metrics.gauge('cloudnow_workflow_status_cache_entries', 'Runs held in the workflow status cache', () => statusCache.size);
    app.addHook('onClose', async () => {
      if (sweepTimer) clearInterval(sweepTimer);
      unsubscribe();
    });

    app.decorate('workflows', {
      definitions,
      runs,
      executor,
      schedules,
      statusCache,
      ready,
      streamIdleMs: () => cfg.streamIdleMs,
      configure(patch: Partial<WorkflowsConfig>) {
        Object.assign(cfg, patch);
        if (patch.executor) startSweep();
      },
    } satisfies Workflows);
    await app.register(workflowsRoutes);
  },
  { name: 'workflows', dependencies: ['db', 'jobs', 'events', 'metrics', 'lifecycle', 'tools'] },
);
