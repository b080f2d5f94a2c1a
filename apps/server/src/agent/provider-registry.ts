import type { LanguageModelV4 } from '@ai-sdk/provider';
import { createAnthropic } from '@ai-sdk/anthropic';
import { createAzure } from '@ai-sdk/azure';
import { createGoogleGenerativeAI } from '@ai-sdk/google';
import { createOpenAI } from '@ai-sdk/openai';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import { generateText } from 'ai';
import { LRUCache } from 'lru-cache';
import { BadRequest, NotFound } from '../errors.ts';
import type { ProviderRow } from '../modules/ai-providers/ai-providers.repository.ts';
import type { ModelInfo } from '../modules/ai-providers/ai-providers.schemas.ts';
import type { ProviderType } from '../modules/ai-providers/ai-providers.tables.ts';
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

/** What a client is built from: a stored provider row, or the unsaved form of an admin's live test. */
export interface ProviderSpec {
  id: string;
  type: ProviderType;
  baseUrl: string | null;
  region: string | null;
  apiKey: string | null;
  options: Record<string, string>;
}

/** Builds the AI SDK model factory of one provider (no network until a model is called). */
export function buildClient(
  spec: ProviderSpec,
  deps: { offline: () => LanguageModelV4; fetch?: typeof fetch },
): (model: string) => LanguageModelV4 {
  const apiKey = spec.apiKey ?? undefined;
  const f = deps.fetch;
  const common = { ...(apiKey ? { apiKey } : {}), ...(f ? { fetch: f } : {}) };
  const opts = spec.options;
  const baseURL = spec.baseUrl ? { baseURL: spec.baseUrl } : {};
  switch (spec.type) {
    case 'openai':
      return createOpenAI({ ...common, ...baseURL }).chat;
    case 'anthropic':
      return createAnthropic({ ...common, ...baseURL });
    case 'google':
      return createGoogleGenerativeAI({ ...common, ...baseURL });
    case 'azure':
      return createAzure({ ...common, ...(opts.resourceName ? { resourceName: opts.resourceName } : {}), ...baseURL }).chat;
    case 'openai-compatible':
      return createOpenAICompatible({ name: spec.id, baseURL: spec.baseUrl ?? '', ...common }).chatModel;
    case 'oci': {
      const auth: OciAuth =
        opts.auth === 'instance'
          ? { kind: 'instance' }
          : opts.auth === 'resource'
            ? { kind: 'resource' }
            : { kind: 'config', ...(opts.configFile ? { file: opts.configFile } : {}), ...(opts.profile ? { profile: opts.profile } : {}) };
      const signed = apiKey ? f : createOciSigningFetch(auth, f ?? fetch);
      return createOpenAICompatible({
        name: 'oci-genai',
        baseURL: spec.baseUrl ?? ociGenAiBaseUrl(spec.region ?? 'us-chicago-1'),
        ...(apiKey ? { apiKey } : {}),
        ...(signed ? { fetch: signed } : {}),
        ...(opts.compartmentId ? { headers: { 'opc-compartment-id': opts.compartmentId } } : {}),
      }).chatModel;
    }
    case 'offline':
      return () => deps.offline();
  }
}

/** The answer of a live connection test. */
export interface ConnectionTest {
  ok: boolean;
  message: string;
  checked: 'live';
  latencyMs: number;
}

/**
 * Asks the model for a one-word reply with a deadline: proves the URL, the credentials and the
 * model name together. The message never contains the API key.
 */
export async function testConnection(
  spec: ProviderSpec,
  model: string,
  deps: { offline: () => LanguageModelV4; fetch?: typeof fetch; timeoutMs?: number },
): Promise<ConnectionTest> {
  const started = performance.now();
  const latency = () => Math.round(performance.now() - started);
  try {
    const { text } = await generateText({
      model: buildClient(spec, deps)(model),
      prompt: 'Reply with the single word OK.',
      maxOutputTokens: 16,
      maxRetries: 0,
      abortSignal: AbortSignal.timeout(deps.timeoutMs ?? 15_000),
    });
    const reply = text.trim().slice(0, 60);
    return {
      ok: true,
      message: `Connected: ${model} answered${reply ? ` "${reply}"` : ''} in ${latency()} ms`,
      checked: 'live',
      latencyMs: latency(),
    };
  } catch (err) {
    let message = err instanceof Error ? err.message : String(err);
    if (spec.apiKey) message = message.split(spec.apiKey).join('***');
    return { ok: false, message: `Could not use ${model}: ${message.slice(0, 300)}`, checked: 'live', latencyMs: latency() };
  }
}

/**
 * Resolves `providerId:model` to an AI SDK model: the model the user picked is the model used.
 * Only enabled models resolve (the list comes from the cache — no DB query when warm); built
 * provider clients are kept in a bounded LRU keyed by provider id and its last update.
 */
export function createProviderRegistry(deps: ProviderRegistryDeps) {
  const clients = new LRUCache<string, (model: string) => LanguageModelV4>({ max: 100 });
  const clientDeps = { offline: deps.offline, ...(deps.fetch ? { fetch: deps.fetch } : {}) };

  function clientFor(row: ProviderRow): (model: string) => LanguageModelV4 {
    const key = `${row.id}@${new Date(row.updated_at).getTime()}`;
    const hit = clients.get(key);
    if (hit) return hit;
    const make = buildClient(
      {
        id: row.id,
        type: row.type,
        baseUrl: row.base_url,
        region: row.region,
        apiKey: deps.providers.apiKeyOf(row) ?? null,
        options: row.options as Record<string, string>,
      },
      clientDeps,
    );
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

    /** Live test of an unsaved provider (the admin form's "Test" button, the setup wizard). */
    test(spec: ProviderSpec, model: string): Promise<ConnectionTest> {
      return testConnection(spec, model, clientDeps);
    },

    /** Live test of a saved provider with its stored key; `model` defaults to its default model. */
    async testStored(id: string, model?: string): Promise<ConnectionTest> {
      const row = await deps.providers.providerRow(id);
      if (!row) throw new NotFound(`AI provider ${id}`);
      const chosen = model ?? row.default_model ?? row.models[0];
      if (!chosen) throw new BadRequest('model: the provider lists no models; name one to test');
      const spec: ProviderSpec = {
        id: row.id,
        type: row.type,
        baseUrl: row.base_url,
        region: row.region,
        apiKey: deps.providers.apiKeyOf(row),
        options: row.options as Record<string, string>,
      };
      return testConnection(spec, chosen, clientDeps);
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
