import fp from 'fastify-plugin';
import { PgBoss, fromKysely, fromPglite, type Job, type JobInsert, type Queue, type SendOptions, type WorkOptions } from 'pg-boss';
import type { FastifyBaseLogger } from 'fastify';
import type { Transaction } from 'kysely';
import type { Database } from '../db/database.ts';
import type { DB } from '../db/schema.ts';
import { DatabaseUnavailable } from '../errors.ts';

/**
 * The typed job map: queue name → payload. Modules augment it
 * (`declare module '../../plugins/jobs.ts' { interface JobMap { 'x.y': Payload } }`).
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface JobMap {}

/** Names of the queues in `JobMap`. */
export type JobName = keyof JobMap & string;
/** A worker for queue `K`: called once per job. */
export type JobHandler<K extends JobName> = (job: Job<JobMap[K]>) => Promise<unknown>;

/**
 * pg-boss on the portal's own database (embedded: `fromPglite`; servers: its own small pool).
 * Queues are declared with `define` (idempotent); `send` can join a Kysely transaction so a job
 * is enqueued atomically with the change that caused it. Workers only run when the process is a
 * worker (`serve` by default, `worker` always).
 */
export interface Jobs {
  define<K extends JobName>(name: K, options?: Omit<Queue, 'name'>): Promise<void>;
  send<K extends JobName>(name: K, data: JobMap[K], options?: SendOptions & { tx?: Transaction<DB> }): Promise<string | null>;
  /** Enqueues many jobs of one queue in one statement (inside `tx` when given, like `send`). */
  sendMany<K extends JobName>(name: K, jobs: ReadonlyArray<{ data: JobMap[K] } & Omit<JobInsert, 'data'>>, options?: { tx?: Transaction<DB> }): Promise<void>;
  work<K extends JobName>(name: K, options: WorkOptions, handler: JobHandler<K>): Promise<void>;
  schedule<K extends JobName>(name: K, cron: string, data: JobMap[K], options?: { tz?: string; key?: string }): Promise<void>;
  unschedule(name: JobName, key?: string): Promise<void>;
  /** The underlying pg-boss (for schedules listing and admin views). */
  readonly boss: PgBoss;
  readonly workersEnabled: boolean;
  readonly started: boolean;
  start(): Promise<void>;
  stop(timeoutMs: number): Promise<void>;
}

/** Settings of `createJobs`. */
export interface JobsOptions {
  /** Called at start: the database is open by then. */
  database: () => Database;
  log: FastifyBaseLogger;
  workersEnabled: boolean;
  schema?: string;
  /**
   * How long `send` waits for pg-boss to start (the database may still be connecting) before it
   * fails with DATABASE_UNAVAILABLE (503) instead of hanging the request. Default 10 s.
   */
  startWaitMs?: number;
}

/** Creates the jobs facade; pg-boss is created and started by `start()`. */
export function createJobs(opts: JobsOptions): Jobs {
  const { log } = opts;
  let boss: PgBoss | null = null;
  const createBoss = (database: Database): PgBoss =>
    database.kind === 'pglite'
      ? new PgBoss({
          db: fromPglite(database.pglite!),
          backend: 'pglite',
          schema: opts.schema ?? 'pgboss',
          supervise: opts.workersEnabled,
          schedule: opts.workersEnabled,
        })
      : new PgBoss({
          connectionString: database.url!,
          schema: opts.schema ?? 'pgboss',
          max: 4,
          application_name: 'cloudnow-jobs',
          supervise: opts.workersEnabled,
          schedule: opts.workersEnabled,
        });
  const defined = new Set<string>();
  const pending: Array<() => Promise<unknown>> = [];
  let started = false;
  let resolveStarted!: () => void;
  const startedPromise = new Promise<void>((r) => (resolveStarted = r));
  const running = async (): Promise<PgBoss> => {
    await startedPromise;
    if (!boss) throw new Error('jobs: stopped');
    return boss;
  };

  return {
    get boss() {
      if (!boss) throw new Error('jobs: not started');
      return boss;
    },
    workersEnabled: opts.workersEnabled,
    get started() {
      return started;
    },
    async define(name, options) {
      if (defined.has(name)) return;
      defined.add(name);
      if (!started) {
        pending.push(() => boss!.createQueue(name, options));
        return;
      }
      await boss!.createQueue(name, options);
    },
    async send(name, data, options) {
      const { tx, ...rest } = options ?? {};
      if (!started) {
        const waited = await Promise.race([
          startedPromise.then(() => 'started' as const),
          new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), opts.startWaitMs ?? 10_000).unref()),
        ]);
        if (waited === 'timeout') throw new DatabaseUnavailable();
      }
      const b = await running();
      return b.send(name, data as object, tx ? { ...rest, db: fromKysely(tx) } : rest);
    },
    async sendMany(name, jobs) {
      if (jobs.length === 0) return;
      const b = await running();
      await b.insert(
        name,
        jobs.map((j) => ({ ...j, data: j.data as object })),
      );
    },
    async work(name, options, handler) {
      if (!opts.workersEnabled) return;
      const register = (): Promise<string> =>
        boss!.work<JobMap[typeof name]>(name, { ...options }, async (jobs: Job<JobMap[typeof name]>[]) => {
          for (const job of jobs) await handler(job);
        });
      if (!started) {
        pending.push(register);
        return;
      }
      await register();
    },
    async schedule(name, cron, data, options) {
      const b = await running();
      await b.schedule(name, cron, data as object, {
        ...(options?.tz ? { tz: options.tz } : {}),
        ...(options?.key ? { key: options.key } : {}),
      });
    },
    async unschedule(name, key) {
      const b = await running();
      await b.unschedule(name, key);
    },
    async start() {
      if (started) return;
      boss = createBoss(opts.database());
      boss.on('error', (err: unknown) => log.error({ err }, 'jobs: pg-boss error'));
      await boss.start();
      started = true;
      // Queues and workers in declaration order (a module defines its queue before working it).
      for (const fn of pending.splice(0)) await fn();
      resolveStarted();
    },
    async stop(timeoutMs) {
      if (!started || !boss) return;
      started = false;
      const b = boss;
      boss = null;
      await b.stop({ graceful: true, timeout: timeoutMs, close: true });
    },
  };
}

declare module 'fastify' {
  interface FastifyInstance {
    jobs: Jobs;
  }
}

/** Decorates `app.jobs`; starts pg-boss once the database is ready, stops it before the pool closes. */
export default fp(
  async (app, opts: { workersEnabled: boolean; schema?: string }) => {
    const jobs = createJobs({
      database: () => app.database.handle!,
      log: app.log,
      workersEnabled: opts.workersEnabled,
      ...(opts.schema ? { schema: opts.schema } : {}),
    });
    app.decorate('jobs', jobs);
    app.database.onReady(async () => {
      await jobs.start();
      app.log.info({ workers: jobs.workersEnabled }, 'jobs: started');
    });
    app.addHook('onClose', async () => jobs.stop(5000));
  },
  { name: 'jobs', dependencies: ['db'] },
);
