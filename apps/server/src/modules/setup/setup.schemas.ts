import { z } from 'zod';
import { PASSWORD_MAX, PASSWORD_MIN } from '../auth/auth.instance.ts';

/** AI provider types the wizard can configure (every provider type but the built-in offline one). */
export const PROVIDER_TYPES = ['oci', 'openai', 'openai-compatible', 'anthropic', 'google', 'azure'] as const;

export const statusSchema = z.object({
  setupComplete: z.boolean(),
  adminCreated: z.boolean(),
  aiProviderConfigured: z.boolean(),
});

export const detectEnvSchema = z.object({
  database: z.enum(['pglite', 'postgres']),
  vector: z.boolean(),
  cache: z.enum(['memory', 'valkey']),
  publicUrl: z.string(),
  ociConfigFile: z.boolean(),
  nodeVersion: z.string(),
});

export const createAdminBody = z.object({
  email: z.string().trim().max(254).pipe(z.email()),
  password: z.string().min(PASSWORD_MIN).max(PASSWORD_MAX),
  name: z.string().trim().min(1).max(100),
  orgName: z.string().trim().min(1).max(100),
});

export const adminCreatedSchema = z.object({ userId: z.string(), orgId: z.string() });

const baseUrl = z.url({ protocol: /^https?$/ }).max(2000);

export const aiChoiceBody = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('offline') }),
  z.object({
    kind: z.literal('provider'),
    providerType: z.enum(PROVIDER_TYPES),
    baseUrl: baseUrl.nullable().default(null),
    region: z.string().min(1).max(50).nullable().default(null),
    model: z.string().min(1).max(200),
    apiKey: z.string().min(1).max(4000).optional(),
  }),
]);

export const aiTestBody = z.object({
  providerType: z.enum(PROVIDER_TYPES),
  apiKey: z.string().max(4000).optional(),
  baseUrl: baseUrl.optional(),
  region: z.string().min(1).max(50).optional(),
  model: z.string().min(1).max(200),
});

/** `format` when the input could not be tried (a required value missing); `live` after a real call. */
export const aiTestResult = z.object({ ok: z.boolean(), message: z.string(), checked: z.enum(['format', 'live']) });
export const okSchema = z.object({ ok: z.literal(true) });
