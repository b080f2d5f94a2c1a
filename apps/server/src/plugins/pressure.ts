import fp from 'fastify-plugin';
import underPressure from '@fastify/under-pressure';

/**
 * Sheds load with 503 when the event loop, heap or RSS pass their limits. Its health check does
 * not involve the database: a DB outage is reported by /readyz and by the routes that need it,
 * and must not turn every route (health, static pages, the setup screen) into 503.
 */
export default fp(
  async (app, opts: { maxEventLoopDelayMs: number; maxHeapBytes: number; maxRssBytes: number }) => {
    await app.register(underPressure, {
      maxEventLoopDelay: opts.maxEventLoopDelayMs,
      maxHeapUsedBytes: opts.maxHeapBytes,
      maxRssBytes: opts.maxRssBytes,
      retryAfter: 10,
      pressureHandler: (_req, reply, type, value) => {
        reply
          .code(503)
          .header('retry-after', '10')
          .send({ code: 'UNDER_PRESSURE', message: `Server under pressure (${type}: ${String(value)})` });
      },
    });
  },
  { name: 'pressure' },
);
