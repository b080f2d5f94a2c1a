import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateText } from 'ai';
import { MockLanguageModelV4 } from 'ai/test';
import type { Actor } from '@cloudnow/shared';
import { countQueries } from '../../db/query-counter.ts';
import { buildTestApp, TEST_SECRET, type TestApp } from '../../../test/harness.ts';
import { createSecretBox } from '../../lib/crypto.ts';
import { parseConfig } from '../../config.ts';
import { createProviderRegistry } from '../../agent/provider-registry.ts';
import { createAiProvidersService } from './ai-providers.service.ts';

async function until(check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 100 && !(await check()); i++) await new Promise((r) => setTimeout(r, 50));
}

const admin: Actor = { userId: 'u-admin', orgId: 'o-1', role: 'admin', permissions: ['admin:all'], via: 'session' };
let t: TestApp;
let service: ReturnType<typeof createAiProvidersService>;
const audit: unknown[] = [];

beforeAll(async () => {
  // The module seeds on boot (offline + OpenAI from this env); the test's service shares its database.
  t = await buildTestApp({ env: { OPENAI_API_KEY: 'sk-test-000000000000000000000' } });
  service = createAiProvidersService({
    db: () => t.app.db,
    cache: t.app.cache,
    box: createSecretBox(TEST_SECRET),
    audit: async (_a, c) => void audit.push(c),
  });
});
afterAll(async () => t.close());

describe('AI providers', () => {
  it('seeds the offline model and env providers on first boot only', async () => {
    const config = parseConfig({ OPENAI_API_KEY: 'sk-test-000000000000000000000', ANTHROPIC_API_KEY: 'sk-ant-000000000000000' });
    await until(async () => (await t.db.selectFrom('ai_providers').select('id').execute()).length === 2);
    expect(await service.seed(config)).toBe(0);
    expect((await t.db.selectFrom('ai_providers').select('id').orderBy('id').execute()).map((r) => r.id)).toEqual(['offline', 'openai']);
    const models = await service.enabledModels();
    const offline = models.find((m) => m.id === 'offline:offline');
    expect(offline).toMatchObject({ offline: true, label: 'Offline model (built-in)' });
    expect(models.some((m) => m.id === 'openai:gpt-4.1')).toBe(true);
    const row = await t.db.selectFrom('ai_providers').select('api_key_sealed').where('id', '=', 'openai').executeTakeFirstOrThrow();
    expect(row.api_key_sealed).not.toContain('sk-test');
  });

  it('answers the enabled model list with 0 DB queries when warm', async () => {
    await service.enabledModels();
    const warm = await countQueries(() => service.enabledModels());
    expect(warm.total).toBe(0);
    expect(warm.result.length).toBeGreaterThan(0);
  });

  it('invalidates the model list on create, update and delete', async () => {
    await service.enabledModels();
    const created = await service.create(admin, {
      id: 'ollama',
      name: 'Ollama',
      type: 'openai-compatible',
      baseUrl: 'http://127.0.0.1:11434/v1',
      apiKey: 'secret-key-123',
      models: ['llama3.1', 'qwen2.5'],
      defaultModel: 'qwen2.5',
      options: {},
      enabled: true,
    });
    expect(created).toMatchObject({ hasApiKey: true, defaultModel: 'qwen2.5' });
    expect(JSON.stringify(created)).not.toContain('secret-key-123');
    expect((await service.enabledModels()).filter((m) => m.providerId === 'ollama').map((m) => m.id)).toEqual([
      'ollama:llama3.1',
      'ollama:qwen2.5',
    ]);
    await service.update(admin, 'ollama', { enabled: false });
    expect((await service.enabledModels()).some((m) => m.providerId === 'ollama')).toBe(false);
    await service.update(admin, 'ollama', { enabled: true, models: ['llama3.1'], defaultModel: 'llama3.1' });
    expect((await service.enabledModels()).filter((m) => m.providerId === 'ollama').map((m) => m.id)).toEqual(['ollama:llama3.1']);
    await service.remove(admin, 'ollama');
    expect((await service.enabledModels()).some((m) => m.providerId === 'ollama')).toBe(false);
    expect(JSON.stringify(audit)).not.toContain('secret-key-123');
    expect(audit.map((a) => (a as { action: string }).action)).toEqual([
      'ai_provider.created',
      'ai_provider.updated',
      'ai_provider.updated',
      'ai_provider.deleted',
    ]);
  });

  it('rejects bad input naming the field, and duplicate ids', async () => {
    await expect(
      service.create(admin, { id: 'x1', name: 'X', type: 'openai-compatible', models: [], options: {}, enabled: true }),
    ).rejects.toThrow(/baseUrl/);
    await expect(
      service.create(admin, { id: 'x2', name: 'X', type: 'openai', models: ['a'], defaultModel: 'b', options: {}, enabled: true }),
    ).rejects.toThrow(/defaultModel/);
    await expect(
      service.create(admin, { id: 'openai', name: 'Dup', type: 'openai', models: [], options: {}, enabled: true }),
    ).rejects.toMatchObject({ statusCode: 409 });
    await expect(service.remove(admin, 'offline')).rejects.toMatchObject({ statusCode: 400 });
    expect((await service.list({ limit: 50, offset: 0 })).items.map((p) => p.id).sort()).toEqual(['offline', 'openai']);
  });
});

describe('provider registry', () => {
  let server: Server;
  const seen: Array<{ auth: string | undefined; body: { model: string } }> = [];
  beforeAll(async () => {
    server = createServer((req, res) => {
      let raw = '';
      req.on('data', (c: Buffer) => (raw += c.toString()));
      req.on('end', () => {
        seen.push({ auth: req.headers.authorization, body: JSON.parse(raw) as { model: string } });
        res.setHeader('content-type', 'application/json');
        res.end(
          JSON.stringify({
            id: 'c1',
            object: 'chat.completion',
            created: 0,
            model: 'whatever',
            choices: [{ index: 0, message: { role: 'assistant', content: 'hello from the stand-in' }, finish_reason: 'stop' }],
            usage: { prompt_tokens: 1, completion_tokens: 4, total_tokens: 5 },
          }),
        );
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('uses the model the user picked, with the provider key', async () => {
    const port = (server.address() as AddressInfo).port;
    await service.create(admin, {
      id: 'vllm',
      name: 'vLLM',
      type: 'openai-compatible',
      baseUrl: `http://127.0.0.1:${port}/v1`,
      apiKey: 'vllm-key-42',
      models: ['big-model', 'small-model'],
      options: {},
      enabled: true,
    });
    const offline = new MockLanguageModelV4({ modelId: 'offline' });
    const registry = createProviderRegistry({ providers: service, offline: () => offline });
    const { model, info } = await registry.resolve('vllm:small-model');
    expect(info).toMatchObject({ providerId: 'vllm', model: 'small-model', offline: false });
    const out = await generateText({ model, prompt: 'hi' });
    expect(out.text).toBe('hello from the stand-in');
    expect(seen.at(-1)).toEqual({ auth: 'Bearer vllm-key-42', body: expect.objectContaining({ model: 'small-model' }) });
    expect((await registry.resolve('offline:offline')).model).toBe(offline);
  });

  it('refuses unknown and disabled models with a 400 naming `model`', async () => {
    const registry = createProviderRegistry({ providers: service, offline: () => new MockLanguageModelV4() });
    await expect(registry.resolve('nope:nothing')).rejects.toMatchObject({ statusCode: 400, message: expect.stringMatching(/^model:/) });
    await service.update(admin, 'vllm', { enabled: false });
    await expect(registry.resolve('vllm:big-model')).rejects.toMatchObject({ statusCode: 400 });
  });
});
