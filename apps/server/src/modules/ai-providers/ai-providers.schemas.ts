import { z } from 'zod';
import { PROVIDER_TYPES } from './ai-providers.tables.ts';

const modelId = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[\w.:/@-]+$/, 'letters, digits and . : / @ - _ only');

/** Body of POST /api/admin/ai-providers. */
export const createProviderBody = z.strictObject({
  id: z
    .string()
    .min(2)
    .max(40)
    .regex(/^[a-z][a-z0-9-]*$/, 'lowercase letters, digits and dashes, starting with a letter'),
  name: z.string().min(1).max(100),
  type: z.enum(PROVIDER_TYPES),
  baseUrl: z.string().url().max(500).nullish(),
  region: z.string().min(1).max(50).nullish(),
  apiKey: z.string().min(1).max(4000).nullish(),
  models: z.array(modelId).max(100).default([]),
  defaultModel: modelId.nullish(),
  options: z.record(z.string().max(100), z.string().max(500)).default({}),
  enabled: z.boolean().default(true),
});
export type CreateProviderInput = z.infer<typeof createProviderBody>;

/** Body of PATCH /api/admin/ai-providers/:id (the API key: omit to keep, null to clear). */
export const updateProviderBody = createProviderBody.omit({ id: true, type: true }).partial();
export type UpdateProviderInput = z.infer<typeof updateProviderBody>;

/** A provider as the API shows it: never the key, only whether one is stored. */
export const providerView = z.object({
  id: z.string(),
  name: z.string(),
  type: z.enum(PROVIDER_TYPES),
  baseUrl: z.string().nullable(),
  region: z.string().nullable(),
  hasApiKey: z.boolean(),
  models: z.array(z.string()),
  defaultModel: z.string().nullable(),
  options: z.record(z.string(), z.unknown()),
  enabled: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type ProviderView = z.infer<typeof providerView>;

/** One selectable model in GET /api/models. */
export const modelInfo = z.object({
  id: z.string().describe('providerId:model — what POST /api/chat takes as `model`'),
  providerId: z.string(),
  providerName: z.string(),
  type: z.enum(PROVIDER_TYPES),
  model: z.string(),
  label: z.string(),
  offline: z.boolean(),
  default: z.boolean(),
});
export type ModelInfo = z.infer<typeof modelInfo>;

/** Body of POST /api/admin/ai-providers/test: an unsaved provider and the model to try. */
export const testProviderBody = z.strictObject({
  type: z.enum(PROVIDER_TYPES),
  baseUrl: z.string().url().max(500).nullish(),
  region: z.string().min(1).max(50).nullish(),
  apiKey: z.string().min(1).max(4000).nullish(),
  options: z.record(z.string().max(100), z.string().max(500)).default({}),
  model: modelId,
});
export type TestProviderInput = z.infer<typeof testProviderBody>;

/** Body of POST /api/admin/ai-providers/:id/test: the model to try (default: the provider's default). */
export const testStoredProviderBody = z.strictObject({ model: modelId.optional() });

/** A live connection test's answer (never contains the key). */
export const connectionTestView = z.object({ ok: z.boolean(), message: z.string(), checked: z.literal('live'), latencyMs: z.number() });
