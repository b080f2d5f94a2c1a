import fp from 'fastify-plugin';
import underPressure, { type FastifyUnderPressureOptions } from '@fastify/under-pressure';
import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * Never shed: probes must not fail because the process is busy (a liveness failure restarts it, a
 * readiness failure pushes its load onto the other replicas), and metrics explain the pressure.
 */
const UNSHED = new Set(['/healthz', '/readyz', '/metrics']);

/**
 * The pressure handler. under-pressure sends a non-null return value and stops; for undefined (or
 * a promise) it calls next(). Sending the 503 here ourselves and returning nothing would let the
 * route run anyway — the reply is not yet "sent" while our async onSend hooks run — so the body
 * is returned (its declared type says void, hence the cast). Probes and metrics pass.
 */
function shedHandler(req: FastifyRequest, reply: FastifyReply, type: string, value: number | undefined): object | undefined {
  if (UNSHED.has(req.url.split('?')[0] ?? '')) return undefined;
  void reply.code(503).header('retry-after', '10');
  return { code: 'UNDER_PRESSURE', message: `Server under pressure (${type}: ${String(value)})` };
}
const shed = shedHandler as unknown as NonNullable<FastifyUnderPressureOptions['pressureHandler']>;

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
      pressureHandler: shed,
    });
  },
  { name: 'pressure' },
);
