import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/harness.ts';
import { apiKeyFor, loginAs, type Login } from '../../../test/auth.ts';
import { minimalPdf } from './test-support.ts';

const NO_VECTOR = 'this database has pgvector: the 503 path runs on PostgreSQL without it (the service test covers it everywhere)';
const NEEDS_VECTOR = 'this PostgreSQL has no pgvector; search through the worker runs on PGlite, which bundles it';

let t: TestApp;
let op: Login;
let vector = false;

beforeAll(async () => {
  // A 64 KiB upload limit keeps the 413 test small; workers on, so uploads are indexed by the real job.
  t = await buildTestApp({ env: { SEARCH_DOCUMENT_MAX_BYTES: String(64 * 1024) } });
  vector = t.app.database.vectorAvailable;
  op = await loginAs(t, { role: 'operator' });
});
afterAll(async () => t.close());

const search = (headers: Record<string, string>, payload: unknown) =>
  t.app.inject({ method: 'POST', url: '/api/v1/search', headers, payload: payload as object });
const upload = (headers: Record<string, string>, payload: unknown) =>
  t.app.inject({ method: 'POST', url: '/api/v1/search/documents', headers, payload: payload as object });

describe('POST /api/v1/search/documents and the document routes', () => {
  it('uploads (201), lists with a total, gets with the text, deletes (204) — org-scoped', async () => {
    const res = await upload(op.headers, {
      name: 'notes.md',
      contentType: 'text/markdown',
      encoding: 'text',
      content: '# DR plan\nFail over to Phoenix.',
    });
    expect(res.statusCode).toBe(201);
    const doc = res.json();
    expect(doc).toMatchObject({ name: 'notes.md', contentType: 'text/markdown', status: 'pending', chunks: 0 });
    const list = await t.app.inject({ method: 'GET', url: '/api/v1/search/documents?limit=1', headers: op.headers });
    expect(list.json()).toMatchObject({ total: 1, limit: 1, offset: 0, items: [{ id: doc.id }] });
    const got = await t.app.inject({ method: 'GET', url: `/api/v1/search/documents/${doc.id}`, headers: op.headers });
    expect(got.json()).toMatchObject({ id: doc.id, text: '# DR plan\nFail over to Phoenix.', textTruncated: false });
    const other = await loginAs(t);
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/search/documents/${doc.id}`, headers: other.headers })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'DELETE', url: `/api/v1/search/documents/${doc.id}`, headers: other.headers })).statusCode).toBe(
      404,
    );
    expect((await t.app.inject({ method: 'DELETE', url: `/api/v1/search/documents/${doc.id}`, headers: op.headers })).statusCode).toBe(204);
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/search/documents/${doc.id}`, headers: op.headers })).json()).toMatchObject({
      code: 'DOCUMENT_NOT_FOUND',
    });
  });

  it('answers 413 DOCUMENT_TOO_LARGE over the limit and 400 naming the field for bad input', async () => {
    const big = await upload(op.headers, {
      name: 'big.txt',
      contentType: 'text/plain',
      content: Buffer.alloc(64 * 1024 + 1, 'x').toString('base64'),
    });
    expect(big.statusCode).toBe(413);
    expect(big.json()).toMatchObject({ code: 'DOCUMENT_TOO_LARGE', message: expect.stringContaining('content') });
    const type = await upload(op.headers, { name: 'x.docx', contentType: 'application/msword', content: '' });
    expect(type.statusCode).toBe(400);
    expect(type.json().message).toContain('contentType');
    const name = await upload(op.headers, { name: '', contentType: 'text/plain', content: '' });
    expect(name.json().message).toContain('name');
  });

  it('needs search:write to upload (a viewer has only search:read)', async () => {
    const viewer = await loginAs(t, { role: 'viewer' });
    const res = await upload(viewer.headers, { name: 'a.txt', contentType: 'text/plain', encoding: 'text', content: 'a' });
    expect(res.statusCode).toBe(403);
    expect(res.json().message).toContain('search:write');
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/search/documents', headers: viewer.headers })).statusCode).toBe(200);
  });
});

describe('POST /api/v1/search', () => {
  it('rejects an empty query, a limit over 50 and an unknown kind with 400 naming the field', async () => {
    for (const [payload, field] of [
      [{ query: '  ' }, 'query'],
      [{ query: 'x', limit: 10_000 }, 'limit'],
      [{ query: 'x', kinds: ['email'] }, 'kinds'],
      [{ query: 'x', filters: { colour: 'red' } }, 'filters'],
    ] as const) {
      const res = await search(op.headers, payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      expect(res.json().message).toContain(field);
    }
  });

  it('needs search:read (an API key without it gets 403)', async () => {
    const key = await apiKeyFor(t, op, ['tools:read']);
    const res = await search(key.headers, { query: 'x' });
    expect(res.statusCode).toBe(403);
    expect(res.json().message).toContain('search:read');
  });

  it('answers 503 VECTOR_EXTENSION_MISSING naming pgvector on PostgreSQL without it', async (ctx) => {
    if (vector) ctx.skip(NO_VECTOR);
    const res = await search(op.headers, { query: 'anything' });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toMatchObject({ code: 'VECTOR_EXTENSION_MISSING', message: expect.stringContaining('pgvector') });
  });

  it('finds an uploaded PDF once the worker indexed it, with snippet, score and link; other orgs see nothing', async (ctx) => {
    if (!vector) ctx.skip(NEEDS_VECTOR);
    const pdf = minimalPdf(['Disaster recovery runbook', 'Fail over the autonomous database to Phoenix within 15 minutes.']);
    const res = await upload(op.headers, { name: 'dr.pdf', contentType: 'application/pdf', content: pdf.toString('base64') });
    expect(res.statusCode).toBe(201);
    const doc = res.json();
    await expect
      .poll(
        async () => (await t.app.inject({ method: 'GET', url: `/api/v1/search/documents/${doc.id}`, headers: op.headers })).json().status,
        {
          timeout: 20_000,
        },
      )
      .toBe('indexed');
    const hit = await search(op.headers, { query: 'fail over database to Phoenix', kinds: ['document'], limit: 5 });
    expect(hit.statusCode).toBe(200);
    const [first] = hit.json().results;
    expect(first).toMatchObject({ kind: 'document', sourceId: doc.id, title: 'dr.pdf', link: `/search/documents/${doc.id}` });
    expect(first.snippet).toContain('Phoenix');
    expect(first.score).toBeGreaterThan(0.2);
    const other = await loginAs(t);
    expect((await search(other.headers, { query: 'fail over database to Phoenix' })).json()).toEqual({ results: [] });
  });
});
