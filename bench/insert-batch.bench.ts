/**
 * Inserting N rows as one multi-row INSERT vs a row-by-row loop (each row its own autocommitted
 * statement), on embedded PGlite and on PostgreSQL (a scratch database on
 * postgres://postgres@127.0.0.1:5432, created and dropped here; skipped when unreachable).
 * Statement counts come from the query counter, so the table shows round trips as well as time.
 */
import { randomUUID } from 'node:crypto';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PGliteDialect, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { countQueries } from '../apps/server/src/db/query-counter.ts';
import { countingDialect } from '../apps/server/src/db/query-counter.ts';
import { median, round, type BenchResult, type Row } from './lib.ts';

const SIZES = [1, 10, 100, 1000];
const PG_ADMIN_URL = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

interface BenchDB {
  bench_items: { id: string; org_id: string; name: string; n: number; payload: string };
}

interface Backend {
  name: 'PGlite' | 'PostgreSQL';
  db: Kysely<BenchDB>;
  close(): Promise<void>;
}

interface Measured {
  statements: number;
  ms: number;
}

const rowsOf = (n: number): BenchDB['bench_items'][] =>
  Array.from({ length: n }, (_, i) => ({ id: randomUUID(), org_id: 'org-bench', name: `item ${i}`, n: i, payload: JSON.stringify({ i }) }));

async function createTable(db: Kysely<BenchDB>): Promise<void> {
  await sql`create table bench_items (id uuid primary key, org_id text not null, name text not null, n int not null, payload jsonb not null)`.execute(
    db,
  );
  await sql`create index on bench_items (org_id, n)`.execute(db);
}

async function openPglite(): Promise<Backend> {
  const pglite = await PGlite.create();
  const db = new Kysely<BenchDB>({ dialect: countingDialect(new PGliteDialect({ pglite })) });
  await createTable(db);
  return { name: 'PGlite', db, close: () => db.destroy() };
}

async function openPostgres(): Promise<Backend | string> {
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 2000 });
  try {
    await admin.connect();
  } catch (err) {
    return `PostgreSQL not reachable at ${PG_ADMIN_URL}: ${(err as Error).message}`;
  }
  const name = `cloudnow_bench_${process.pid}`;
  await admin.query(`drop database if exists ${name}`);
  await admin.query(`create database ${name}`);
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  const pool = new pg.Pool({ connectionString: url.toString(), max: 1 });
  pool.on('error', () => {});
  pool.on('connect', (client) => client.on('error', () => {}));
  const db = new Kysely<BenchDB>({ dialect: countingDialect(new PostgresDialect({ pool })) });
  await createTable(db);
  return {
    name: 'PostgreSQL',
    db,
    async close() {
      await db.destroy();
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}

async function measure(db: Kysely<BenchDB>, n: number, mode: 'batch' | 'loop'): Promise<Measured> {
  const reps = mode === 'loop' && n >= 1000 ? 3 : n >= 100 ? 7 : 21;
  const times: number[] = [];
  let statements = 0;
  for (let r = 0; r < reps + 1; r++) {
    const rows = rowsOf(n);
    const t0 = performance.now();
    const counted = await countQueries(async () => {
      if (mode === 'batch') await db.insertInto('bench_items').values(rows).execute();
      else for (const row of rows) await db.insertInto('bench_items').values(row).execute();
    });
    const ms = performance.now() - t0;
    if (r > 0) times.push(ms); // the first run warms up the plan cache and the connection
    statements = counted.total;
    await sql`truncate bench_items`.execute(db);
  }
  return { statements, ms: median(times) };
}

/** The insert-batch benchmark (run by bench/run.ts). */
export default async function insertBatch(): Promise<BenchResult> {
  const backends: Backend[] = [await openPglite()];
  const pgBackend = await openPostgres();
  const skipped: string[] = [];
  if (typeof pgBackend === 'string') skipped.push(pgBackend);
  else backends.push(pgBackend);

  const results = new Map<string, Map<number, { batch: Measured; loop: Measured }>>();
  try {
    for (const b of backends) {
      const perSize = new Map<number, { batch: Measured; loop: Measured }>();
      await measure(b.db, 100, 'batch'); // warm up the JIT and the connection before measuring
      await measure(b.db, 100, 'loop');
      for (const n of SIZES) perSize.set(n, { batch: await measure(b.db, n, 'batch'), loop: await measure(b.db, n, 'loop') });
      results.set(b.name, perSize);
    }
  } finally {
    for (const b of backends) await b.close();
  }

  const rows: Row[] = SIZES.map((n) => {
    const row: Row = { rows: n };
    const any = [...results.values()][0]!.get(n)!;
    row['statements batch'] = any.batch.statements;
    row['statements loop'] = any.loop.statements;
    for (const b of ['PGlite', 'PostgreSQL'] as const) {
      const m = results.get(b)?.get(n);
      row[`${b} batch ms`] = m ? round(m.batch.ms) : null;
      row[`${b} loop ms`] = m ? round(m.loop.ms) : null;
      row[`${b} loop/batch`] = m ? round(m.loop.ms / m.batch.ms, 1) : null;
    }
    return row;
  });
  // the statement counts are the point: one statement for any N, against N
  for (const [backend, perSize] of results) {
    for (const [n, m] of perSize) {
      if (m.batch.statements !== 1 || m.loop.statements !== n) {
        throw new Error(`${backend} n=${n}: expected 1 vs ${n} statements, got ${m.batch.statements} vs ${m.loop.statements}`);
      }
    }
  }
  return {
    title: 'insert N rows: one multi-row INSERT (batch) vs a row-by-row loop (median ms)',
    rows,
    meta: {
      sizes: SIZES,
      backends: backends.map((b) => b.name),
      skipped,
      notes: [
        'Loop = one autocommitted INSERT per row; batch = one INSERT … VALUES (…), (…) statement.',
        'PGlite runs in-process (no network); PostgreSQL is local over TCP, so each loop statement also pays a round trip and a commit.',
        ...skipped,
      ].join('\n'),
    },
  };
}
