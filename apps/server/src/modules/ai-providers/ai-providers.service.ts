import type { Kysely } from 'kysely';
import type { Actor } from '@cloudnow/shared';
import type { Config } from '../../config.ts';
import type { DB } from '../../db/schema.ts';
import { json } from '../../db/schema.ts';
import type { Cache } from '../../plugins/cache.ts';
import type { SecretBox } from '../../lib/crypto.ts';
import { BadRequest, Conflict, NotFound } from '../../errors.ts';
import * as repo from './ai-providers.repository.ts';
import type { ProviderRow } from './ai-providers.repository.ts';
import type { CreateProviderInput, ModelInfo, ProviderView, UpdateProviderInput } from './ai-providers.schemas.ts';

/** An admin change, for the admin audit log (secrets already masked). */
export interface AdminChange {
  action: string;
  target: string;
  from: unknown;
  to: unknown;
}

export interface AiProvidersDeps {
  db: () => Kysely<DB>;
  cache: Pick<Cache, 'getOrFetch' | 'del'>;
  box: Pick<SecretBox, 'seal' | 'open'>;
  audit?: (actor: Actor, change: AdminChange) => Promise<void>;
}

/** The built-in offline model's provider: always present, cannot be deleted. */
export const OFFLINE_PROVIDER_ID = 'offline';
export const OFFLINE_MODEL = 'offline';
const MODELS_TTL = 300;

/** The sealed key is bound to its provider row: it does not open as another provider's key. */
const keyContext = (id: string): string => `ai-provider:${id}:api-key`;

/** Cache keys: the enabled model list, and one sealed provider row per id. */
export const MODELS_KEY = { ns: 'models', key: 'enabled' } as const;

function toView(r: ProviderRow): ProviderView {
  return {
    id: r.id,
    name: r.name,
    type: r.type,
    baseUrl: r.base_url,
    region: r.region,
    hasApiKey: r.api_key_sealed !== null,
    models: r.models,
    defaultModel: r.default_model,
    options: r.options,
    enabled: r.enabled,
    createdAt: new Date(r.created_at).toISOString(),
    updatedAt: new Date(r.updated_at).toISOString(),
  };
}

function modelsOf(rows: readonly ProviderRow[]): ModelInfo[] {
  const out: ModelInfo[] = [];
  for (const p of rows) {
    const models = p.type === 'offline' ? [OFFLINE_MODEL] : p.models;
    for (const m of models) {
      out.push({
        id: `${p.id}:${m}`,
        providerId: p.id,
        providerName: p.name,
        type: p.type,
        model: m,
        label: p.type === 'offline' ? 'Offline model (built-in)' : `${m} · ${p.name}`,
        offline: p.type === 'offline',
        default: (p.default_model ?? models[0]) === m,
      });
    }
  }
  return out;
}

/**
 * AI providers: admin CRUD (keys sealed, never returned), the enabled model list through the cache
 * (5 min TTL; every write invalidates it on every replica), and first-boot seeding from the env.
 */
export function createAiProvidersService(deps: AiProvidersDeps) {
  const invalidate = async (id: string): Promise<void> => {
    await Promise.all([deps.cache.del(MODELS_KEY.ns, MODELS_KEY.key), deps.cache.del('providers', id)]);
  };
  const mask = (v: ProviderView): Omit<ProviderView, 'createdAt' | 'updatedAt'> => {
    const { createdAt: _c, updatedAt: _u, ...rest } = v;
    return rest;
  };
  const checkModels = (models: readonly string[], defaultModel: string | null | undefined): void => {
    if (defaultModel && models.length > 0 && !models.includes(defaultModel)) {
      throw new BadRequest('defaultModel: must be one of models');
    }
  };

  return {
    /** Every enabled model, `providerId:model`; 0 DB queries when the cache is warm. */
    enabledModels(): Promise<ModelInfo[]> {
      return deps.cache.getOrFetch(
        MODELS_KEY.ns,
        MODELS_KEY.key,
        async () => modelsOf(await repo.listEnabledProviders(deps.db())),
        MODELS_TTL,
      );
    },

    /** A provider row (with its sealed key) through the cache, for building a model. */
    providerRow(id: string): Promise<ProviderRow | null> {
      return deps.cache.getOrFetch('providers', id, async () => (await repo.findProvider(deps.db(), id)) ?? null, MODELS_TTL);
    },

    /** Opens a provider's sealed API key (only ever in process, never returned). */
    apiKeyOf(row: Pick<ProviderRow, 'id' | 'api_key_sealed'>): string | null {
      return row.api_key_sealed ? deps.box.open(row.api_key_sealed, keyContext(row.id)) : null;
    },

    async list(page: { limit: number; offset: number }): Promise<{ items: ProviderView[]; total: number }> {
      const r = await repo.listProviders(deps.db(), page);
      return { items: r.items.map(toView), total: r.total };
    },

    async get(id: string): Promise<ProviderView> {
      const row = await repo.findProvider(deps.db(), id);
      if (!row) throw new NotFound(`AI provider ${id}`);
      return toView(row);
    },

    async create(actor: Actor, input: CreateProviderInput): Promise<ProviderView> {
      checkModels(input.models, input.defaultModel);
      if (input.type === 'offline') throw new BadRequest('type: the offline provider is built in');
      if (input.type === 'openai-compatible' && !input.baseUrl) throw new BadRequest('baseUrl: required for openai-compatible providers');
      if (input.type === 'oci' && !input.region) throw new BadRequest('region: required for OCI Generative AI');
      const inserted = await repo.insertProviders(deps.db(), [
        {
          id: input.id,
          name: input.name,
          type: input.type,
          base_url: input.baseUrl ?? null,
          region: input.region ?? null,
          api_key_sealed: input.apiKey ? deps.box.seal(input.apiKey, keyContext(input.id)) : null,
          models: input.models,
          default_model: input.defaultModel ?? null,
          options: json(input.options),
          enabled: input.enabled,
        },
      ]);
      if (inserted === 0) throw new Conflict(`An AI provider with id ${input.id} already exists`);
      const view = await this.get(input.id);
      await invalidate(input.id);
      await deps.audit?.(actor, { action: 'ai_provider.created', target: input.id, from: null, to: mask(view) });
      return view;
    },

    async update(actor: Actor, id: string, input: UpdateProviderInput): Promise<ProviderView> {
      const before = await this.get(id);
      const models = input.models ?? before.models;
      checkModels(models, input.defaultModel === undefined ? before.defaultModel : input.defaultModel);
      const row = await repo.updateProvider(deps.db(), id, {
        ...(input.name !== undefined ? { name: input.name } : {}),
        ...(input.baseUrl !== undefined ? { base_url: input.baseUrl } : {}),
        ...(input.region !== undefined ? { region: input.region } : {}),
        ...(input.apiKey !== undefined
          ? { api_key_sealed: input.apiKey === null ? null : deps.box.seal(input.apiKey, keyContext(id)) }
          : {}),
        ...(input.models !== undefined ? { models: input.models } : {}),
        ...(input.defaultModel !== undefined ? { default_model: input.defaultModel } : {}),
        ...(input.options !== undefined ? { options: json(input.options) } : {}),
        ...(input.enabled !== undefined ? { enabled: input.enabled } : {}),
      });
      if (!row) throw new NotFound(`AI provider ${id}`);
      await invalidate(id);
      const after = toView(row);
      await deps.audit?.(actor, { action: 'ai_provider.updated', target: id, from: mask(before), to: mask(after) });
      return after;
    },

    async remove(actor: Actor, id: string): Promise<void> {
      if (id === OFFLINE_PROVIDER_ID) throw new BadRequest('id: the offline provider cannot be deleted (disable it instead)');
      const before = await this.get(id);
      await repo.deleteProvider(deps.db(), id);
      await invalidate(id);
      await deps.audit?.(actor, { action: 'ai_provider.deleted', target: id, from: mask(before), to: null });
    },

    /** First boot: the offline provider plus any described by the env, in one insert. */
    async seed(config: Pick<Config, 'providerSeeds'>): Promise<number> {
      // Only on first boot: a provider an admin deleted must not come back on restart.
      if ((await repo.listProviders(deps.db(), { limit: 1, offset: 0 })).total > 0) return 0;
      const rows = [
        {
          id: OFFLINE_PROVIDER_ID,
          name: 'Offline model',
          type: 'offline' as const,
          models: [OFFLINE_MODEL],
          default_model: OFFLINE_MODEL,
          seeded_from_env: true,
        },
        ...config.providerSeeds.map((s) => ({
          id: s.id,
          name: s.name,
          type: s.type,
          base_url: s.baseUrl,
          region: s.region,
          api_key_sealed: s.apiKey ? deps.box.seal(s.apiKey, keyContext(s.id)) : null,
          models: [...s.models],
          default_model: s.models[0] ?? null,
          options: json(s.options),
          seeded_from_env: true,
        })),
      ];
      const n = await repo.insertProviders(deps.db(), rows);
      if (n > 0) await deps.cache.del(MODELS_KEY.ns, MODELS_KEY.key);
      return n;
    },
  };
}

export type AiProvidersService = ReturnType<typeof createAiProvidersService>;
