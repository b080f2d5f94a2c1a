import type { LanguageModelV4 } from '@ai-sdk/provider';
import { createAnthropic } from '@ai-sdk/anthropic';
import { createAzure } from '@ai-sdk/azure';
import { createGoogleGenerativeAI } from '@ai-sdk/google';
import { createOpenAI } from '@ai-sdk/openai';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import { LRUCache } from 'lru-cache';
import { BadRequest } from '../errors.ts';
import type { ProviderRow } from '../modules/ai-providers/ai-providers.repository.ts';
import type { ModelInfo } from '../modules/ai-providers/ai-providers.schemas.ts';
import type { AiProvidersService } from '../modules/ai-providers/ai-providers.service.ts';
import { createOciSigningFetch, ociGenAiBaseUrl, type OciAuth } from './oci-signing.ts';

/** A model ready for `streamText`, with what the UI shows about it. */
export interface ResolvedModel {
  model: LanguageModelV4;
  info: ModelInfo;
}

export interface ProviderRegistryDeps {
  providers: Pick<AiProvidersService, 'enabledModels' | 'providerRow' | 'apiKeyOf'>;
  /** The built-in offline model. */
  offline: () => LanguageModelV4;
  /** Outbound fetch (tests inject a local stand-in). */
  fetch?: typeof fetch;
}

/**
 * Resolves `providerId:model` to an AI SDK model: the model the user picked is the model used.
 * Only enabled models resolve (the list comes from the cache — no DB query when warm); built
 * provider clients are kept in a bounded LRU keyed by provider id and its last update.
 */
export function createProviderRegistry(deps: ProviderRegistryDeps) {
  const clients = new LRUCache<string, (model: string) => LanguageModelV4>({ max: 100 });

  function clientFor(row: ProviderRow): (model: string) => LanguageModelV4 {
    const key = `${row.id}@${new Date(row.updated_at).getTime()}`;
    const hit = clients.get(key);
    if (hit) return hit;
    const apiKey = deps.providers.apiKeyOf(row) ?? undefined;
    const f = deps.fetch;
    const common = { ...(apiKey ? { apiKey } : {}), ...(f ? { fetch: f } : {}) };
    const opts = row.options as Record<string, string>;
    let make: (model: string) => LanguageModelV4;
    switch (row.type) {
      case 'openai':
        make = createOpenAI({ ...common, ...(row.base_url ? { baseURL: row.base_url } : {}) }).chat;
        break;
      case 'anthropic':
        make = createAnthropic({ ...common, ...(row.base_url ? { baseURL: row.base_url } : {}) });
        break;
      case 'google':
        make = createGoogleGenerativeAI({ ...common, ...(row.base_url ? { baseURL: row.base_url } : {}) });
        break;
      case 'azure':
        make = createAzure({
          ...common,
          ...(opts.resourceName ? { resourceName: opts.resourceName } : {}),
          ...(row.base_url ? { baseURL: row.base_url } : {}),
        }).chat;
        break;
      case 'openai-compatible':
        make = createOpenAICompatible({ name: row.id, baseURL: row.base_url ?? '', ...common }).chatModel;
        break;
      case 'oci': {
        const auth: OciAuth =
          opts.auth === 'instance'
            ? { kind: 'instance' }
            : opts.auth === 'resource'
              ? { kind: 'resource' }
              : {
                  kind: 'config',
                  ...(opts.configFile ? { file: opts.configFile } : {}),
                  ...(opts.profile ? { profile: opts.profile } : {}),
                };
        const baseURL = row.base_url ?? ociGenAiBaseUrl(row.region ?? 'us-chicago-1');
        const signed = apiKey ? f : createOciSigningFetch(auth, f ?? fetch);
        make = createOpenAICompatible({
          name: 'oci-genai',
          baseURL,
          ...(apiKey ? { apiKey } : {}),
          ...(signed ? { fetch: signed } : {}),
          ...(opts.compartmentId ? { headers: { 'opc-compartment-id': opts.compartmentId } } : {}),
        }).chatModel;
        break;
      }
      case 'offline':
        make = () => deps.offline();
        break;
    }
    clients.set(key, make);
    return make;
  }

  return {
    /** The enabled models (cached). */
    list: () => deps.providers.enabledModels(),

    /** The default model: the flagged default of the first enabled provider, else the offline model. */
    async defaultModelId(): Promise<string> {
      const models = await deps.providers.enabledModels();
      const online = models.find((m) => m.default && !m.offline);
      return (online ?? models.find((m) => m.default) ?? models[0])?.id ?? 'offline:offline';
    },

    /** Resolves a model id; unknown or disabled → 400 naming the field `model`. */
    async resolve(modelId: string): Promise<ResolvedModel> {
      const models = await deps.providers.enabledModels();
      const info = models.find((m) => m.id === modelId);
      if (!info) throw new BadRequest(`model: "${modelId}" is not an enabled model`);
      const row = await deps.providers.providerRow(info.providerId);
      if (!row || !row.enabled) throw new BadRequest(`model: provider "${info.providerId}" is disabled`);
      return { model: clientFor(row)(info.model), info };
    },
  };
}

export type ProviderRegistry = ReturnType<typeof createProviderRegistry>;
