import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { hasVectorExtension, openDatabase, type Database } from '../../db/database.ts';
import { countQueries } from '../../db/query-counter.ts';
import { createTestDatabase, type TestDatabase } from '../../../test/harness.ts';
import { createOrg } from '../../../test/factories.ts';
import { embedLocal, localEmbedder } from './embedder.ts';
import { createVectorStore, type VectorItem } from './vector-store.ts';

let tdb: TestDatabase;
let database: Database;
let vector = false;
const NO_VECTOR = 'this PostgreSQL has no pgvector; vector tests run on PGlite, which bundles it';

beforeAll(async () => {
  tdb = await createTestDatabase();
  database = await openDatabase(tdb.settings);
  vector = await hasVectorExtension(database.db);
});
afterAll(async () => {
  await database.close();
  await tdb.drop();
});

const store = () => createVectorStore({ db: () => database.db, vectorAvailable: () => vector });

function items(n: number, kind = 'doc'): VectorItem[] {
  return Array.from({ length: n }, (_, i) => {
    const content = `chunk ${i} about ${i % 3 === 0 ? 'compute instances and shapes' : i % 3 === 1 ? 'object storage buckets' : 'virtual cloud networks'}`;
    return { id: `c-${i}`, vector: embedLocal(content), content, metadata: { kind, source: `s-${i % 10}` } };
  });
}

describe('local embedder', () => {
  it('is deterministic, 384-dimensional and L2-normalised; similar text scores higher', () => {
    const a = embedLocal('stop the compute instance web-1');
    expect(a).toHaveLength(localEmbedder.dimension);
    expect(embedLocal('stop the compute instance web-1')).toEqual(a);
    expect(Math.hypot(...a)).toBeCloseTo(1, 6);
    const cos = (x: number[], y: number[]) => x.reduce((s, v, i) => s + v * y[i]!, 0);
    expect(cos(a, embedLocal('please stop compute instance web-2'))).toBeGreaterThan(
      cos(a, embedLocal('monthly budget for object storage')),
    );
  });
});

describe('vector store', () => {
  it('answers 503 naming pgvector when the extension is missing', async () => {
    const missing = createVectorStore({ db: () => database.db, vectorAvailable: () => false });
    await expect(missing.ensureIndex('docs', 384, 'x')).rejects.toMatchObject({
      statusCode: 503,
      code: 'EXTENSION_MISSING',
      message: expect.stringContaining('vector'),
    });
    await expect(missing.query('o', 'docs', [1], { limit: 1 })).rejects.toMatchObject({ statusCode: 503 });
  });

  it.for([1, 1000, 5000])('upserts %i vectors in ⌈n/500⌉ statements and deletes in chunks of 1000', async (n, ctx) => {
    if (!vector) ctx.skip(NO_VECTOR);
    const org = await createOrg(database.db);
    const s = store();
    // Statement counts do not depend on the dimension; a small one keeps HNSW inserts cheap.
    await s.ensureIndex('counts', 8, 'test');
    const batch = items(n).map((it, i) => ({ ...it, vector: Array.from({ length: 8 }, (_, j) => Math.sin(i * 8 + j)) }));
    const up = await countQueries(() => s.upsert(org.id, 'counts', batch));
    expect(up.result).toBe(n);
    expect(up.data).toBe(Math.ceil(n / 500));
    const del = await countQueries(() =>
      s.delete(
        org.id,
        'counts',
        batch.map((b) => b.id),
      ),
    );
    expect(del.result).toBe(n);
    expect(del.data).toBe(Math.ceil(n / 1000));
  });

  it('keeps the last of duplicate ids in one call, still batched; finds nearest neighbours for the org only', async (ctx) => {
    if (!vector) ctx.skip(NO_VECTOR);
    const a = await createOrg(database.db);
    const b = await createOrg(database.db);
    const s = store();
    await s.ensureIndex('docs', 384, localEmbedder.id);
    const dup: VectorItem[] = [
      { id: 'x', vector: embedLocal('first version'), content: 'first version', metadata: { kind: 'doc' } },
      { id: 'x', vector: embedLocal('buckets are public'), content: 'buckets are public', metadata: { kind: 'finding' } },
    ];
    const c = await countQueries(() => s.upsert(a.id, 'docs', [...dup, ...items(20)]));
    expect(c.data).toBe(1);
    expect(c.result).toBe(21);
    await s.upsert(b.id, 'docs', [
      { id: randomUUID(), vector: embedLocal('buckets are public'), content: 'other org', metadata: { kind: 'finding' } },
    ]);
    const hits = await s.query(a.id, 'docs', embedLocal('public buckets'), { limit: 3 });
    expect(hits[0]).toMatchObject({ id: 'x', content: 'buckets are public' });
    expect(hits.every((h) => h.metadata.orgId === a.id)).toBe(true);
    const findings = await s.query(a.id, 'docs', embedLocal('anything'), { limit: 10, kinds: ['finding'] });
    expect(findings.map((h) => h.id)).toEqual(['x']);
    await expect(s.ensureIndex('docs', 128, 'other')).rejects.toMatchObject({ statusCode: 400 });
  });
});

describe('planner statistics', () => {
  it('analyzes every vector table, so the planner knows their size (PGlite has no autovacuum)', async (ctx) => {
    if (!vector) ctx.skip(NO_VECTOR);
    const s = store();
    const org = await createOrg(database.db);
    await s.ensureIndex('stats', localEmbedder.dimension, localEmbedder.id);
    await s.upsert(org.id, 'stats', items(300));
    const analyzed = await s.analyze();
    expect(analyzed).toBeGreaterThanOrEqual(1);
    const { rows } = await sql<{
      reltuples: number;
    }>`select reltuples::float8 as reltuples from pg_class where relname = 'vec_stats'`.execute(database.db);
    expect(Number(rows[0]!.reltuples)).toBe(300);
    expect(await createVectorStore({ db: () => database.db, vectorAvailable: () => false }).analyze()).toBe(0);
  });
});
