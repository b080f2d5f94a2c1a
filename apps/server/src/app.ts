import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyInstance, type FastifyPluginAsync, type FastifyServerOptions } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { Config } from './config.ts';
import type { DatabaseSettings } from './db/database.ts';
import './plugins/route-config.ts';
import lifecyclePlugin from './plugins/lifecycle.ts';
import securityPlugin from './plugins/security.ts';
import rateLimitPlugin from './plugins/rate-limit.ts';
import errorsPlugin from './plugins/errors.ts';
import pressurePlugin from './plugins/pressure.ts';
import dbPlugin from './plugins/db.ts';
import valkeyPlugin from './plugins/valkey.ts';
import eventsPlugin from './plugins/events.ts';
import cachePlugin from './plugins/cache.ts';
import jobsPlugin from './plugins/jobs.ts';
import metricsPlugin from './plugins/metrics.ts';
import openapiPlugin from './plugins/openapi.ts';
import healthPlugin from './plugins/health.ts';
import webPlugin from './plugins/web.ts';
import settingsPlugin from './modules/settings/settings.plugin.ts';
import authPlugin from './plugins/auth.ts';
import { registerModules } from './modules/index.ts';

/** The portal version (OpenAPI document, /readyz). */
export const VERSION = '0.1.0';

/** What `buildApp` needs besides the config; tests and the CLI pass these. */
export interface AppOptions {
  /** The resolved secret (see `resolveSecret`). */
  secret: string;
  /** Overrides the database from config (tests hand in a cloned PGlite or a per-file database). */
  database?: DatabaseSettings;
  /** Run job workers in this process. Default: config.runWorker. */
  workers?: boolean;
  /** pino options or `false`; default: JSON logs at config.logLevel. */
  logger?: FastifyServerOptions['logger'];
  /** Where the built web app lives (default apps/web/dist). */
  webDist?: string;
  /** Event-bus listener cap (default 1000). */
  listenerCap?: number;
  /** Backoff of the background database connect loop (defaults: 500 ms doubling to 30 s). */
  dbRetry?: { initialDelayMs?: number; maxDelayMs?: number };
  /** Extra plugins registered after the modules and before the web app (tests add routes here). */
  plugins?: ReadonlyArray<FastifyPluginAsync>;
}

/**
 * Builds the Fastify app: plugins in a fixed order (their onClose hooks run in reverse, so jobs
 * stop first and the database closes last), then the domain modules, then the web app. Never
 * listens; `main.ts` does.
 */
export async function buildApp(config: Config, options: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger ?? {
      level: config.logLevel,
      redact: {
        paths: ['req.headers.authorization', 'req.headers.cookie', 'req.headers["x-api-key"]', '*.password', '*.apiKey', '*.secret'],
        censor: '[redacted]',
      },
    },
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && /^[\w.-]{1,100}$/.test(given) ? given : randomUUID();
    },
    trustProxy: config.trustProxy,
    bodyLimit: 2 * 1024 * 1024,
    forceCloseConnections: 'idle',
    // While draining, a request on an already-open keep-alive connection is still served (with
    // `Connection: close`) instead of Fastify's bare 503: in-flight clients finish cleanly and a
    // load balancer probing /readyz on its connection reads our 503 `draining`.
    return503OnClosing: false,
    pluginTimeout: 120_000,
    ajv: { customOptions: { coerceTypes: true } },
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.addHook('onRequest', async (req, reply) => {
    reply.header('x-request-id', req.id);
  });

  await app.register(dbPlugin, {
    settings: options.database ?? config.database,
    migrate: config.migrateOnStart,
    initialDelayMs: options.dbRetry?.initialDelayMs,
    maxDelayMs: options.dbRetry?.maxDelayMs,
  });
  await app.register(valkeyPlugin, { url: config.valkey?.url ?? null, prefix: config.valkey?.prefix ?? 'cloudnow:' });
  await app.register(eventsPlugin, {
    valkey: app.valkey,
    ...(options.listenerCap ? { cap: options.listenerCap } : {}),
  });
  await app.register(cachePlugin, { valkey: app.valkey?.pub.client ?? null, prefix: app.valkey?.prefix ?? 'cloudnow:' });
  await app.register(jobsPlugin, { workersEnabled: options.workers ?? config.runWorker });
  await app.register(lifecyclePlugin);
  await app.register(securityPlugin, { corsOrigins: config.corsOrigins, cookieSecret: options.secret });
  await app.register(rateLimitPlugin, { perIpPerMinute: config.rateLimitPerIp });
  await app.register(errorsPlugin);
  await app.register(pressurePlugin, config.pressure);
  await app.register(settingsPlugin);
  await app.register(authPlugin, { secret: options.secret, publicUrl: config.publicUrl, trustedOrigins: config.corsOrigins });
  await app.register(metricsPlugin, { token: config.metricsToken });
  await app.register(openapiPlugin, { docs: config.apiDocs, version: VERSION });
  await app.register(healthPlugin);
  await registerModules(app, { config, secret: options.secret });
  for (const plugin of options.plugins ?? []) await app.register(plugin);
  await app.register(webPlugin, options.webDist ? { distDir: options.webDist } : {});
  return app;
}
