import { AsyncResource } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import pg from 'pg';
import type { FastifyInstance } from 'fastify';
import lightMyRequest from 'light-my-request';
import type { Kysely } from 'kysely';
import { inject } from 'vitest';
import { buildApp, type AppOptions } from '../src/app.ts';
import { parseConfig, type Config } from '../src/config.ts';
import type { DatabaseSettings } from '../src/db/database.ts';
import type { DB } from '../src/db/schema.ts';

/** The secret every test app uses. */
export const TEST_SECRET = 'test-secret-test-secret-test-secret-0123456789';

/** A database of this test file's own: a PGlite loaded from the template, or a copy of the PG template. */
export interface TestDatabase {
  settings: DatabaseSettings;
  /** PostgreSQL URL of this database (null on PGlite). */
  url: string | null;
  drop(): Promise<void>;
}

/** The backend this test run uses. */
export const backend = (): 'pglite' | 'postgres' => inject('backend');

/** Creates a fresh, migrated database (the template's copy) for one test file or test. */
export async function createTestDatabase(): Promise<TestDatabase> {
  if (inject('backend') === 'pglite') {
    const buf = await readFile(inject('pgliteTemplate'));
    const pglite = await PGlite.create({ loadDataDir: new Blob([buf]), extensions: { vector } });
    return {
      settings: { kind: 'pglite-instance', pglite },
      url: null,
      drop: async () => {
        if (!pglite.closed) await pglite.close();
      },
    };
  }
  const adminUrl = inject('pgAdminUrl');
  const name = `cloudnow_test_${process.pid}_${randomUUID().slice(0, 8)}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`create database ${name} template ${inject('pgTemplate')}`);
  } finally {
    await admin.end();
  }
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  const url = u.toString();
  return {
    settings: { kind: 'postgres', url, poolMin: 0, poolMax: 5, idleSeconds: 5 },
    url,
    drop: async () => {
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`).catch(() => {});
      await c.end();
    },
  };
}

/** The test configuration: the env's DATABASE_URL/VALKEY_URL (when set) plus overrides. */
export function testConfig(env: Record<string, string> = {}): Config {
  return parseConfig({
    CLOUDNOW_SECRET: TEST_SECRET,
    LOG_LEVEL: 'silent',
    CLOUDNOW_MIGRATE_ON_START: 'false',
    RATE_LIMIT_PER_IP: '100000',
    // The test machine is shared and PGlite's start-up blocks the event loop for seconds (a
    // sample window without any tick reads as an infinite delay): shedding on event-loop delay
    // would turn unrelated tests into 503s. 0 turns that check off.
    PRESSURE_MAX_EVENT_LOOP_DELAY_MS: '0',
    ...(process.env.DATABASE_URL ? { DATABASE_URL: process.env.DATABASE_URL } : {}),
    ...(process.env.VALKEY_URL ? { VALKEY_URL: process.env.VALKEY_URL, VALKEY_PREFIX: `cn-test:${randomUUID().slice(0, 8)}:` } : {}),
    ...env,
  });
}

/** A built, ready test app and its database. */
export interface TestApp {
  app: FastifyInstance;
  db: Kysely<DB>;
  config: Config;
  database: TestDatabase;
  /** Closes the app and drops its database (unless the database was shared in). */
  close(): Promise<void>;
}

/** Options of `buildTestApp`: AppOptions plus env overrides and a shared database. */
export interface TestAppOptions extends Partial<Omit<AppOptions, 'database'>> {
  env?: Record<string, string>;
  /** Share a database between apps (replica tests); it is then not dropped by `close`. */
  database?: TestDatabase;
}

/** Builds an app on a fresh database (or a shared one), waits until it is ready. */
export async function buildTestApp(opts: TestAppOptions = {}): Promise<TestApp> {
  const config = testConfig(opts.env);
  const own = !opts.database;
  const database = opts.database ?? (await createTestDatabase());
  const app = await buildApp(config, {
    secret: TEST_SECRET,
    logger: false,
    workers: opts.workers ?? true,
    ...opts,
    database: database.settings,
  });
  await app.ready();
  await app.database.whenReady();
  keepContextInInject(app);
  return {
    app,
    db: app.db,
    config,
    database,
    async close() {
      await app.close();
      if (own) await database.drop();
    },
  };
}

/**
 * light-my-request (behind `app.inject`) dispatches requests outside the caller's async context,
 * so `countQueries(() => app.inject(…))` would count nothing. Binding the dispatch to the caller's
 * context makes the request — hooks, handler, queries — run inside the counting scope.
 */
export function keepContextInInject(app: FastifyInstance): void {
  const original = app.inject.bind(app);
  const patched = (opts?: unknown, cb?: unknown): unknown => {
    if (opts === undefined || typeof cb === 'function') return (original as (...a: unknown[]) => unknown)(opts, cb);
    const dispatch = AsyncResource.bind((req: unknown, res: unknown) => (app.routing as (a: unknown, b: unknown) => void)(req, res));
    const options = typeof opts === 'string' ? { url: opts } : (opts as Record<string, unknown>);
    return lightMyRequest(dispatch as never, { ...options, server: app.server } as never);
  };
  Object.defineProperty(app, 'inject', { value: patched, configurable: true, writable: true });
}
