/**
 * Chat persistence: saving and updating n messages row by row (the predecessor's N+1 loops) vs
 * batched (one INSERT; one UPDATE … FROM (VALUES …)), on PGlite and — when reachable — PostgreSQL.
 * Run: `npm run bench chat-persistence`.
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { sql } from 'kysely';
import { openDatabase, type Database } from '../apps/server/src/db/database.ts';
import { migrateToLatest } from '../apps/server/src/db/migrate.ts';
import { countQueries } from '../apps/server/src/db/query-counter.ts';
import { json } from '../apps/server/src/db/schema.ts';
import { withTenant } from '../apps/server/src/db/tenant.ts';
import * as repo from '../apps/server/src/modules/chat/chat.repository.ts';
import type { BenchResult, Row as BenchRow } from './lib.ts';

const PG_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
const SIZES = [50, 500];
const REPEAT = 5;

interface Measured {
  backend: string;
  op: string;
  n: number;
  loopMs: number;
  batchMs: number;
  loopStatements: number;
  batchStatements: number;
  speedup: number;
}

function messages(n: number): repo.NewMessage[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `b-${randomUUID()}`,
    role: i % 2 ? 'assistant' : 'user',
    parts: [{ type: 'text', text: `message ${i} `.repeat(20) }],
  }));
}

async function median(fn: () => Promise<{ ms: number; statements: number }>): Promise<{ ms: number; statements: number }> {
  const runs: Array<{ ms: number; statements: number }> = [];
  for (let i = 0; i < REPEAT; i++) runs.push(await fn());
  runs.sort((a, b) => a.ms - b.ms);
  return runs[Math.floor(runs.length / 2)]!;
}

async function timed(fn: () => Promise<unknown>): Promise<{ ms: number; statements: number }> {
  const t0 = performance.now();
  const c = await countQueries(fn);
  return { ms: performance.now() - t0, statements: c.total };
}

async function benchBackend(backend: string, database: Database): Promise<Measured[]> {
  const db = database.db;
  const orgId = randomUUID();
  await db
    .insertInto('orgs')
    .values({ id: orgId, name: 'bench', slug: `bench-${orgId.slice(0, 8)}` })
    .execute();
  const thread = await withTenant(db, orgId, (tx) => repo.insertThread(tx, { orgId, userId: 'bench' }));
  const rows: Measured[] = [];
  for (const n of SIZES) {
    const loopSave = await median(() =>
      timed(() =>
        withTenant(db, orgId, async (tx) => {
          for (const m of messages(n)) {
            await tx
              .insertInto('chat_messages')
              .values({ id: m.id, org_id: orgId, thread_id: thread.id, role: m.role, parts: json(m.parts), updated_at: sql<Date>`now()` })
              .execute();
          }
        }),
      ),
    );
    const batchSave = await median(() => timed(() => withTenant(db, orgId, (tx) => repo.saveMessages(tx, orgId, thread.id, messages(n)))));
    rows.push(row(backend, 'saveMessages', n, loopSave, batchSave));

    const stored = messages(n);
    await withTenant(db, orgId, (tx) => repo.saveMessages(tx, orgId, thread.id, stored));
    const loopUpdate = await median(() =>
      timed(() =>
        withTenant(db, orgId, async (tx) => {
          for (const m of stored) {
            const cur = await tx.selectFrom('chat_messages').select(['metadata']).where('id', '=', m.id).executeTakeFirstOrThrow();
            await tx
              .updateTable('chat_messages')
              .set({ status: 'complete', metadata: json({ ...cur.metadata, seen: true }) })
              .where('id', '=', m.id)
              .execute();
          }
        }),
      ),
    );
    const batchUpdate = await median(() =>
      timed(() =>
        withTenant(db, orgId, (tx) =>
          repo.updateMessages(
            tx,
            orgId,
            stored.map((m) => ({ id: m.id, status: 'complete', metadata: { seen: true } })),
          ),
        ),
      ),
    );
    rows.push(row(backend, 'updateMessages', n, loopUpdate, batchUpdate));
  }
  return rows;
}

function row(
  backend: string,
  op: string,
  n: number,
  loop: { ms: number; statements: number },
  batch: { ms: number; statements: number },
): Measured {
  return {
    backend,
    op,
    n,
    loopMs: round(loop.ms),
    batchMs: round(batch.ms),
    loopStatements: loop.statements,
    batchStatements: batch.statements,
    speedup: round(loop.ms / batch.ms),
  };
}

const round = (x: number): number => Math.round(x * 100) / 100;

/** Runs the benchmark (through `npm run bench`, which prints the table and writes bench/results/chat-persistence.json). */
export default async function run(): Promise<BenchResult> {
  const rows: Measured[] = [];
  const lite = await openDatabase({ kind: 'pglite', dataDir: null });
  await migrateToLatest(lite.db);
  rows.push(...(await benchBackend('pglite', lite)));
  await lite.close();

  const admin = new pg.Client({ connectionString: PG_URL });
  const reachable = await admin.connect().then(
    () => true,
    () => false,
  );
  if (reachable) {
    const name = `cloudnow_bench_${process.pid}`;
    await admin.query(`create database ${name}`);
    const url = new URL(PG_URL);
    url.pathname = `/${name}`;
    const database = await openDatabase({ kind: 'postgres', url: url.toString(), poolMin: 0, poolMax: 2, idleSeconds: 5 });
    try {
      await migrateToLatest(database.db);
      rows.push(...(await benchBackend('postgres', database)));
    } finally {
      await database.close();
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
    }
  } else {
    console.log(`PostgreSQL not reachable at ${PG_URL}: PGlite only`);
  }
  return {
    title: `chat persistence: row-by-row vs batched, median of ${REPEAT}`,
    rows: rows as unknown as BenchRow[],
    meta: { repeat: REPEAT },
  };
}
