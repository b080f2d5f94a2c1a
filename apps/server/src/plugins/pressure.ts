import fp from 'fastify-plugin';
import underPressure from '@fastify/under-pressure';
import type { FastifyReply, FastifyRequest } from 'fastify';

/** Probes that must answer even under load: liveness, readiness, metrics. */
const EXEMPT = new Set(['/healthz', '/readyz', '/metrics']);

/**
 * Sheds load with 503 when the event loop, heap or RSS pass their limits. Its health check does
 * not involve the database: a DB outage is reported by /readyz and by the routes that need it,
 * and must not turn every route (health, static pages, the setup screen) into 503. The probes
 * are exempt, and an unknown event-loop delay (no samples in an interval — under-pressure reports
 * it as Infinity while PGlite holds the loop) is not treated as pressure.
 */
export default fp(
  async (app, opts: { maxEventLoopDelayMs: number; maxHeapBytes: number; maxRssBytes: number }) => {
    await app.register(underPressure, {
      maxEventLoopDelay: opts.maxEventLoopDelayMs,
      maxHeapUsedBytes: opts.maxHeapBytes,
      maxRssBytes: opts.maxRssBytes,
      retryAfter: 10,
      // Typed as returning void, but under-pressure sends a non-null return value instead of
      // continuing to the route, and continues when it is null/undefined (the exemptions).
      pressureHandler: ((req: FastifyRequest, reply: FastifyReply, type: string, value: number | undefined) => {
        if (EXEMPT.has(req.routeOptions.url ?? '')) return undefined;
        if (type === 'eventLoopDelay' && !Number.isFinite(value ?? NaN)) return undefined;
        void reply.code(503).header('retry-after', '10');
        // A non-null return is sent by under-pressure instead of continuing to the handler.
        return { code: 'UNDER_PRESSURE', message: `Server under pressure (${type})` };
      }) as unknown as (req: FastifyRequest, reply: FastifyReply, type: string, value: number | undefined) => void,
    });
  },
  { name: 'pressure' },
);
