import fp from 'fastify-plugin';
import rateLimit from '@fastify/rate-limit';

/**
 * Layer 1 of rate limiting: a coarse per-IP cap, in process (no network hop, fails open), ahead
 * of everything else. Routes opt out with `config: { rateLimit: false }` (health probes, metrics).
 * Layer 2 — per principal and category, shared across replicas — is the `limits` plugin.
 */
export default fp(
  async (app, opts: { perIpPerMinute: number }) => {
    await app.register(rateLimit, {
      global: true,
      max: opts.perIpPerMinute,
      timeWindow: 60_000,
      skipOnError: true,
      cache: 10_000,
      errorResponseBuilder: (_req, ctx) => ({
        statusCode: 429,
        code: 'RATE_LIMITED',
        message: `Too many requests from this address; try again in ${Math.ceil(ctx.ttl / 1000)} s`,
      }),
    });
  },
  { name: 'rate-limit-ip' },
);
