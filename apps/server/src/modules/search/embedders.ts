import { createHash } from 'node:crypto';
import { embedMany, type EmbeddingModel } from 'ai';
import { createAzure } from '@ai-sdk/azure';
import { createGoogleGenerativeAI } from '@ai-sdk/google';
import { createOpenAI } from '@ai-sdk/openai';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import { LRUCache } from 'lru-cache';
import type { ProviderRow } from '../ai-providers/ai-providers.repository.ts';
import type { AiProvidersService } from '../ai-providers/ai-providers.service.ts';
import { localEmbedder, type Embedder } from './embedder.ts';

/** Texts per embedding call to a provider. */
const PROVIDER_BATCH = 96;

/**
 * The vector index an embedder's vectors live in: one per embedder, since vectors of different
 * models (or dimensions) never compare. `s_<slug>` while it fits the index-name rule, else a hash.
 */
export function indexNameFor(embedder: Pick<Embedder, 'id'>): string {
  const slug = embedder.id
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_|_$/g, '');
  if (slug.length > 0 && slug.length <= 38) return `s_${slug}`;
  return `s_${createHash('sha256').update(embedder.id).digest('hex').slice(0, 32)}`;
}

/** An embedding model of a provider row, or null when its type has none we can build. */
export function embeddingModelOf(row: ProviderRow, apiKey: string | null, modelId: string, f?: typeof fetch): EmbeddingModel | null {
  const common = { ...(apiKey ? { apiKey } : {}), ...(f ? { fetch: f } : {}) };
  const base = row.base_url ? { baseURL: row.base_url } : {};
  const opts = row.options as Record<string, string>;
  switch (row.type) {
    case 'openai':
      return createOpenAI({ ...common, ...base }).embeddingModel(modelId);
    case 'google':
      return createGoogleGenerativeAI({ ...common, ...base }).embeddingModel(modelId);
    case 'azure':
      return createAzure({ ...common, ...base, ...(opts.resourceName ? { resourceName: opts.resourceName } : {}) }).embeddingModel(modelId);
    case 'openai-compatible':
      return createOpenAICompatible({ name: row.id, baseURL: row.base_url ?? '', ...common }).embeddingModel(modelId);
    default:
      // OCI (signed requests) and Anthropic (no embeddings API) fall back to the local embedder.
      return null;
  }
}

/** Wraps an AI SDK embedding model as an Embedder (batched `embedMany`; the dimension is probed once when not configured). */
export async function providerEmbedder(id: string, model: EmbeddingModel, dimension?: number): Promise<Embedder> {
  const embed = async (texts: readonly string[]): Promise<number[][]> => {
    const out: number[][] = [];
    for (let i = 0; i < texts.length; i += PROVIDER_BATCH) {
      const r = await embedMany({ model, values: texts.slice(i, i + PROVIDER_BATCH), maxRetries: 2 });
      out.push(...r.embeddings);
    }
    return out;
  };
  const dim = dimension ?? (await embed(['dimension probe']))[0]!.length;
  return { id, dimension: dim, embed };
}

export interface EmbedderResolverDeps {
  providers: Pick<AiProvidersService, 'enabledModels' | 'providerRow' | 'apiKeyOf'>;
  fetch?: typeof fetch;
}

/**
 * Picks the embedder: the first enabled provider whose options name an `embeddingModel` (and,
 * optionally, `embeddingDimensions`) and whose type can embed; else the built-in local embedder.
 * Provider lookups go through the providers' cache; built embedders are kept in a bounded LRU
 * keyed by the provider row's update time, so an admin change takes effect on the next call.
 */
export function createEmbedderResolver(deps: EmbedderResolverDeps) {
  const built = new LRUCache<string, Promise<Embedder>>({ max: 20 });
  return {
    async current(): Promise<Embedder> {
      const models = await deps.providers.enabledModels();
      for (const providerId of new Set(models.filter((m) => !m.offline).map((m) => m.providerId))) {
        const row = await deps.providers.providerRow(providerId);
        const modelId = (row?.options as Record<string, unknown> | undefined)?.embeddingModel;
        if (!row || !row.enabled || typeof modelId !== 'string' || !modelId) continue;
        const key = `${row.id}@${new Date(row.updated_at).getTime()}`;
        let hit = built.get(key);
        if (!hit) {
          const model = embeddingModelOf(row, deps.providers.apiKeyOf(row), modelId, deps.fetch);
          if (!model) continue;
          const dims = Number((row.options as Record<string, unknown>).embeddingDimensions);
          hit = providerEmbedder(`${row.id}:${modelId}`, model, Number.isInteger(dims) && dims > 0 ? dims : undefined);
          hit.catch(() => built.delete(key));
          built.set(key, hit);
        }
        return hit;
      }
      return localEmbedder;
    },
    size: () => built.size,
  };
}

export type EmbedderResolver = ReturnType<typeof createEmbedderResolver>;
