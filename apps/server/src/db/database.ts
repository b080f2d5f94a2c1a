import { mkdir } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import { Kysely, PGliteDialect, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import type { Config } from '../config.ts';
import { countingDialect } from './query-counter.ts';
import type { DB } from './schema.ts';

/** Database connection settings: a PGlite data dir (null = in memory), or a PostgreSQL pool. */
export type DatabaseSettings = Config['database'] | { kind: 'pglite-instance'; pglite: PGlite };

/**
 * One database handle for the process: the Kysely instance every repository uses, plus what the
 * infrastructure needs (the PGlite instance for pg-boss, pool stats for /metrics, a ping for
 * /readyz). After `close()` every further statement is refused and counted — shutdown tests
 * assert that number stays 0.
 */
export interface Database {
  readonly kind: 'pglite' | 'postgres';
  readonly db: Kysely<DB>;
  /** The embedded instance (pg-boss runs on it through `fromPglite`); null on PostgreSQL. */
  readonly pglite: PGlite | null;
  /** The connection string on PostgreSQL (pg-boss opens its own small pool); null embedded. */
  readonly url: string | null;
  ping(timeoutMs: number): Promise<void>;
  poolStats(): { total: number; idle: number; waiting: number };
  close(): Promise<void>;
  readonly closed: boolean;
  /** Statements attempted after close (always refused). */
  readonly statementsAfterClose: number;
}

/** A statement attempted after `close()`. */
export class DatabaseClosedError extends Error {
  override name = 'DatabaseClosedError';
  constructor() {
    super('The database has been closed');
  }
}

/** Opens the database described by `settings`. Does not run migrations. */
export async function openDatabase(settings: DatabaseSettings): Promise<Database> {
  let closed = false;
  let afterClose = 0;
  const guard = (): void => {
    if (closed) {
      afterClose++;
      throw new DatabaseClosedError();
    }
  };

  if (settings.kind === 'postgres') {
    const pool = new pg.Pool({
      connectionString: settings.url,
      min: settings.poolMin,
      max: settings.poolMax,
      idleTimeoutMillis: settings.idleSeconds * 1000,
      connectionTimeoutMillis: 5000,
    });
    // An idle client losing its connection must not crash the process; the pool replaces it.
    pool.on('error', () => {});
    // Nor may a checked-out one: pg emits 'error' on a client whose socket dies mid-query, and
    // while it is checked out the pool's idle listener is detached — without this listener that
    // 'error' is uncaught and kills the process. The query itself still rejects, and the pool
    // drops the dead client when it is released.
    pool.on('connect', (client) => {
      client.on('error', () => {});
    });
    const db = new Kysely<DB>({ dialect: countingDialect(new PostgresDialect({ pool }), guard) });
    return {
      kind: 'postgres',
      db,
      pglite: null,
      url: settings.url,
      ping: (timeoutMs) =>
        withTimeout(
          sql`select 1`.execute(db).then(() => undefined),
          timeoutMs,
        ),
      poolStats: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
      async close() {
        if (closed) return;
        closed = true;
        await db.destroy();
      },
      get closed() {
        return closed;
      },
      get statementsAfterClose() {
        return afterClose;
      },
    };
  }

  let pglite: PGlite;
  if (settings.kind === 'pglite-instance') {
    pglite = settings.pglite;
  } else {
    if (settings.dataDir) await mkdir(settings.dataDir, { recursive: true });
    pglite = await PGlite.create({
      ...(settings.dataDir ? { dataDir: settings.dataDir } : {}),
      extensions: { vector },
    });
  }
  const db = new Kysely<DB>({ dialect: countingDialect(new PGliteDialect({ pglite }), guard) });
  let busy = 0;
  return {
    kind: 'pglite',
    db,
    pglite,
    url: null,
    async ping(timeoutMs) {
      busy++;
      try {
        await withTimeout(
          sql`select 1`.execute(db).then(() => undefined),
          timeoutMs,
        );
      } finally {
        busy--;
      }
    },
    poolStats: () => ({ total: 1, idle: busy > 0 ? 0 : 1, waiting: 0 }),
    async close() {
      if (closed) return;
      closed = true;
      await db.destroy();
    },
    get closed() {
      return closed;
    },
    get statementsAfterClose() {
      return afterClose;
    },
  };
}

/** Rejects with a timeout error if `p` has not settled within `ms`. */
export function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
    p.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(timer);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}

const CONNECTION_ERROR_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH', 'EAI_AGAIN']);
const CONNECTION_ERROR_MESSAGES =
  /^(Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error)/;

/**
 * Whether `err` means the database cannot be reached right now (connection refused or lost, pool
 * timeout, server shutting down, the handle closed) rather than a bad statement. The error handler
 * answers these 503 DATABASE_UNAVAILABLE instead of 500.
 */
export function isDatabaseUnavailableError(err: unknown): boolean {
  if (err instanceof DatabaseClosedError) return true;
  if (!err || typeof err !== 'object') return false;
  const { code, message } = err as { code?: unknown; message?: unknown };
  if (typeof code === 'string') {
    if (CONNECTION_ERROR_CODES.has(code)) return true;
    // SQLSTATE class 08 (connection exception), 57P01-03 (shutdown, cannot connect now), 53300.
    if (/^08[0-9A-Z]{3}$/.test(code) || /^57P0[123]$/.test(code) || code === '53300') return true;
  }
  return typeof message === 'string' && CONNECTION_ERROR_MESSAGES.test(message);
}

/** Whether the pgvector extension is installed in this database. */
export async function hasVectorExtension(db: Kysely<DB>): Promise<boolean> {
  const r = await sql<{ n: number }>`select count(*)::int as n from pg_extension where extname = 'vector'`.execute(db);
  return (r.rows[0]?.n ?? 0) > 0;
}

/** Normalises a `count` from the driver (PGlite: number, node-postgres: string or bigint). */
export function toCount(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'string') return Number.parseInt(value, 10);
  return 0;
}

/** The `count(*) over()` total of a page read with a `total` column (0 for an empty page). */
export function totalOf(rows: ReadonlyArray<{ total: unknown }>): number {
  return rows.length ? toCount(rows[0]!.total) : 0;
}

/** A page read with `count(*) over() as total`: its rows without the column, and the total. */
export function toPage<R extends { total: unknown }>(rows: readonly R[]): { items: Array<Omit<R, 'total'>>; total: number } {
  return { items: rows.map(({ total: _t, ...r }) => r), total: totalOf(rows) };
}
