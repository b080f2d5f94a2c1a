import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { ServiceUnavailable } from '../errors.ts';
import { buildTestApp, type TestApp } from '../../test/harness.ts';

/** Test-only routes exercising validation, errors and the route label of the HTTP histogram. */
async function testRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.post(
    '/api/test/items',
    {
      config: { public: true },
      schema: {
        summary: 'Create a test item',
        querystring: z.object({ dryRun: z.enum(['yes', 'no']).optional() }),
        body: z.object({ name: z.string().min(1), count: z.number().int() }),
        response: { 201: z.object({ name: z.string(), count: z.number() }) },
      },
    },
    async (req, reply) => reply.code(201).send(req.body),
  );
  r.get(
    '/api/test/items/:id',
    { config: { public: true }, schema: { params: z.object({ id: z.string() }), response: { 200: z.object({ id: z.string() }) } } },
    async (req) => ({ id: req.params.id }),
  );
  app.get('/api/test/boom', { config: { public: true } }, async () => {
    throw new Error('connection to 10.0.0.7 failed: password=hunter2');
  });
  app.get('/api/test/unavailable', { config: { public: true } }, async () => {
    throw new ServiceUnavailable('The model provider is not configured');
  });
}

let t: TestApp;
let withToken: TestApp;
let pressured: TestApp;
let handlerRuns = 0;
const TOKEN = 'metrics-token-0123456789abcdef';

beforeAll(async () => {
  t = await buildTestApp({ plugins: [testRoutes], webDist: '/nonexistent/web/dist' });
  withToken = await buildTestApp({ database: t.database, env: { METRICS_TOKEN: TOKEN } });
  // Any heap use is "too much": under-pressure sheds as soon as it has sampled once.
  pressured = await buildTestApp({
    database: t.database,
    env: { PRESSURE_MAX_HEAP_BYTES: '1' },
    plugins: [
      async (app) => {
        app.get('/api/test/work', { config: { public: true } }, async () => ({ runs: ++handlerRuns }));
      },
    ],
  });
});
afterAll(async () => {
  await pressured.close();
  await withToken.close();
  await t.close();
});

describe('errors', () => {
  it('a zod validation error is 400 { code, message } naming each field', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/test/items', payload: { name: '', count: 'x' } });
    expect(res.statusCode).toBe(400);
    const body = res.json();
    expect(Object.keys(body).sort()).toEqual(['code', 'message']);
    expect(body.code).toBe('VALIDATION_FAILED');
    expect(body.message).toMatch(/\bname\b/);
    expect(body.message).toMatch(/\bcount\b/);
    const q = await t.app.inject({ method: 'POST', url: '/api/test/items?dryRun=maybe', payload: { name: 'a', count: 1 } });
    expect(q.statusCode).toBe(400);
    expect(q.json().message).toMatch(/querystring\.dryRun/);
    const ok = await t.app.inject({ method: 'POST', url: '/api/test/items', payload: { name: 'a', count: 2 } });
    expect(ok.statusCode).toBe(201);
    expect(ok.json()).toEqual({ name: 'a', count: 2 });
  });

  it('malformed JSON is a 400, not a 500', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/test/items',
      headers: { 'content-type': 'application/json' },
      payload: '{"name": ',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('BAD_REQUEST');
  });

  it('unknown /api/* routes are 404 ROUTE_NOT_FOUND JSON, even for a browser', async () => {
    for (const accept of ['application/json', 'text/html']) {
      const res = await t.app.inject({ url: '/api/nope?x=1', headers: { accept } });
      expect(res.statusCode).toBe(404);
      expect(res.headers['content-type']).toMatch(/application\/json/);
      expect(res.json()).toEqual({ code: 'ROUTE_NOT_FOUND', message: 'Route GET /api/nope not found' });
    }
  });

  it('a browser navigation to a client-side route gets the app shell; a non-browser gets 404 JSON', async () => {
    const page = await t.app.inject({ url: '/chats/123', headers: { accept: 'text/html,application/xhtml+xml' } });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.body).toContain('<title>CloudNow</title>');
    const api = await t.app.inject({ url: '/chats/123', headers: { accept: 'application/json' } });
    expect(api.statusCode).toBe(404);
    expect(api.json().code).toBe('ROUTE_NOT_FOUND');
  });

  it('every response carries x-request-id; a well-formed incoming id is kept, a bad one replaced', async () => {
    const a = await t.app.inject({ url: '/healthz' });
    expect(a.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const b = await t.app.inject({ url: '/api/nope', headers: { 'x-request-id': 'trace-abc.123' } });
    expect(b.headers['x-request-id']).toBe('trace-abc.123');
    const c = await t.app.inject({ url: '/healthz', headers: { 'x-request-id': 'bad id\nwith newline' } });
    expect(c.headers['x-request-id']).not.toContain('bad');
  });

  it('a 500 hides its internals; a coded 503 keeps its message', async () => {
    const res = await t.app.inject({ url: '/api/test/boom' });
    expect(res.statusCode).toBe(500);
    expect(res.json()).toEqual({ code: 'INTERNAL', message: 'Internal error' });
    expect(res.body).not.toMatch(/hunter2|10\.0\.0\.7/);
    expect(res.headers['x-request-id']).toBeTruthy();
    const un = await t.app.inject({ url: '/api/test/unavailable' });
    expect(un.statusCode).toBe(503);
    expect(un.json()).toEqual({ code: 'SERVICE_UNAVAILABLE', message: 'The model provider is not configured' });
  });
});

describe('metrics', () => {
  it('exports labelled gauges registered by modules', async () => {
    t.app.metrics.gauge('cloudnow_test_labelled', 'A labelled test gauge', () => [{ labels: { kind: 'a' }, value: 3 }], ['kind']);
    const res = await t.app.inject({ url: '/metrics' });
    expect(res.body).toContain('cloudnow_test_labelled{kind="a"} 3');
  });

  it('exports DB pool, cache, event-bus and per-route HTTP metrics to loopback', async () => {
    await t.app.cache.getOrFetch('models', 'metrics-k', async () => 1);
    await t.app.cache.getOrFetch('models', 'metrics-k', async () => 1);
    await t.app.inject({ url: '/api/test/items/42' });
    await t.app.inject({ url: '/api/test/items/43' });
    const res = await t.app.inject({ url: '/metrics' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/plain/);
    const text = res.body;
    for (const state of ['total', 'idle', 'waiting'])
      expect(text).toMatch(new RegExp(`cloudnow_db_pool_connections\\{state="${state}"\\} \\d+`));
    expect(text).toMatch(/cloudnow_cache_operations\{result="hit"\} [1-9]/);
    expect(text).toMatch(/cloudnow_cache_operations\{result="miss"\} [1-9]/);
    expect(text).toMatch(/cloudnow_cache_operations\{result="error"\} 0/);
    // the cache's own invalidation subscription is a live listener
    expect(text).toMatch(/cloudnow_event_bus_listeners [1-9]/);
    expect(text).toMatch(/cloudnow_db_statements_total\{kind="data"\} \d+/);
    // one series per route template, not per URL
    expect(text).toMatch(/cloudnow_http_request_duration_seconds_count\{method="GET",route="\/api\/test\/items\/:id",status="200"\} 2/);
    expect(text).not.toContain('/api/test/items/42');
    expect(text).toContain('process_cpu_user_seconds_total');
  });

  it('without METRICS_TOKEN refuses non-loopback clients, including a spoofed X-Forwarded-For', async () => {
    const remote = await t.app.inject({ url: '/metrics', remoteAddress: '10.1.2.3' });
    expect(remote.statusCode).toBe(403);
    expect(remote.json().code).toBe('FORBIDDEN');
    const spoofed = await t.app.inject({ url: '/metrics', remoteAddress: '10.1.2.3', headers: { 'x-forwarded-for': '127.0.0.1' } });
    expect(spoofed.statusCode).toBe(403);
    expect(spoofed.body).not.toContain('cloudnow_');
    // a proxied request reaching us over loopback is not a loopback client either
    const proxied = await t.app.inject({ url: '/metrics', headers: { 'x-forwarded-for': '203.0.113.9' } });
    expect(proxied.statusCode).toBe(403);
  });

  it('with METRICS_TOKEN needs the bearer token, from loopback too', async () => {
    expect((await withToken.app.inject({ url: '/metrics' })).statusCode).toBe(401);
    const wrong = await withToken.app.inject({ url: '/metrics', headers: { authorization: 'Bearer nope' } });
    expect(wrong.statusCode).toBe(401);
    const right = await withToken.app.inject({ url: '/metrics', remoteAddress: '10.1.2.3', headers: { authorization: `Bearer ${TOKEN}` } });
    expect(right.statusCode).toBe(200);
    expect(right.body).toContain('cloudnow_db_pool_connections');
  });
});

describe('load shedding', () => {
  it('under pressure: routes answer 503 UNDER_PRESSURE without running, probes and metrics still answer', async () => {
    const deadline = Date.now() + 10_000;
    let res = await pressured.app.inject({ url: '/api/test/work' });
    while (res.statusCode !== 503 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50)); // waiting for the plugin's first sample
      res = await pressured.app.inject({ url: '/api/test/work' });
    }
    expect(res.statusCode).toBe(503);
    expect(res.json()).toMatchObject({ code: 'UNDER_PRESSURE' });
    expect(res.headers['retry-after']).toBe('10');
    const runs = handlerRuns;
    expect((await pressured.app.inject({ url: '/api/test/work' })).statusCode).toBe(503);
    expect(handlerRuns).toBe(runs);
    expect((await pressured.app.inject({ url: '/readyz' })).statusCode).toBe(200);
    expect((await pressured.app.inject({ url: '/healthz' })).statusCode).toBe(200);
    expect((await pressured.app.inject({ url: '/metrics' })).statusCode).toBe(200);
  });

  it('not under pressure (the default limits), the same route runs', async () => {
    expect((await t.app.inject({ url: '/api/test/items/1' })).statusCode).toBe(200);
  });
});

describe('openapi', () => {
  it('/api/openapi.json is an OpenAPI 3 document generated from the route schemas', async () => {
    const res = await t.app.inject({ url: '/api/openapi.json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toMatch(/^3\.\d+\.\d+$/);
    expect(doc.info).toMatchObject({ title: 'CloudNow API', version: expect.any(String) });
    expect(doc.components.securitySchemes.apiKey).toMatchObject({ type: 'http', scheme: 'bearer' });
    const post = doc.paths['/api/test/items'].post;
    expect(post.summary).toBe('Create a test item');
    const body = post.requestBody.content['application/json'].schema;
    expect(body.required).toEqual(['name', 'count']);
    expect(Object.keys(body.properties)).toEqual(['name', 'count']);
    expect(post.responses['201']).toBeTruthy();
    expect(post.parameters).toEqual(expect.arrayContaining([expect.objectContaining({ in: 'query', name: 'dryRun' })]));
    expect(doc.paths['/api/test/items/{id}'].get.parameters).toEqual([expect.objectContaining({ in: 'path', name: 'id', required: true })]);
    // hidden infrastructure routes stay out
    for (const hidden of ['/healthz', '/readyz', '/metrics', '/api/openapi.json']) expect(doc.paths[hidden]).toBeUndefined();
    // every operation declares responses
    for (const [path, ops] of Object.entries<Record<string, { responses?: object }>>(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) expect(op.responses, `${method} ${path}`).toBeTruthy();
    }
  });

  it('/api/docs serves the HTML docs page', async () => {
    let res = await t.app.inject({ url: '/api/docs' });
    if (res.statusCode === 302) res = await t.app.inject({ url: res.headers.location as string });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(res.body).toMatch(/swagger/i);
  });
});
