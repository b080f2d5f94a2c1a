import { z } from 'zod';

/**
 * The whole environment CloudNow reads, in one schema. `loadConfig()` parses it once and freezes
 * the result; nothing else in the server reads `process.env`. Every variable is documented here
 * and in the README's configuration table (kept in step by `config.test.ts`).
 */

const bool = z.enum(['true', 'false', '1', '0', 'yes', 'no']).transform((v) => v === 'true' || v === '1' || v === 'yes');

const seconds = z.coerce.number().int().nonnegative();

/** The environment schema: every variable CloudNow reads (README's configuration table lists them all). */
export const envSchema = z.object({
  /** TCP port the HTTP server listens on. */
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /** Interface to bind. Defaults to 127.0.0.1 embedded; the container image sets 0.0.0.0. */
  HOST: z.string().min(1).optional(),
  /** Where the embedded database, the generated secret and uploads live. */
  CLOUDNOW_DATA_DIR: z.string().min(1).default('./.cloudnow'),
  /** PostgreSQL connection string. Unset: the embedded PGlite database in CLOUDNOW_DATA_DIR/pgdata. */
  DATABASE_URL: z.string().url().optional(),
  /** Minimum pooled PostgreSQL connections. */
  DATABASE_POOL_MIN: z.coerce.number().int().min(0).default(2),
  /** Maximum pooled PostgreSQL connections. */
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).default(10),
  /** Seconds an idle pooled connection is kept. */
  DATABASE_POOL_IDLE_SECONDS: seconds.default(30),
  /** Valkey/Redis URL for cache, pub/sub and rate-limit counters. Unset: in-process. */
  VALKEY_URL: z.string().url().optional(),
  /** Key prefix in Valkey, so several deployments can share one server. */
  VALKEY_PREFIX: z.string().default('cloudnow:'),
  /** Encryption and auth secret (≥ 32 chars). Required with DATABASE_URL; generated embedded. */
  CLOUDNOW_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  /** pino log level. */
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Public URL of the portal (used in links and OAuth callbacks). Default http://localhost:PORT. */
  PUBLIC_URL: z.string().url().optional(),
  /** Comma-separated origins allowed by CORS. Default: PUBLIC_URL only. */
  CORS_ORIGINS: z.string().optional(),
  /** Run the job workers inside `serve` (workflow steps, deliveries, scans). */
  CLOUDNOW_RUN_WORKER: bool.default(true),
  /** Run migrations when the server starts. */
  CLOUDNOW_MIGRATE_ON_START: bool.default(true),
  /** Seconds a SIGTERM waits for in-flight requests and streams before closing anyway. */
  SHUTDOWN_TIMEOUT_SECONDS: seconds.default(30),
  /** Seconds a SIGTERM keeps accepting after /readyz turned 503, so a load balancer can notice. */
  SHUTDOWN_DRAIN_DELAY_SECONDS: seconds.default(0),
  /** Bearer token for /metrics. Unset: /metrics answers loopback clients only. */
  METRICS_TOKEN: z.string().min(16).optional(),
  /**
   * Which peers may set X-Forwarded-For (the client IP for rate limits and logs): `true`, `false`,
   * or a comma-separated list of addresses, CIDRs and the names loopback/linklocal/uniquelocal.
   */
  TRUST_PROXY: z.string().min(1).default('loopback,linklocal,uniquelocal'),
  /** Layer-1 rate limit: requests per minute per IP, in-process. */
  RATE_LIMIT_PER_IP: z.coerce.number().int().positive().default(600),
  /** under-pressure: maximum event-loop delay (ms) before answering 503; 0 turns the check off. */
  PRESSURE_MAX_EVENT_LOOP_DELAY_MS: z.coerce.number().int().nonnegative().default(1000),
  /** under-pressure: maximum heap used (bytes). */
  PRESSURE_MAX_HEAP_BYTES: z.coerce.number().int().positive().default(1_500_000_000),
  /** under-pressure: maximum RSS (bytes). */
  PRESSURE_MAX_RSS_BYTES: z.coerce.number().int().positive().default(3_000_000_000),
  /** Serve the OpenAPI docs page at /api/docs. */
  API_DOCS_ENABLED: bool.default(true),
  /** Set by the container image: changes the HOST default to 0.0.0.0. */
  CLOUDNOW_CONTAINER: bool.default(false),
  /** Comma-separated hosts webhooks may reach over plain http (exact names; everything else needs https and a public address). */
  WEBHOOK_ALLOW_HTTP_HOSTS: z.string().optional(),
  /** First webhook retry delay in seconds (exponential backoff with jitter, 5 attempts). */
  WEBHOOK_RETRY_DELAY_SECONDS: z.coerce.number().int().min(1).default(10),
  /** Commands an admin may run as stdio MCP servers (comma-separated executable names). */
  MCP_STDIO_COMMANDS: z.string().default('npx,node,uvx,python3'),
  /** Live MCP clients per process at most. */
  MCP_MAX_CLIENTS: z.coerce.number().int().min(1).default(500),
  /** Server-side limit of one chat response in milliseconds; the model call is aborted at this point. */
  CHAT_TIMEOUT_MS: z.coerce.number().int().min(1000).default(120_000),
  /** Largest document (decoded bytes) that may be uploaded for search; larger answers 413. */
  SEARCH_DOCUMENT_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(100 * 1024 * 1024)
    .default(10 * 1024 * 1024),
  /** HNSW candidate list per search query (pgvector `hnsw.ef_search`): higher = better recall, slower. */
  SEARCH_EF_SEARCH: z.coerce.number().int().min(10).max(1000).default(100),
  /** Seeds an OpenAI provider on first boot. */
  OPENAI_API_KEY: z.string().min(1).optional(),
  /** Seeds an Anthropic provider on first boot. */
  ANTHROPIC_API_KEY: z.string().min(1).optional(),
  /** Seeds a Google (Gemini) provider on first boot. */
  GOOGLE_GENERATIVE_AI_API_KEY: z.string().min(1).optional(),
  /** Seeds an Azure OpenAI provider on first boot (with AZURE_OPENAI_RESOURCE_NAME). */
  AZURE_OPENAI_API_KEY: z.string().min(1).optional(),
  /** Azure OpenAI resource name for the seeded provider. */
  AZURE_OPENAI_RESOURCE_NAME: z.string().min(1).optional(),
  /** Seeds an OpenAI-compatible provider (Ollama, vLLM, LM Studio, LiteLLM…) at this base URL. */
  OPENAI_COMPATIBLE_BASE_URL: z.string().url().optional(),
  /** API key for the seeded OpenAI-compatible provider, if it needs one. */
  OPENAI_COMPATIBLE_API_KEY: z.string().min(1).optional(),
  /** Comma-separated model ids for the seeded OpenAI-compatible provider. */
  OPENAI_COMPATIBLE_MODELS: z.string().optional(),
  /** Seeds an OCI Generative AI provider in this region (signed with ~/.oci/config or instance principal). */
  OCI_GENAI_REGION: z.string().min(1).optional(),
  /** Compartment for OCI Generative AI requests. */
  OCI_GENAI_COMPARTMENT_ID: z.string().min(1).optional(),
  /** Which tenancy tools act on: `sandbox` (simulated, per org) or `oci`. Unset: oci when OCI_AUTH or OCI_CONFIG_FILE is set. */
  CLOUDNOW_CLOUD: z.enum(['sandbox', 'oci']).optional(),
  /** OCI authentication: `config` (API key in a config file), `instance` or `resource` principal. */
  OCI_AUTH: z.enum(['config', 'instance', 'resource']).optional(),
  /** OCI config file for `config` auth. Unset: the SDK default ~/.oci/config. */
  OCI_CONFIG_FILE: z.string().min(1).optional(),
  /** Profile of the OCI config file. */
  OCI_PROFILE: z.string().min(1).default('DEFAULT'),
  /** OCI region id (e.g. eu-frankfurt-1). Unset: the region of the config profile or principal. */
  OCI_REGION: z
    .string()
    .regex(/^[a-z]+-[a-z]+-\d+$/, 'must be a region id such as eu-frankfurt-1')
    .optional(),
  /** Compartment OCID tools use when a call names none. Unset: the tenancy (root compartment). */
  OCI_COMPARTMENT_ID: z
    .string()
    .regex(/^ocid1\.(compartment|tenancy)\./, 'must be a compartment or tenancy OCID')
    .optional(),
});

/** The parsed environment. */
export type Env = z.infer<typeof envSchema>;

/** The parsed, frozen configuration every module receives (never `process.env`). */
export interface Config {
  readonly port: number;
  readonly host: string;
  readonly dataDir: string;
  readonly database:
    | { readonly kind: 'pglite'; readonly dataDir: string | null }
    | {
        readonly kind: 'postgres';
        readonly url: string;
        readonly poolMin: number;
        readonly poolMax: number;
        readonly idleSeconds: number;
      };
  readonly valkey: { readonly url: string; readonly prefix: string } | null;
  /** null until `resolveSecret` fills it in (embedded: generated into the data dir). */
  readonly secret: string | null;
  readonly logLevel: Env['LOG_LEVEL'];
  readonly publicUrl: string;
  readonly corsOrigins: readonly string[];
  readonly runWorker: boolean;
  readonly migrateOnStart: boolean;
  readonly shutdownTimeoutMs: number;
  readonly shutdownDrainDelayMs: number;
  readonly metricsToken: string | null;
  readonly rateLimitPerIp: number;
  /** Fastify `trustProxy`: true, false, or the trusted peers. */
  readonly trustProxy: boolean | string;
  readonly pressure: {
    readonly maxEventLoopDelayMs: number;
    readonly maxHeapBytes: number;
    readonly maxRssBytes: number;
  };
  readonly apiDocs: boolean;
  readonly webhooks: { readonly allowHttpHosts: readonly string[]; readonly retryDelaySeconds: number };
  readonly mcp: { readonly stdioCommands: readonly string[]; readonly maxClients: number };
  readonly chat: { readonly timeoutMs: number };
  readonly search: { readonly documentMaxBytes: number; readonly efSearch: number };
  /** The tenancy tools act on: the per-org sandbox, or one OCI tenancy reached through the SDK. */
  readonly cloud:
    | { readonly kind: 'sandbox' }
    | {
        readonly kind: 'oci';
        readonly auth: 'config' | 'instance' | 'resource';
        readonly configFile: string | null;
        readonly profile: string;
        readonly region: string | null;
        readonly compartmentId: string | null;
      };
  /** AI providers to seed on first boot (the offline model is always seeded). */
  readonly providerSeeds: readonly ProviderSeed[];
}

/** An AI provider described by the environment, inserted on first boot only. */
export interface ProviderSeed {
  readonly id: string;
  readonly name: string;
  readonly type: 'oci' | 'openai-compatible' | 'openai' | 'anthropic' | 'google' | 'azure';
  readonly apiKey: string | null;
  readonly baseUrl: string | null;
  readonly region: string | null;
  readonly models: readonly string[];
  readonly options: Readonly<Record<string, string>>;
}

function providerSeeds(e: Env): ProviderSeed[] {
  const seeds: ProviderSeed[] = [];
  const add = (s: Omit<ProviderSeed, 'baseUrl' | 'region' | 'options'> & Partial<ProviderSeed>): void => {
    seeds.push({ baseUrl: null, region: null, options: {}, ...s });
  };
  if (e.OPENAI_API_KEY)
    add({ id: 'openai', name: 'OpenAI', type: 'openai', apiKey: e.OPENAI_API_KEY, models: ['gpt-4.1', 'gpt-4.1-mini'] });
  if (e.ANTHROPIC_API_KEY)
    add({
      id: 'anthropic',
      name: 'Anthropic',
      type: 'anthropic',
      apiKey: e.ANTHROPIC_API_KEY,
      models: ['claude-sonnet-4-5', 'claude-haiku-4-5'],
    });
  if (e.GOOGLE_GENERATIVE_AI_API_KEY)
    add({
      id: 'google',
      name: 'Google',
      type: 'google',
      apiKey: e.GOOGLE_GENERATIVE_AI_API_KEY,
      models: ['gemini-2.5-flash', 'gemini-2.5-pro'],
    });
  if (e.AZURE_OPENAI_API_KEY && e.AZURE_OPENAI_RESOURCE_NAME)
    add({
      id: 'azure',
      name: 'Azure OpenAI',
      type: 'azure',
      apiKey: e.AZURE_OPENAI_API_KEY,
      models: ['gpt-4.1'],
      options: { resourceName: e.AZURE_OPENAI_RESOURCE_NAME },
    });
  if (e.OPENAI_COMPATIBLE_BASE_URL)
    add({
      id: 'local',
      name: 'OpenAI-compatible',
      type: 'openai-compatible',
      apiKey: e.OPENAI_COMPATIBLE_API_KEY ?? null,
      baseUrl: e.OPENAI_COMPATIBLE_BASE_URL,
      models: (e.OPENAI_COMPATIBLE_MODELS ?? 'llama3.1')
        .split(',')
        .map((m) => m.trim())
        .filter(Boolean),
    });
  if (e.OCI_GENAI_REGION)
    add({
      id: 'oci',
      name: 'OCI Generative AI',
      type: 'oci',
      apiKey: null,
      region: e.OCI_GENAI_REGION,
      models: ['meta.llama-3.3-70b-instruct', 'cohere.command-r-plus-08-2024'],
      options: e.OCI_GENAI_COMPARTMENT_ID ? { compartmentId: e.OCI_GENAI_COMPARTMENT_ID } : {},
    });
  return seeds;
}

/** An invalid environment; the message names every bad variable. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Parses an environment into a frozen Config; throws ConfigError naming each bad variable. */
export function parseConfig(env: Record<string, string | undefined>): Config {
  const cleaned = Object.fromEntries(Object.keys(envSchema.shape).map((k) => [k, env[k] === '' ? undefined : env[k]]));
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n  ${lines.join('\n  ')}`);
  }
  const e = parsed.data;
  if (e.DATABASE_URL && !e.CLOUDNOW_SECRET) {
    throw new ConfigError('Invalid configuration:\n  CLOUDNOW_SECRET: required when DATABASE_URL is set');
  }
  const host = e.HOST ?? (e.CLOUDNOW_CONTAINER ? '0.0.0.0' : '127.0.0.1');
  const publicUrl = (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/$/, '');
  const config: Config = {
    port: e.PORT,
    host,
    dataDir: e.CLOUDNOW_DATA_DIR,
    database: e.DATABASE_URL
      ? {
          kind: 'postgres',
          url: e.DATABASE_URL,
          poolMin: e.DATABASE_POOL_MIN,
          poolMax: e.DATABASE_POOL_MAX,
          idleSeconds: e.DATABASE_POOL_IDLE_SECONDS,
        }
      : { kind: 'pglite', dataDir: `${e.CLOUDNOW_DATA_DIR}/pgdata` },
    valkey: e.VALKEY_URL ? { url: e.VALKEY_URL, prefix: e.VALKEY_PREFIX } : null,
    secret: e.CLOUDNOW_SECRET ?? null,
    logLevel: e.LOG_LEVEL,
    publicUrl,
    corsOrigins: e.CORS_ORIGINS
      ? e.CORS_ORIGINS.split(',')
          .map((s) => s.trim())
          .filter(Boolean)
      : [publicUrl],
    runWorker: e.CLOUDNOW_RUN_WORKER,
    migrateOnStart: e.CLOUDNOW_MIGRATE_ON_START,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_SECONDS * 1000,
    shutdownDrainDelayMs: e.SHUTDOWN_DRAIN_DELAY_SECONDS * 1000,
    metricsToken: e.METRICS_TOKEN ?? null,
    rateLimitPerIp: e.RATE_LIMIT_PER_IP,
    trustProxy: e.TRUST_PROXY === 'true' ? true : e.TRUST_PROXY === 'false' ? false : e.TRUST_PROXY,
    pressure: {
      maxEventLoopDelayMs: e.PRESSURE_MAX_EVENT_LOOP_DELAY_MS,
      maxHeapBytes: e.PRESSURE_MAX_HEAP_BYTES,
      maxRssBytes: e.PRESSURE_MAX_RSS_BYTES,
    },
    apiDocs: e.API_DOCS_ENABLED,
    webhooks: {
      allowHttpHosts: (e.WEBHOOK_ALLOW_HTTP_HOSTS ?? '')
        .split(',')
        .map((h) => h.trim().toLowerCase())
        .filter(Boolean),
      retryDelaySeconds: e.WEBHOOK_RETRY_DELAY_SECONDS,
    },
    mcp: {
      stdioCommands: e.MCP_STDIO_COMMANDS.split(',')
        .map((c) => c.trim())
        .filter(Boolean),
      maxClients: e.MCP_MAX_CLIENTS,
    },
    chat: { timeoutMs: e.CHAT_TIMEOUT_MS },
    search: { documentMaxBytes: e.SEARCH_DOCUMENT_MAX_BYTES, efSearch: e.SEARCH_EF_SEARCH },
    providerSeeds: providerSeeds(e),
    cloud:
      (e.CLOUDNOW_CLOUD ?? (e.OCI_AUTH || e.OCI_CONFIG_FILE ? 'oci' : 'sandbox')) === 'oci'
        ? {
            kind: 'oci',
            auth: e.OCI_AUTH ?? 'config',
            configFile: e.OCI_CONFIG_FILE ?? null,
            profile: e.OCI_PROFILE,
            region: e.OCI_REGION ?? null,
            compartmentId: e.OCI_COMPARTMENT_ID ?? null,
          }
        : { kind: 'sandbox' },
  };
  return deepFreeze(config);
}

let loaded: Config | undefined;

/** The process configuration, parsed from `process.env` on first call and cached. */
export function loadConfig(): Config {
  loaded ??= parseConfig(process.env);
  return loaded;
}

/** Returns a frozen copy of `config` with some fields replaced (tests and the CLI use it). */
export function withOverrides(config: Config, overrides: Partial<Config>): Config {
  return deepFreeze({ ...config, ...overrides });
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
