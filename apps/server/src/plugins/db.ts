import fp from 'fastify-plugin';
import type { FastifyBaseLogger } from 'fastify';
import type { Kysely } from 'kysely';
import { hasVectorExtension, openDatabase, type Database, type DatabaseSettings } from '../db/database.ts';
import { migrateToLatest } from '../db/migrate.ts';
import type { DB } from '../db/schema.ts';
import { DatabaseUnavailable, ExtensionMissing } from '../errors.ts';

/**
 * Owns the database for the app's lifetime. It connects in the background with exponential
 * backoff (capped at 30 s) so the process serves /healthz and a 503 /readyz while PostgreSQL is
 * unreachable, runs migrations once connected, then runs the `onReady` callbacks (jobs, warm-up).
 * `db` throws DATABASE_UNAVAILABLE (503) until then; nothing needs a restart.
 */
export interface DatabaseManager {
  readonly ready: boolean;
  readonly kind: 'pglite' | 'postgres';
  /** The Kysely instance; throws DATABASE_UNAVAILABLE until connected and migrated. */
  readonly db: Kysely<DB>;
  /** The open handle, or null while connecting. */
  readonly handle: Database | null;
  /** Whether pgvector is installed (known once ready). */
  readonly vectorAvailable: boolean;
  /** Throws EXTENSION_MISSING (503) unless pgvector is installed. */
  requireVector(): void;
  /** Resolves once connected and migrated and every onReady callback has finished. */
  whenReady(): Promise<void>;
  /** Runs `fn` once the database is ready (at once if it already is). */
  onReady(fn: () => Promise<void> | void): void;
  /** The last connection error while not ready. */
  readonly lastError: string | null;
  ping(timeoutMs: number): Promise<void>;
  close(): Promise<void>;
}

/** Settings of `createDatabaseManager`. */
export interface DatabaseManagerOptions {
  settings: DatabaseSettings;
  migrate: boolean;
  log: FastifyBaseLogger;
  /** First retry delay; doubles up to maxDelayMs. */
  initialDelayMs?: number;
  maxDelayMs?: number;
}

/** Starts connecting in the background at once and returns the manager. */
export function createDatabaseManager(opts: DatabaseManagerOptions): DatabaseManager {
  const { log } = opts;
  let handle: Database | null = null;
  let ready = false;
  let closed = false;
  let vector = false;
  let lastError: string | null = null;
  let resolveReady!: () => void;
  const readyPromise = new Promise<void>((r) => (resolveReady = r));
  const callbacks: Array<() => Promise<void> | void> = [];
  const late = new Set<Promise<void>>();
  let retryTimer: NodeJS.Timeout | null = null;
  let wake: (() => void) | null = null;
  const kind = opts.settings.kind === 'postgres' ? 'postgres' : 'pglite';

  const sleep = (ms: number): Promise<void> =>
    new Promise((r) => {
      wake = r;
      retryTimer = setTimeout(r, ms);
    });

  async function connectLoop(): Promise<void> {
    let delay = opts.initialDelayMs ?? 500;
    const max = opts.maxDelayMs ?? 30_000;
    for (let attempt = 1; !closed; attempt++) {
      try {
        handle ??= await openDatabase(opts.settings);
        if (closed) break; // close() ran while the handle was being opened: close it below
        await handle.ping(5000);
        if (opts.migrate) {
          const applied = await migrateToLatest(handle.db);
          if (applied.length) log.info({ applied }, 'db: migrations applied');
        }
        vector = await hasVectorExtension(handle.db);
        if (!vector) log.warn('db: the pgvector extension is not installed; semantic search will answer 503');
        ready = true;
        lastError = null;
        log.info({ kind, attempt }, 'db: ready');
        for (const fn of callbacks.splice(0)) await runCallback(fn);
        resolveReady();
        return;
      } catch (err) {
        lastError = err instanceof Error ? err.message : String(err);
        log.warn({ attempt, retryInMs: delay, err: lastError }, 'db: not reachable yet, retrying');
        await sleep(delay);
        delay = Math.min(delay * 2, max);
      }
    }
    await handle?.close();
  }

  async function runCallback(fn: () => Promise<void> | void): Promise<void> {
    try {
      await fn();
    } catch (err) {
      log.error({ err }, 'db: an onReady callback failed');
    }
  }

  void connectLoop();

  return {
    kind,
    get ready() {
      return ready;
    },
    get db() {
      if (!ready || !handle) throw new DatabaseUnavailable();
      return handle.db;
    },
    get handle() {
      return handle;
    },
    get vectorAvailable() {
      return vector;
    },
    requireVector() {
      if (!vector) throw new ExtensionMissing('vector', 'pgvector');
    },
    get lastError() {
      return lastError;
    },
    // Ready includes the onReady callbacks: one registered after the connection came up (the
    // embedded database is often up before the jobs plugin registers) is still awaited here.
    async whenReady() {
      await readyPromise;
      while (late.size > 0) await Promise.all([...late]);
    },
    onReady(fn) {
      if (!ready) {
        callbacks.push(fn);
        return;
      }
      const p = runCallback(fn);
      late.add(p);
      void p.finally(() => late.delete(p));
    },
    async ping(timeoutMs) {
      if (!handle) throw new DatabaseUnavailable();
      await handle.ping(timeoutMs);
    },
    async close() {
      closed = true;
      if (retryTimer) clearTimeout(retryTimer);
      wake?.();
      await handle?.close();
    },
  };
}

declare module 'fastify' {
  interface FastifyInstance {
    database: DatabaseManager;
    /** Shorthand for `database.db`: throws DATABASE_UNAVAILABLE until ready. */
    readonly db: Kysely<DB>;
  }
}

/** Decorates `app.database` and `app.db`; closes the pool in onClose (registered first, so closed last). */
export default fp(
  async (app, opts: Omit<DatabaseManagerOptions, 'log'>) => {
    const manager = createDatabaseManager({ ...opts, log: app.log });
    app.decorate('database', manager);
    app.decorate('db', {
      getter() {
        return manager.db;
      },
    });
    app.addHook('onClose', async () => manager.close());
  },
  { name: 'db' },
);
