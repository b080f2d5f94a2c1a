import fp from 'fastify-plugin';
import { createAuditService, type AuditService } from './audit.service.ts';
import { auditRoutes } from './audit.routes.ts';

declare module 'fastify' {
  interface FastifyInstance {
    audit: AuditService;
  }
}

/**
 * Decorates `app.audit` (buffered tool-execution audit), registers its routes, exports the buffer
 * size at /metrics and flushes every waiting row in onClose — registered after the db plugin, so
 * it runs before the pool closes and a SIGTERM drain loses nothing.
 */
export default fp(
  async (app, opts: { batchSize?: number; intervalMs?: number }) => {
    const audit = createAuditService({ db: () => app.db, events: app.events, log: app.log, ...opts });
    app.decorate('audit', audit);
    app.metrics.gauge('cloudnow_audit_buffer_rows', 'Tool-execution audit rows waiting to be inserted', () => audit.buffer.size);
    app.addHook('onClose', async () => audit.close());
    await app.register(auditRoutes, { audit });
  },
  { name: 'audit', dependencies: ['db', 'events', 'metrics'] },
);
