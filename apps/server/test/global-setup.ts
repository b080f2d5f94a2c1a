import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import pg from 'pg';
import { PgBoss, fromPglite } from 'pg-boss';
import type { TestProject } from 'vitest/node';
import { openDatabase } from '../src/db/database.ts';
import { migrateToLatest } from '../src/db/migrate.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Backend every test file runs on. */
    backend: 'pglite' | 'postgres';
    /** A migrated PGlite data dir (tarball) each test file loads into its own instance. */
    pgliteTemplate: string;
    /** PostgreSQL: the migrated template database each file copies; the admin URL. */
    pgTemplate: string;
    pgAdminUrl: string;
  }
}

export const PG_TEMPLATE = `cloudnow_test_tpl_${process.pid}`;

/**
 * Migrates ONE template per test run — a PGlite data dir, or a PostgreSQL template database when
 * DATABASE_URL is set — with pg-boss's schema installed too. Each test file then loads a copy
 * (~0.5 s) instead of creating and migrating its own database (~4 s).
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    const dir = await mkdtemp(join(tmpdir(), 'cloudnow-tpl-'));
    const pglite = await PGlite.create({ extensions: { vector } });
    const database = await openDatabase({ kind: 'pglite-instance', pglite });
    await migrateToLatest(database.db);
    const boss = new PgBoss({ db: fromPglite(pglite), backend: 'pglite', supervise: false, schedule: false });
    await boss.start();
    await boss.stop({ graceful: false, close: false });
    const dump = await pglite.dumpDataDir('none');
    const file = join(dir, 'template.tar');
    await writeFile(file, Buffer.from(await dump.arrayBuffer()));
    await database.close();
    project.provide('backend', 'pglite');
    project.provide('pgliteTemplate', file);
    project.provide('pgTemplate', '');
    project.provide('pgAdminUrl', '');
    return async () => {
      await rm(dir, { recursive: true, force: true });
    };
  }

  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await dropStaleTestDatabases(admin);
  await admin.query(`drop database if exists ${PG_TEMPLATE}`);
  await admin.query(`create database ${PG_TEMPLATE}`);
  const tplUrl = withDatabase(url, PG_TEMPLATE);
  const database = await openDatabase({ kind: 'postgres', url: tplUrl, poolMin: 0, poolMax: 2, idleSeconds: 1 });
  await migrateToLatest(database.db);
  await database.close();
  const boss = new PgBoss({ connectionString: tplUrl, supervise: false, schedule: false, max: 1 });
  await boss.start();
  await boss.stop({ graceful: false, close: true });
  project.provide('backend', 'postgres');
  project.provide('pgliteTemplate', '');
  project.provide('pgTemplate', PG_TEMPLATE);
  project.provide('pgAdminUrl', url);
  return async () => {
    await admin.query(`drop database if exists ${PG_TEMPLATE} with (force)`).catch(() => {});
    await admin.end();
  };
}

/** Replaces the database name in a connection URL. */
export function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/**
 * Test databases of runs that died (killed CI, crashed worker) are dropped at the next run. Names
 * carry the creating run's pid, so a concurrently running suite's databases are left alone.
 */
async function dropStaleTestDatabases(admin: pg.Client): Promise<void> {
  const r = await admin.query<{ datname: string }>(`select datname from pg_database where datname like 'cloudnow_test_%'`);
  for (const { datname } of r.rows) {
    const pid = Number(/^cloudnow_test_(?:tpl_)?(\d+)/.exec(datname)?.[1]);
    if (pid && isAlive(pid)) continue;
    await admin.query(`drop database if exists "${datname}" with (force)`).catch(() => {});
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
