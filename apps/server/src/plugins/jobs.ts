import fp from 'fastify-plugin';
import { PgBoss, fromKysely, fromPglite, type Job, type JobInsert, type Queue, type SendOptions, type WorkOptions } from 'pg-boss';
import type { FastifyBaseLogger } from 'fastify';
import { sql, type Transaction } from 'kysely';
import type { Database } from '../db/database.ts';
import type { DB } from '../db/schema.ts';
import { APP_ROLE } from '../db/tenant.ts';
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
  sendMany<K extends JobName>(
    name: K,
    jobs: ReadonlyArray<{ data: JobMap[K] } & Omit<JobInsert, 'data'>>,
    options?: { tx?: Transaction<DB> },
  ): Promise<void>;
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

  // Inside a transaction pg-boss must not look a queue up on its own connection (embedded, that
  // waits for the transaction's lock forever): only queues this process defined — and so cached —
  // may be sent to in a transaction.
  const assertDefinedFor = (name: string, tx: unknown): void => {
    if (tx && !defined.has(name))
      throw new Error(`jobs: queue ${name} must be defined (jobs.define) before sending to it in a transaction`);
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
      assertDefinedFor(name, tx);
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
    async sendMany(name, jobs, options) {
      if (jobs.length === 0) return;
      assertDefinedFor(name, options?.tx);
      const b = await running();
      const rows = jobs.map((j) => ({ ...j, data: j.data as object }));
      // Inside a Kysely transaction the jobs go through it: embedded, a second connection would
      // wait for the transaction's lock and never get it.
      await b.insert(name, rows, options?.tx ? { db: fromKysely(options.tx) } : undefined);
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
      await grantAppRole(opts.database(), opts.schema ?? 'pgboss');
      // Queues and workers in declaration order (a module defines its queue before working it);
      // `started` only once every declared queue exists and is in pg-boss's queue cache.
      while (pending.length) await pending.shift()!();
      started = true;
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

/**
 * Lets the unprivileged app role enqueue jobs inside tenant transactions (`send({ tx })` runs as
 * that role): usage of pg-boss's schema and its tables and functions, now and for tables pg-boss
 * creates later. Jobs carry no tenant data beyond ids; workers re-enter the tenant context.
 */
async function grantAppRole(database: Database, schema: string): Promise<void> {
  if (!/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`jobs: invalid schema name ${schema}`);
  const role = APP_ROLE;
  await sql.raw(`grant usage on schema ${schema} to ${role}`).execute(database.db);
  await sql.raw(`grant select, insert, update, delete on all tables in schema ${schema} to ${role}`).execute(database.db);
  await sql.raw(`grant usage, select on all sequences in schema ${schema} to ${role}`).execute(database.db);
  await sql.raw(`grant execute on all functions in schema ${schema} to ${role}`).execute(database.db);
  await sql
    .raw(`alter default privileges in schema ${schema} grant select, insert, update, delete on tables to ${role}`)
    .execute(database.db);
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
