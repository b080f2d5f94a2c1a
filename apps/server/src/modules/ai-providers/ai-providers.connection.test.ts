import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/harness.ts';
import { loginAs, type Login } from '../../../test/auth.ts';
import { startOpenAiStandIn } from '../../../test/openai-stand-in.ts';

/** The admin form's live "Test": a real call through the provider client to a local stand-in. */
const KEY = 'sk-live-test-key-1234567890';
let t: TestApp;
let admin: Login;
let stand: Awaited<ReturnType<typeof startOpenAiStandIn>>;

beforeAll(async () => {
  stand = await startOpenAiStandIn({ key: KEY, reply: 'OK' });
  t = await buildTestApp();
  admin = await loginAs(t, { role: 'admin' });
});
afterAll(async () => {
  await t?.close();
  await stand?.close();
});

const post = (url: string, payload: Record<string, unknown>, headers = admin.headers) =>
  t.app.inject({ method: 'POST', url, headers, payload });

describe('AI provider connection tests', () => {
  it('tries an unsaved provider with the given model and key', async () => {
    const res = await post('/api/admin/ai-providers/test', {
      type: 'openai-compatible',
      baseUrl: stand.baseUrl,
      apiKey: KEY,
      model: 'llama3.1',
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ ok: true, checked: 'live', message: expect.stringContaining('llama3.1 answered "OK"') });
    expect(stand.requests.at(-1)).toMatchObject({ auth: `Bearer ${KEY}`, body: expect.objectContaining({ model: 'llama3.1' }) });
  });

  it('reports a refused key without echoing it, and an unreachable URL', async () => {
    const wrong = 'sk-wrong-key-0987654321';
    const res = await post('/api/admin/ai-providers/test', {
      type: 'openai-compatible',
      baseUrl: stand.baseUrl,
      apiKey: wrong,
      model: 'm',
    });
    expect(res.json()).toMatchObject({ ok: false, checked: 'live' });
    expect(res.json().message).toMatch(/Incorrect API key/);
    expect(res.body).not.toContain(wrong);
    const down = await post('/api/admin/ai-providers/test', { type: 'openai-compatible', baseUrl: 'http://127.0.0.1:9/v1', model: 'm' });
    expect(down.json()).toMatchObject({ ok: false, checked: 'live' });
  });

  it('tests a saved provider with its stored key and default model', async () => {
    const created = await post('/api/admin/ai-providers', {
      id: 'lab',
      name: 'Lab vLLM',
      type: 'openai-compatible',
      baseUrl: stand.baseUrl,
      apiKey: KEY,
      models: ['qwen', 'llama'],
      defaultModel: 'llama',
    });
    expect(created.statusCode).toBe(201);
    const res = await post('/api/admin/ai-providers/lab/test', {});
    expect(res.json()).toMatchObject({ ok: true, message: expect.stringContaining('llama') });
    expect(stand.requests.at(-1)!.body.model).toBe('llama');
    expect((await post('/api/admin/ai-providers/lab/test', { model: 'qwen' })).json()).toMatchObject({ ok: true });
    expect((await post('/api/admin/ai-providers/nope/test', {})).statusCode).toBe(404);
  });

  it('needs admin:settings and names bad fields', async () => {
    const operator = await loginAs(t, { role: 'operator' });
    expect((await post('/api/admin/ai-providers/test', { type: 'openai', model: 'x' }, operator.headers)).statusCode).toBe(403);
    const bad = await post('/api/admin/ai-providers/test', { type: 'nope', model: '' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toMatch(/type/);
  });
});
