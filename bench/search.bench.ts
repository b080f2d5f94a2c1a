/**
 * Semantic search on the vector store: top-10 query latency (p50/p99) and recall@10 of the HNSW
 * index against exact (brute-force) search at 10k and 100k vectors, for a few `hnsw.ef_search`
 * values; and upsert throughput batched (⌈n/500⌉ statements) vs row by row. Embedded PGlite
 * with pgvector; PostgreSQL only where pgvector is installed (checked on
 * postgres://postgres@127.0.0.1:5432, or BENCH_PG_URL).
 *
 * Vectors are the local embedder's (384-d) over generated operations text, so neighbours have
 * the structure real chunks have, not uniform noise. Row-by-row upserts run on a sample and are
 * extrapolated (stated in the notes). SEARCH_BENCH_SIZES=10000 runs fewer sizes.
 */
import { randomUUID } from 'node:crypto';
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import { sql } from 'kysely';
import pg from 'pg';
import { openDatabase } from '../apps/server/src/db/database.ts';
import { migrateToLatest } from '../apps/server/src/db/migrate.ts';
import { embedLocal, localEmbedder } from '../apps/server/src/modules/search/embedder.ts';
import { createVectorStore, type VectorItem } from '../apps/server/src/modules/search/vector-store.ts';
import { round, type BenchResult, type Row } from './lib.ts';

const SIZES = (process.env.SEARCH_BENCH_SIZES ?? '10000,100000').split(',').map(Number);
const EF = [40, 100, 200];
const QUERIES = 100;
const ROW_BY_ROW_SAMPLE = 200;
const BATCH_SAMPLE = 1000;
const PG_ADMIN_URL = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

const SERVICES = [
  'compute instance',
  'object storage bucket',
  'autonomous database',
  'load balancer',
  'VCN subnet',
  'block volume',
  'IAM policy',
  'OKE cluster',
  'vault secret',
  'file system',
];
const VERBS = ['stop', 'start', 'resize', 'back up', 'restore', 'audit', 'tag', 'scale', 'patch', 'delete', 'encrypt', 'monitor'];
const WHERE = [
  'in Phoenix',
  'in Ashburn',
  'in Frankfurt',
  'in the prod compartment',
  'in the dev compartment',
  'for the web tier',
  'for the analytics team',
  'before the release',
];
const WHY = [
  'to save cost',
  'after the incident',
  'for compliance',
  'because CPU is idle',
  'as the runbook says',
  'when the alarm fires',
  'every night',
  'on request',
];

/** A deterministic pseudo-random generator (mulberry32), so every run indexes the same corpus. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function sentence(r: () => number, i: number): string {
  const pick = <T>(a: readonly T[]): T => a[Math.floor(r() * a.length)]!;
  return `${pick(VERBS)} the ${pick(SERVICES)} ${pick(['web', 'api', 'db', 'batch', 'etl'])}-${i % 97} ${pick(WHERE)} ${pick(WHY)}; ${pick(VERBS)} ${pick(SERVICES)} next`;
}

function corpus(n: number, seed: number): VectorItem[] {
  const r = rng(seed);
  return Array.from({ length: n }, (_, i) => {
    const content = sentence(r, i);
    return { id: `c-${seed}-${i}`, vector: embedLocal(content), content, metadata: { kind: 'document', source: `s-${i % 1000}` } };
  });
}

const percentile = (values: number[], p: number): number => {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
};

const EMPTY: Row = { ef_search: null, p50_ms: null, p99_ms: null, recall_at_10: null, rows_per_s: null, total_s: null };
const row = (n: number, label: string, values: Row): Row => ({ backend: 'PGlite', vectors: n, case: label, ...EMPTY, ...values });

/** Rows per second upserting one row per statement (each its own tenant transaction, as a loop would). */
async function rowByRow(store: ReturnType<typeof createVectorStore>, org: string, items: VectorItem[]): Promise<number> {
  const t = performance.now();
  for (const item of items) await store.upsert(org, 'bench', [item]);
  return items.length / ((performance.now() - t) / 1000);
}

async function pgHasVector(): Promise<string | null> {
  const client = new pg.Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    const r = await client.query(`select count(*)::int as n from pg_available_extensions where name = 'vector'`);
    return r.rows[0].n > 0 ? null : 'PostgreSQL is reachable but pgvector is not installed there: PostgreSQL rows skipped';
  } catch (err) {
    return `PostgreSQL not reachable (${err instanceof Error ? err.message : String(err)}): PostgreSQL rows skipped`;
  } finally {
    await client.end().catch(() => {});
  }
}

export default async function searchBench(): Promise<BenchResult> {
  const rows: Row[] = [];
  const notes: string[] = [];
  const pgSkip = await pgHasVector();
  if (pgSkip) {
    notes.push(pgSkip);
    console.log(`search bench: ${pgSkip}`);
  }

  for (const n of SIZES) {
    const pglite = await PGlite.create({ extensions: { vector } });
    const database = await openDatabase({ kind: 'pglite-instance', pglite });
    try {
      await migrateToLatest(database.db);
      const org = randomUUID();
      await database.db
        .insertInto('orgs')
        .values({ id: org, name: 'bench', slug: `bench-${org.slice(0, 8)}` })
        .execute();
      const stores = Object.fromEntries(
        EF.map((ef) => [ef, createVectorStore({ db: () => database.db, vectorAvailable: () => true, efSearch: ef })]),
      );
      const store = stores[EF[0]!]!;
      await store.ensureIndex('bench', localEmbedder.dimension, localEmbedder.id);

      // Bulk load without the HNSW index (then built once): maintaining HNSW row by row in WASM is
      // ~20× slower than building it after the load. Incremental rates are measured on samples.
      await sql`drop index vec_bench_hnsw`.execute(database.db);
      const items = corpus(n, 1);
      const t0 = performance.now();
      for (let i = 0; i < items.length; i += 10_000) await store.upsert(org, 'bench', items.slice(i, i + 10_000));
      const loadMs = performance.now() - t0;
      rows.push(
        row(n, 'upsert batched, no HNSW (bulk load)', { rows_per_s: round(n / (loadMs / 1000), 0), total_s: round(loadMs / 1000, 1) }),
      );
      const plain = await rowByRow(store, org, corpus(ROW_BY_ROW_SAMPLE, 4));
      rows.push(
        row(n, `upsert row by row, no HNSW (sample ${ROW_BY_ROW_SAMPLE}, extrapolated)`, {
          rows_per_s: round(plain, 0),
          total_s: round(n / plain, 1),
        }),
      );
      const t1 = performance.now();
      await sql`create index vec_bench_hnsw on vec_bench using hnsw (embedding vector_cosine_ops)`.execute(database.db);
      await sql`analyze vec_bench`.execute(database.db);
      const buildMs = performance.now() - t1;
      rows.push(row(n, 'HNSW build (m 16, ef_construction 64) + analyze', { total_s: round(buildMs / 1000, 1) }));
      const batch = corpus(BATCH_SAMPLE, 2);
      const t2 = performance.now();
      await store.upsert(org, 'bench', batch);
      const batchedRate = BATCH_SAMPLE / ((performance.now() - t2) / 1000);
      rows.push(
        row(n, `upsert batched into HNSW (sample ${BATCH_SAMPLE}, extrapolated)`, {
          rows_per_s: round(batchedRate, 0),
          total_s: round(n / batchedRate, 1),
        }),
      );
      const indexed = await rowByRow(store, org, corpus(ROW_BY_ROW_SAMPLE, 5));
      rows.push(
        row(n, `upsert row by row into HNSW (sample ${ROW_BY_ROW_SAMPLE}, extrapolated)`, {
          rows_per_s: round(indexed, 0),
          total_s: round(n / indexed, 1),
        }),
      );

      const queries = corpus(QUERIES, 3).map((q) => q.vector);
      const exact: string[][] = [];
      const exactMs: number[] = [];
      for (const q of queries) {
        const s = performance.now();
        exact.push((await store.query(org, 'bench', q, { limit: 10, exact: true })).map((h) => h.id));
        exactMs.push(performance.now() - s);
      }
      rows.push(
        row(n, 'top-10 exact (brute force)', {
          p50_ms: round(percentile(exactMs, 50)),
          p99_ms: round(percentile(exactMs, 99)),
          recall_at_10: 1,
        }),
      );
      for (const ef of EF) {
        const ms: number[] = [];
        let found = 0;
        for (const [i, q] of queries.entries()) {
          const s = performance.now();
          const ids = (await stores[ef]!.query(org, 'bench', q, { limit: 10 })).map((h) => h.id);
          ms.push(performance.now() - s);
          const truth = new Set(exact[i]);
          found += ids.filter((id) => truth.has(id)).length;
        }
        rows.push(
          row(n, 'top-10 HNSW', {
            ef_search: ef,
            p50_ms: round(percentile(ms, 50)),
            p99_ms: round(percentile(ms, 99)),
            recall_at_10: round(found / (QUERIES * 10), 3),
          }),
        );
      }
      console.log(`search bench: ${n} vectors done`);
    } finally {
      await database.close();
    }
  }
  notes.push(
    `Vectors: the local embedder (384-d) over generated operations sentences; ${QUERIES} queries of the same generator (another seed); one org, so the orgId filter keeps every row.`,
    `Samples: row-by-row ${ROW_BY_ROW_SAMPLE} rows, batched-into-HNSW ${BATCH_SAMPLE} rows, into a table already holding n rows; their total_s is n ÷ the measured rate (extrapolated, not measured).`,
    'The load runs without the HNSW index, which is built once afterwards and ANALYZEd: without statistics (PGlite has no autovacuum) the planner filters on the orgId btree and scans exactly instead of using HNSW.',
    'Latency includes the tenant transaction (BEGIN, SET LOCAL role/org, set ef_search/iterative scan, query, COMMIT) through Kysely, in process.',
  );
  return {
    title: 'Vector search: top-10 latency and recall@10 vs exact, upsert batched vs row by row',
    rows,
    meta: { sizes: SIZES, efSearch: EF, notes: notes.join('\n') },
  };
}
