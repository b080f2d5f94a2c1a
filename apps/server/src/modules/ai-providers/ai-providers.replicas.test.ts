import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, createTestDatabase, type TestApp, type TestDatabase } from '../../../test/harness.ts';
import { loginAs } from '../../../test/auth.ts';
import { startTestValkey, type TestValkey } from '../../../test/valkey-server.ts';
import { countQueries } from '../../db/query-counter.ts';

/** Two replicas on one database and one Valkey: an admin's provider change on A is what B serves next. */
describe('enabled-model cache across replicas', () => {
  let vk: TestValkey;
  let database: TestDatabase | undefined;
  let a: TestApp | undefined;
  let b: TestApp | undefined;
  beforeAll(async () => {
    vk = await startTestValkey();
    if (vk.skipReason) {
      console.warn(`cross-replica model cache test skipped: ${vk.skipReason}`);
      return;
    }
    database = await createTestDatabase();
    const env = { VALKEY_URL: vk.url, VALKEY_PREFIX: `cn-test:models-${randomUUID().slice(0, 8)}:` };
    a = await buildTestApp({ env, database });
    b = await buildTestApp({ env, database });
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
    await database?.drop();
    await vk?.stop();
  });

  const modelIds = async (t: TestApp): Promise<string[]> =>
    ((await t.app.inject({ url: '/api/models' })).json().models as Array<{ id: string }>).map((m) => m.id);

  it('invalidates B’s warm model list when A creates, disables and deletes a provider', async (ctx) => {
    if (!a || !b) return ctx.skip();
    expect(b.app.cache.mode).toBe('valkey');
    await expect.poll(() => modelIds(b!), { timeout: 10_000 }).toContain('offline:offline');
    const warm = await countQueries(() => modelIds(b!));
    expect(warm.total).toBe(0);
    expect(warm.result).not.toContain('lab:m1');

    const admin = await loginAs(a, { role: 'admin' });
    const user = await loginAs(b, { org: admin.org });
    const created = await a.app.inject({
      method: 'POST',
      url: '/api/admin/ai-providers',
      headers: admin.headers,
      payload: { id: 'lab', name: 'Lab vLLM', type: 'openai-compatible', baseUrl: 'https://vllm.example.com/v1', models: ['m1'] },
    });
    expect(created.statusCode).toBe(201);
    // The invalidation travels over Valkey pub/sub; B serves the new list as soon as it lands (TTL is 5 min).
    await expect.poll(() => modelIds(b!), { timeout: 5_000, interval: 20 }).toContain('lab:m1');
    expect((await b.app.models.resolve('lab:m1')).info).toMatchObject({ providerId: 'lab', model: 'm1' });

    const disabled = await a.app.inject({
      method: 'PATCH',
      url: '/api/admin/ai-providers/lab',
      headers: admin.headers,
      payload: { enabled: false },
    });
    expect(disabled.statusCode).toBe(200);
    await expect.poll(() => modelIds(b!), { timeout: 5_000, interval: 20 }).not.toContain('lab:m1');
    const chat = await b.app.inject({
      method: 'POST',
      url: '/api/chat',
      headers: user.headers,
      payload: { message: { id: 'u1', role: 'user', parts: [{ type: 'text', text: 'hi' }] }, model: 'lab:m1' },
    });
    expect(chat.statusCode).toBe(400);
    expect(chat.json().message).toMatch(/^model: /);

    expect((await a.app.inject({ method: 'DELETE', url: '/api/admin/ai-providers/lab', headers: admin.headers })).statusCode).toBe(204);
    await expect.poll(() => modelIds(b!), { timeout: 5_000, interval: 20 }).toEqual(await modelIds(a));
  });
});
