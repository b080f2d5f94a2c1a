import fp from 'fastify-plugin';
import { z } from 'zod';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';

const readySchema = z.object({
  status: z.enum(['ready', 'not_ready', 'draining']),
  database: z.object({
    kind: z.enum(['pglite', 'postgres']),
    ok: z.boolean(),
    latencyMs: z.number().nullable(),
    error: z.string().nullable(),
  }),
  cache: z.enum(['memory', 'valkey']),
  events: z.enum(['memory', 'valkey']),
  jobs: z.object({ started: z.boolean(), workers: z.boolean() }),
  vector: z.boolean(),
});

/**
 * `/healthz`: liveness — 200 while the process runs, whatever the database does.
 * `/readyz`: readiness — a database ping with a 2 s timeout; 503 while unreachable or draining.
 * Neither touches the rate limiter's layer 2 or auth.
 */
export default fp(
  async (app) => {
    const r = app.withTypeProvider<ZodTypeProvider>();
    r.get(
      '/healthz',
      { config: { public: true, rateLimit: false }, schema: { hide: true, response: { 200: z.object({ status: z.literal('ok') }) } } },
      async () => ({ status: 'ok' as const }),
    );
    r.get(
      '/readyz',
      { config: { public: true, rateLimit: false }, schema: { hide: true, response: { 200: readySchema, 503: readySchema } } },
      async (_req, reply) => {
        let ok = false;
        let latencyMs: number | null = null;
        let error: string | null = null;
        if (app.database.ready) {
          const t0 = performance.now();
          try {
            await app.database.ping(2000);
            ok = true;
            latencyMs = Math.round((performance.now() - t0) * 10) / 10;
          } catch (err) {
            error = err instanceof Error ? err.message : 'ping failed';
          }
        } else {
          error = app.database.lastError ?? 'connecting';
        }
        const status = app.lifecycle.draining ? 'draining' : ok ? 'ready' : 'not_ready';
        reply.code(status === 'ready' ? 200 : 503);
        return {
          status,
          database: { kind: app.database.kind, ok, latencyMs, error },
          cache: app.cache.mode,
          events: app.events.mode,
          jobs: { started: app.jobs.started, workers: app.jobs.workersEnabled },
          vector: app.database.vectorAvailable,
        } as const;
      },
    );
  },
  { name: 'health', dependencies: ['db', 'cache', 'events', 'jobs', 'lifecycle'] },
);
