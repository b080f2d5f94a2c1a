import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countQueries } from '../src/db/query-counter.ts';
import { buildTestApp, type TestApp } from './harness.ts';
import { apiKeyFor, loginAs } from './auth.ts';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp({ env: { WEBHOOK_RETRY_DELAY_SECONDS: '1' } });
});
afterAll(async () => t.close());

async function waitForModels(): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const r = await t.app.inject({ url: '/api/models' });
    if ((r.json() as { models: unknown[] }).models.length > 0) return;
    await new Promise((res) => setTimeout(res, 50));
  }
}

describe('GET /api/models', () => {
  it('is public, lists the offline model labelled offline, and costs 0 DB queries when warm', async () => {
    await waitForModels();
    const warm = await countQueries(() => t.app.inject({ url: '/api/models' }));
    expect(warm.result.statusCode).toBe(200);
    expect(warm.total).toBe(0);
    expect(warm.result.json()).toMatchObject({
      models: [expect.objectContaining({ id: 'offline:offline', offline: true, label: 'Offline model (built-in)' })],
    });
  });

  it('reflects an admin adding a provider at once (the cache is invalidated)', async () => {
    const admin = await loginAs(t, { role: 'admin' });
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/admin/ai-providers',
      headers: admin.headers,
      payload: {
        id: 'lab',
        name: 'Lab vLLM',
        type: 'openai-compatible',
        baseUrl: 'https://vllm.example.com/v1',
        apiKey: 'k-123456',
        models: ['m1'],
      },
    });
    expect(created.statusCode).toBe(201);
    expect(created.body).not.toContain('k-123456');
    const models = (await t.app.inject({ url: '/api/models' })).json() as { models: Array<{ id: string }> };
    expect(models.models.map((m) => m.id)).toContain('lab:m1');
    const audit = await t.app.inject({ url: '/api/admin/audit', headers: admin.headers });
    expect(audit.body).toContain('ai_provider.created');
    expect(audit.body).not.toContain('k-123456');
  });
});

describe('permissions on the integration routes', () => {
  it.each([
    ['GET', '/api/admin/ai-providers'],
    ['GET', '/api/webhooks'],
    ['GET', '/api/admin/mcp/servers'],
    ['GET', '/api/advisor/findings'],
  ] as const)('%s %s answers 401 without credentials', async (method, url) => {
    const r = await t.app.inject({ method, url });
    expect(r.statusCode).toBe(401);
    expect(r.json()).toMatchObject({ code: 'UNAUTHORIZED' });
  });

  it('answers 403 to a viewer on admin and webhook routes, and lets a viewer read findings', async () => {
    const viewer = await loginAs(t, { role: 'viewer' });
    expect((await t.app.inject({ url: '/api/admin/ai-providers', headers: viewer.headers })).statusCode).toBe(403);
    expect((await t.app.inject({ url: '/api/webhooks', headers: viewer.headers })).statusCode).toBe(403);
    expect((await t.app.inject({ url: '/api/admin/mcp/servers', headers: viewer.headers })).statusCode).toBe(403);
    expect((await t.app.inject({ url: '/api/advisor/findings', headers: viewer.headers })).statusCode).toBe(200);
  });
});

describe('webhooks over HTTP', () => {
  it.each(['https://127.0.0.1/hook', 'https://169.254.169.254/latest/meta-data', 'http://example.com/hook'])(
    'refuses %s naming the url field',
    async (url) => {
      const admin = await loginAs(t, { role: 'admin' });
      const r = await t.app.inject({
        method: 'POST',
        url: '/api/webhooks',
        headers: admin.headers,
        payload: { url, eventTypes: ['tool.executed'] },
      });
      expect(r.statusCode).toBe(400);
      expect(r.json().message).toContain('url');
      expect((await t.app.inject({ url: '/api/webhooks', headers: admin.headers })).json()).toMatchObject({ total: 0 });
    },
  );

  it('rejects unknown event types naming the field', async () => {
    const admin = await loginAs(t, { role: 'admin' });
    const r = await t.app.inject({
      method: 'POST',
      url: '/api/webhooks',
      headers: admin.headers,
      payload: { url: 'https://hooks.example.com/x', eventTypes: ['nope'] },
    });
    expect(r.statusCode).toBe(400);
    expect(r.json().message).toMatch(/eventTypes/);
  });
});

describe('advisor over HTTP', () => {
  it('runs on demand (202), and an unknown status or severity is a 400 naming the field', async () => {
    const op = await loginAs(t, { role: 'operator' });
    const started = await t.app.inject({
      method: 'POST',
      url: '/api/advisor/runs',
      headers: op.headers,
      payload: { domains: ['security'] },
    });
    expect(started.statusCode).toBe(202);
    const runId = started.json().runs[0].id as string;
    let status = '';
    for (let i = 0; i < 200 && status !== 'completed'; i++) {
      status = (await t.app.inject({ url: `/api/advisor/runs/${runId}`, headers: op.headers })).json().status;
      if (status !== 'completed') await new Promise((r) => setTimeout(r, 100));
    }
    expect(status).toBe('completed');
    const list = await t.app.inject({ url: '/api/advisor/findings?domain=security&severity=critical,high', headers: op.headers });
    expect(list.statusCode).toBe(200);
    expect(list.json().total).toBeGreaterThanOrEqual(3);
    expect((await t.app.inject({ url: '/api/advisor/findings?severity=urgent', headers: op.headers })).statusCode).toBe(400);
    const id = list.json().items[0].id as string;
    const bad = await t.app.inject({
      method: 'PATCH',
      url: `/api/advisor/findings/${id}`,
      headers: op.headers,
      payload: { status: 'fixed' },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toContain('status');
    const other = await loginAs(t, { role: 'operator' });
    expect((await t.app.inject({ url: `/api/advisor/findings/${id}`, headers: other.headers })).statusCode).toBe(404);
    const key = await apiKeyFor(t, op, ['findings:read']);
    expect((await t.app.inject({ url: '/api/advisor/summary', headers: key.headers })).json()).toMatchObject({
      totalMonthlySaving: expect.any(Number),
    });
  });
});
