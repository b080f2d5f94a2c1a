import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '@cloudnow/shared';
import { countQueries } from '../../db/query-counter.ts';
import { withTenant } from '../../db/tenant.ts';
import { buildTestApp, type TestApp } from '../../../test/harness.ts';
import { createOrg } from '../../../test/factories.ts';
import { insertThread, saveMessages } from '../chat/chat.repository.ts';
import { upsertFindings, insertRun } from '../findings/findings.repository.ts';
import { localEmbedder } from './embedder.ts';
import { indexNameFor } from './embedders.ts';
import { createIndexer } from './search.indexer.ts';
import { ingestHandler, tapSearchSources } from './search.jobs.ts';
import { createSearchService } from './search.service.ts';
import { createVectorStore } from './vector-store.ts';
import type { SearchIngestJob } from './search.contract.ts';
import { minimalPdf } from './test-support.ts';

const NO_VECTOR = 'this PostgreSQL has no pgvector; vector tests run on PGlite, which bundles it';
const INDEX = indexNameFor(localEmbedder);

let t: TestApp;
let vector = false;
let store: ReturnType<typeof createVectorStore>;
let indexer: ReturnType<typeof createIndexer>;
let service: ReturnType<typeof createSearchService>;

beforeAll(async () => {
  // Workers off: each test runs the ingestion it needs itself.
  t = await buildTestApp({ workers: false });
  vector = t.app.database.vectorAvailable;
  store = createVectorStore({ db: () => t.db, vectorAvailable: () => vector });
  const embedder = async () => localEmbedder;
  indexer = createIndexer({ db: () => t.db, store, embedder, chunk: { size: 200, overlap: 40 } });
  service = createSearchService({
    db: () => t.db,
    jobs: t.app.jobs,
    store,
    embedder,
    vectorAvailable: () => vector,
    documentMaxBytes: 64 * 1024,
  });
});
afterAll(async () => t.close());

async function actor(orgId?: string): Promise<Actor> {
  const id = orgId ?? (await createOrg(t.db)).id;
  return {
    userId: `u-${randomUUID().slice(0, 8)}`,
    orgId: id,
    role: 'operator',
    permissions: ['search:read', 'search:write'],
    via: 'session',
  };
}

/** The org's vector rows of one source, as (id, content) pairs. */
async function rowsOf(orgId: string, source: string) {
  const r = await withTenant(t.db, orgId, (tx) =>
    sql<{
      id: string;
      content: string;
    }>`select id, content from ${sql.table(`vec_${INDEX}`)} where metadata->>'source' = ${source} order by id`.execute(tx),
  );
  return r.rows;
}

async function ingestJobs(sourceId: string) {
  return t.app.jobs.boss.findJobs('search.ingest', { data: { sourceId } });
}

const longText = Array.from({ length: 40 }, (_, i) => `Paragraph ${i}: the load balancer lb-${i} forwards port 443 to the web tier.`).join(
  '\n',
);

describe('documents', () => {
  it('stores the text and enqueues its ingestion in the same transaction', async () => {
    const a = await actor();
    const d = await service.upload(a, {
      name: 'runbook.md',
      contentType: 'text/markdown',
      encoding: 'text',
      content: '# Runbook\nRestart web-1.',
    });
    expect(d).toMatchObject({ name: 'runbook.md', contentType: 'text/markdown', status: 'pending', sizeBytes: 24 });
    const jobs = await ingestJobs(d.id);
    expect(jobs.map((j) => j.data)).toEqual([{ orgId: a.orgId, kind: 'document', sourceId: d.id }]);
    const page = await service.listDocuments(a, { limit: 10, offset: 0 });
    expect(page).toMatchObject({ total: 1, items: [{ id: d.id }] });
    expect((await service.getDocument(a, d.id)).text).toBe('# Runbook\nRestart web-1.');
    // Another org sees nothing of it.
    const b = await actor();
    await expect(service.getDocument(b, d.id)).rejects.toMatchObject({ statusCode: 404, code: 'DOCUMENT_NOT_FOUND' });
    expect((await service.listDocuments(b, { limit: 10, offset: 0 })).total).toBe(0);
  });

  it('extracts the text of a PDF (base64)', async () => {
    const a = await actor();
    const pdf = minimalPdf(['Quarterly cost review', 'Idle instances cost 120 USD']);
    const d = await service.upload(a, {
      name: 'review.pdf',
      contentType: 'application/pdf',
      encoding: 'base64',
      content: pdf.toString('base64'),
    });
    expect((await service.getDocument(a, d.id)).text).toContain('Idle instances cost 120 USD');
  });

  it('rejects a document over the size limit (413), broken base64, and a non-PDF as PDF — writing nothing', async () => {
    const a = await actor();
    const big = Buffer.alloc(64 * 1024 + 1, 'a').toString('base64');
    await expect(service.upload(a, { name: 'big.txt', contentType: 'text/plain', encoding: 'base64', content: big })).rejects.toMatchObject(
      {
        statusCode: 413,
        code: 'DOCUMENT_TOO_LARGE',
      },
    );
    await expect(service.upload(a, { name: 'x', contentType: 'text/plain', encoding: 'base64', content: '%%%' })).rejects.toMatchObject({
      statusCode: 400,
      message: expect.stringContaining('content:'),
    });
    await expect(
      service.upload(a, { name: 'x.pdf', contentType: 'application/pdf', encoding: 'text', content: 'not a pdf' }),
    ).rejects.toMatchObject({ statusCode: 400, code: 'DOCUMENT_UNREADABLE' });
    expect((await service.listDocuments(a, { limit: 10, offset: 0 })).total).toBe(0);
  });

  it('indexes a document idempotently: a job run twice leaves the same rows; delete removes its vectors', async (ctx) => {
    if (!vector) ctx.skip(NO_VECTOR);
    const a = await actor();
    const d = await service.upload(a, { name: 'lb.txt', contentType: 'text/plain', encoding: 'text', content: longText });
    const job: SearchIngestJob = { orgId: a.orgId, kind: 'document', sourceId: d.id };
    await store.ensureIndex(INDEX, localEmbedder.dimension, localEmbedder.id);
    const first = await countQueries(() => indexer.ingest(job));
    const rows = await rowsOf(a.orgId, `document:${d.id}`);
    expect(rows.length).toBe(first.result.chunks);
    expect(rows.length).toBeGreaterThan(5);
    // One load, one delete, ⌈n/500⌉ upserts, one status update: a document 4× as long takes as many statements.
    const big = await service.upload(a, { name: 'big.txt', contentType: 'text/plain', encoding: 'text', content: longText.repeat(4) });
    const second = await countQueries(() => indexer.ingest({ ...job, sourceId: big.id }));
    expect(second.result.chunks).toBeGreaterThan(first.result.chunks * 3);
    expect(second.data).toBe(first.data);
    expect(first.data).toBeLessThanOrEqual(6);
    await indexer.ingest(job);
    expect(await rowsOf(a.orgId, `document:${d.id}`)).toEqual(rows);
    expect(await service.getDocument(a, d.id)).toMatchObject({ status: 'indexed', chunks: rows.length });
    const hits = await service.search(a, { query: 'load balancer lb-7 port 443', limit: 3, filters: { sourceId: d.id } });
    expect(hits.every((h) => h.sourceId === d.id)).toBe(true);
    expect(hits[0]).toMatchObject({ kind: 'document', sourceId: d.id, title: 'lb.txt', link: `/search/documents/${d.id}` });
    expect(hits[0]!.snippet).toContain('lb-7');
    await service.removeDocument(a, d.id);
    expect(await rowsOf(a.orgId, `document:${d.id}`)).toEqual([]);
    await expect(service.removeDocument(a, d.id)).rejects.toMatchObject({ statusCode: 404 });
  });
});

describe('a document whose indexing keeps failing', () => {
  it('stays pending while retries remain, and is marked failed with the reason on the last attempt', async () => {
    const a = await actor();
    const d = await service.upload(a, { name: 'bad.txt', contentType: 'text/plain', encoding: 'text', content: 'some text' });
    const broken = { ingest: async () => Promise.reject(new Error('embedding provider unavailable')) };
    const handle = ingestHandler(t.app, broken, () => true);
    const job = { orgId: a.orgId, kind: 'document' as const, sourceId: d.id };
    await expect(handle({ data: job, retryCount: 1 })).rejects.toThrow(/unavailable/);
    expect(await service.getDocument(a, d.id)).toMatchObject({ status: 'pending' });
    await expect(handle({ data: job, retryCount: 3 })).rejects.toThrow(/unavailable/);
    expect(await service.getDocument(a, d.id)).toMatchObject({ status: 'failed', error: 'embedding provider unavailable' });
    expect(await ingestHandler(t.app, broken, () => false)({ data: job, retryCount: 0 })).toEqual({ skipped: 'pgvector is not installed' });
  });
});

describe('ingestion of chats, workflows and findings', () => {
  it('indexes each message of a chat turn with thread, message and role; only the owner finds it', async (ctx) => {
    if (!vector) ctx.skip(NO_VECTOR);
    const a = await actor();
    const thread = await withTenant(t.db, a.orgId, (tx) => insertThread(tx, { orgId: a.orgId, userId: a.userId, title: 'Web tier' }));
    const [u, m] = [randomUUID(), randomUUID()];
    await withTenant(t.db, a.orgId, (tx) =>
      saveMessages(tx, a.orgId, thread.id, [
        { id: u, role: 'user', parts: [{ type: 'text', text: 'Why is instance web-1 stopped?' }] },
        { id: m, role: 'assistant', parts: [{ type: 'step-start' }, { type: 'text', text: 'web-1 was stopped by the nightly schedule.' }] },
      ]),
    );
    const job: SearchIngestJob = { orgId: a.orgId, kind: 'chat', sourceId: thread.id, itemIds: [u, m] };
    await indexer.ingest(job);
    await indexer.ingest(job);
    const rows = await rowsOf(a.orgId, `chat:${thread.id}`);
    expect(rows.map((r) => r.id).sort()).toEqual([`chat:${m}:0`, `chat:${u}:0`].sort());
    const hits = await service.search(a, {
      query: 'nightly schedule stopped web-1',
      limit: 5,
      kinds: ['chat'],
      filters: { role: 'assistant' },
    });
    expect(hits).toHaveLength(1);
    expect(hits[0]).toMatchObject({ kind: 'chat', sourceId: thread.id, title: 'Web tier', link: `/chat/${thread.id}` });
    // A colleague in the same org does not see someone else's chat.
    const colleague = { ...a, userId: 'someone-else' };
    expect(await service.search(colleague, { query: 'nightly schedule stopped web-1', limit: 5 })).toEqual([]);
    // A later turn re-indexes only its messages; a deleted thread loses its vectors.
    const later = randomUUID();
    await withTenant(t.db, a.orgId, (tx) =>
      saveMessages(tx, a.orgId, thread.id, [{ id: later, role: 'user', parts: [{ type: 'text', text: 'thanks' }] }]),
    );
    await indexer.ingest({ ...job, itemIds: [later] });
    expect(await rowsOf(a.orgId, `chat:${thread.id}`)).toHaveLength(3);
    await withTenant(t.db, a.orgId, (tx) => tx.deleteFrom('chat_threads').where('id', '=', thread.id).execute());
    await indexer.ingest({ orgId: a.orgId, kind: 'chat', sourceId: thread.id });
    expect(await rowsOf(a.orgId, `chat:${thread.id}`)).toEqual([]);
  });

  it("indexes a saved workflow (name, description, node labels) and an advisor run's findings, via the bus", async (ctx) => {
    if (!vector) ctx.skip(NO_VECTOR);
    const a = await actor();
    const queued: SearchIngestJob[] = [];
    const untap = tapSearchSources(t.app, { enqueue: async (items) => void queued.push(...items) });
    try {
      const wf = await t.app.workflows.definitions.create(a, {
        name: 'Nightly database backup',
        description: 'Exports the autonomous database to object storage',
        nodes: [
          { id: 'start', type: 'input' },
          { id: 'export', type: 'tool', name: 'Export ADB to bucket', config: { tool: 'echo' } },
        ],
        edges: [{ source: 'start', target: 'export' }],
      });
      const run = await withTenant(t.db, a.orgId, (tx) =>
        insertRun(tx, { orgId: a.orgId, domain: 'security', trigger: 'test', createdBy: null }),
      );
      const found = await withTenant(t.db, a.orgId, (tx) =>
        upsertFindings(tx, a.orgId, run!.id, [
          {
            fingerprint: 'sec:bucket',
            domain: 'security',
            rule: 'public-bucket',
            severity: 'high',
            confidence: 0.9,
            title: 'Bucket media-assets is public',
            summary: 'Anyone on the internet can list and read media-assets.',
            impact: 'data exposure',
            recommendation: 'Make the bucket private and use pre-authenticated requests.',
            monthlySaving: 0,
            resources: [],
            charliePrompt: 'p',
            evidence: [],
          },
        ]),
      );
      await t.app.events.publish('advisor.run', { orgId: a.orgId, runId: run!.id, domain: 'security', status: 'completed' });
      await expect.poll(() => queued.length).toBe(2);
      expect(queued).toEqual(
        expect.arrayContaining([
          { orgId: a.orgId, kind: 'workflow', sourceId: wf.id },
          { orgId: a.orgId, kind: 'finding', sourceId: found.inserted[0] },
        ]),
      );
      for (const job of queued) await indexer.ingest(job);
      const wfHit = await service.search(a, { query: 'export database to bucket', limit: 1, kinds: ['workflow'] });
      expect(wfHit[0]).toMatchObject({ sourceId: wf.id, title: 'Nightly database backup', link: `/workflows/${wf.id}` });
      const fHit = await service.search(a, { query: 'public bucket', limit: 1, kinds: ['finding'] });
      expect(fHit[0]).toMatchObject({ sourceId: found.inserted[0], link: `/advisor/findings/${found.inserted[0]}` });
      // Deleting the workflow enqueues it again, and the job removes its vectors.
      await t.app.workflows.definitions.remove(a, wf.id);
      await expect.poll(() => queued.length).toBe(3);
      await indexer.ingest(queued[2]!);
      expect(await rowsOf(a.orgId, `workflow:${wf.id}`)).toEqual([]);
    } finally {
      untap();
    }
  });
});

describe('search', () => {
  it("never returns another org's vectors", async (ctx) => {
    if (!vector) ctx.skip(NO_VECTOR);
    const a = await actor();
    const b = await actor();
    for (const who of [a, b]) {
      const d = await service.upload(who, {
        name: `${who.orgId}.txt`,
        contentType: 'text/plain',
        encoding: 'text',
        content: 'The VCN prod-vcn has an open security list.',
      });
      await indexer.ingest({ orgId: who.orgId, kind: 'document', sourceId: d.id });
    }
    const hits = await service.search(a, { query: 'open security list prod-vcn', limit: 50 });
    expect(hits.length).toBeGreaterThan(0);
    expect(hits.every((h) => h.title === `${a.orgId}.txt`)).toBe(true);
  });

  it('answers 503 VECTOR_EXTENSION_MISSING naming pgvector without the extension', async () => {
    const a = await actor();
    const none = createSearchService({
      db: () => t.db,
      jobs: t.app.jobs,
      store: createVectorStore({ db: () => t.db, vectorAvailable: () => false }),
      embedder: async () => localEmbedder,
      vectorAvailable: () => false,
      documentMaxBytes: 1024,
    });
    await expect(none.search(a, { query: 'x', limit: 10 })).rejects.toMatchObject({
      statusCode: 503,
      code: 'VECTOR_EXTENSION_MISSING',
      message: expect.stringContaining('pgvector'),
    });
  });
});
