import fp from 'fastify-plugin';
import type { FastifyRequest } from 'fastify';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { timingSafeEqual } from 'node:crypto';
import { statementTotals } from '../db/query-counter.ts';

/**
 * Prometheus metrics at /metrics: process defaults, HTTP duration by route, DB pool, statements,
 * cache, event-bus listeners and open streams. One registry per app (tests build several apps in
 * one process). Modules add gauges through `app.metrics.registry`. Guarded by METRICS_TOKEN as a
 * bearer token, or — without one — answered to loopback clients only.
 */
export interface Metrics {
  readonly registry: Registry;
  /** Adds a gauge read at scrape time (bounded collections export their size this way). */
  /** `labelNames` must list every label a labelled read returns. */
  gauge(
    name: string,
    help: string,
    read: () => number | Array<{ labels: Record<string, string>; value: number }>,
    labelNames?: readonly string[],
  ): void;
}

declare module 'fastify' {
  interface FastifyInstance {
    metrics: Metrics;
  }
}

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

/**
 * A client on this machine talking to us directly: the socket peer is loopback and no proxy
 * forwarded the request. `req.ip` is not used: with a trusted proxy it comes from
 * X-Forwarded-For, which a remote client can set to 127.0.0.1.
 */
function isLoopbackClient(req: FastifyRequest): boolean {
  const peer = req.raw.socket?.remoteAddress ?? '';
  return LOOPBACK.has(peer) && req.headers['x-forwarded-for'] === undefined && req.headers.forwarded === undefined;
}

function tokenMatches(header: string | undefined, token: string): boolean {
  const given = Buffer.from(header?.replace(/^Bearer\s+/i, '') ?? '');
  const want = Buffer.from(token);
  return given.length === want.length && timingSafeEqual(given, want);
}

/** Decorates `app.metrics` and serves `/metrics`. */
export default fp(
  async (app, opts: { token: string | null }) => {
    const registry = new Registry();
    collectDefaultMetrics({ register: registry });
    const metrics: Metrics = {
      registry,
      gauge(name, help, read, labelNames = []) {
        new Gauge({
          name,
          help,
          labelNames: [...labelNames],
          registers: [registry],
          collect() {
            const v = read();
            if (typeof v === 'number') this.set(v);
            else {
              this.reset();
              for (const { labels, value } of v) this.set(labels, value);
            }
          },
        });
      },
    };
    app.decorate('metrics', metrics);

    const duration = new Histogram({
      name: 'cloudnow_http_request_duration_seconds',
      help: 'HTTP request duration by route',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    });
    app.addHook('onResponse', async (req, reply) => {
      const route = req.routeOptions.url ?? 'unmatched';
      duration.observe({ method: req.method, route, status: String(reply.statusCode) }, reply.elapsedTime / 1000);
    });

    const pool = new Gauge({
      name: 'cloudnow_db_pool_connections',
      help: 'DB pool connections by state',
      labelNames: ['state'],
      registers: [registry],
      collect() {
        const s = app.database.handle?.poolStats() ?? { total: 0, idle: 0, waiting: 0 };
        this.set({ state: 'total' }, s.total);
        this.set({ state: 'idle' }, s.idle);
        this.set({ state: 'waiting' }, s.waiting);
      },
    });
    void pool;
    new Counter({
      name: 'cloudnow_db_statements_total',
      help: 'Statements sent to the database',
      labelNames: ['kind'],
      registers: [registry],
      collect() {
        this.reset();
        this.inc({ kind: 'data' }, statementTotals.data);
        this.inc({ kind: 'overhead' }, statementTotals.overhead);
      },
    });
    new Gauge({
      name: 'cloudnow_cache_operations',
      help: 'Cache hits, misses and errors since start',
      labelNames: ['result'],
      registers: [registry],
      collect() {
        const s = app.cache.stats();
        this.set({ result: 'hit' }, s.hits);
        this.set({ result: 'miss' }, s.misses);
        this.set({ result: 'error' }, s.errors);
      },
    });
    metrics.gauge('cloudnow_cache_entries', 'Entries in the in-process cache', () => app.cache.stats().size);
    metrics.gauge('cloudnow_event_bus_listeners', 'Live event-bus listeners in this process', () => app.events.listenerCount());
    metrics.gauge('cloudnow_event_bus_listener_cap', 'Event-bus listener cap', () => app.events.cap);
    metrics.gauge('cloudnow_open_streams', 'Open SSE/chat streams', () => app.lifecycle.openStreams);
    metrics.gauge('cloudnow_db_ready', '1 when the database is connected and migrated', () => (app.database.ready ? 1 : 0));

    app.get('/metrics', { config: { public: true, rateLimit: false }, schema: { hide: true } }, async (req, reply) => {
      const allowed = opts.token ? tokenMatches(req.headers.authorization, opts.token) : isLoopbackClient(req);
      if (!allowed)
        return reply.code(opts.token ? 401 : 403).send({
          code: opts.token ? 'UNAUTHORIZED' : 'FORBIDDEN',
          message: opts.token ? 'Metrics token required' : 'Metrics are served to loopback clients only (set METRICS_TOKEN)',
        });
      reply.header('content-type', registry.contentType);
      return registry.metrics();
    });
  },
  { name: 'metrics', dependencies: ['db', 'cache', 'events', 'lifecycle'] },
);
