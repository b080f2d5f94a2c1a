import { describe, expect, it } from 'vitest';
import { MockEmbeddingModelV4 } from 'ai/test';
import type { ProviderRow } from '../ai-providers/ai-providers.repository.ts';
import type { ModelInfo } from '../ai-providers/ai-providers.schemas.ts';
import { localEmbedder } from './embedder.ts';
import { createEmbedderResolver, indexNameFor, providerEmbedder } from './embedders.ts';

function row(patch: Partial<ProviderRow>): ProviderRow {
  return {
    id: 'p1',
    name: 'Local vLLM',
    type: 'openai-compatible',
    base_url: 'http://embed.test/v1',
    region: null,
    api_key_sealed: null,
    models: ['llama'],
    default_model: null,
    options: {},
    enabled: true,
    seeded_from_env: false,
    created_at: new Date(0),
    updated_at: new Date(0),
    ...patch,
  };
}

function providers(rows: ProviderRow[]) {
  const models = rows.map((r) => ({ id: `${r.id}:llama`, providerId: r.id, offline: false }) as ModelInfo);
  return {
    enabledModels: async () => models,
    providerRow: async (id: string) => rows.find((r) => r.id === id) ?? null,
    apiKeyOf: () => null,
  };
}

describe('embedders', () => {
  it('names one index per embedder within the index-name rule', () => {
    expect(indexNameFor(localEmbedder)).toBe('s_local_hash_384');
    const long = indexNameFor({ id: 'my-provider-with-a-long-name:text-embedding-3-large-2026' });
    expect(long).toMatch(/^s_[0-9a-f]{32}$/);
  });

  it('falls back to the local embedder when no provider names an embedding model', async () => {
    const r = createEmbedderResolver({ providers: providers([row({})]) });
    expect(await r.current()).toBe(localEmbedder);
  });

  it('uses a provider embedding model through embedMany, batched, and probes its dimension', async () => {
    const model = new MockEmbeddingModelV4({
      maxEmbeddingsPerCall: 1000,
      doEmbed: async ({ values }) => ({ embeddings: values.map((v) => [v.length, 1, 0]), warnings: [] }),
    });
    const e = await providerEmbedder('p:m', model);
    expect(e.dimension).toBe(3);
    const out = await e.embed(Array.from({ length: 200 }, (_, i) => 'x'.repeat(i)));
    expect(out[199]).toEqual([199, 1, 0]);
    // probe + ⌈200/96⌉ calls
    expect(model.doEmbedCalls.length).toBe(4);
  });

  it('builds the configured openai-compatible embedding model of an enabled provider', async () => {
    const calls: string[] = [];
    const fetchStub = (async (url: string | URL | Request, init?: RequestInit) => {
      calls.push(String(url));
      const body = JSON.parse(String(init?.body)) as { input: string[] };
      return new Response(
        JSON.stringify({ data: body.input.map((_, index) => ({ embedding: [0.6, 0.8], index })), usage: { prompt_tokens: 1 } }),
        {
          headers: { 'content-type': 'application/json' },
        },
      );
    }) as typeof fetch;
    const r = createEmbedderResolver({
      providers: providers([row({ options: { embeddingModel: 'bge-small', embeddingDimensions: '2' } })]),
      fetch: fetchStub,
    });
    const e = await r.current();
    expect(e).toMatchObject({ id: 'p1:bge-small', dimension: 2 });
    expect(await e.embed(['hello'])).toEqual([[0.6, 0.8]]);
    expect(calls).toEqual(['http://embed.test/v1/embeddings']);
    expect(await r.current()).toBe(e);
  });
});
