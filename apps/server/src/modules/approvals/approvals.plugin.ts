import fp from 'fastify-plugin';
import { createApprovalService, type ApprovalService } from './approvals.service.ts';
import { approvalRoutes } from './approvals.routes.ts';

declare module 'fastify' {
  interface FastifyInstance {
    approvals: ApprovalService;
  }
}

declare module '../../plugins/jobs.ts' {
  interface JobMap {
    /** Every minute: one UPDATE expires all due approvals (all orgs) and wakes their waiters. */
    'approvals.expire': Record<string, never>;
  }
}

/** Expiry sweep schedule (cron): every minute. */
export const EXPIRE_CRON = '* * * * *';

/**
 * Decorates `app.approvals`, registers `/api/approvals`, and the `approvals.expire` pg-boss job
 * (scheduled every minute; no in-memory timers or maps hold approvals).
 */
export default fp(
  async (app, opts: { ttlMs?: number }) => {
    const approvals = createApprovalService({
      db: () => app.db,
      events: app.events,
      log: app.log,
      ...(opts.ttlMs ? { ttlMs: opts.ttlMs } : {}),
    });
    app.decorate('approvals', approvals);
    await app.jobs.define('approvals.expire', { policy: 'stately' });
    await app.jobs.work('approvals.expire', {}, async () => {
      const n = await approvals.expireDue();
      if (n) app.log.info({ expired: n }, 'approvals: expired');
    });
    app.database.onReady(async () => {
      await app.jobs.schedule('approvals.expire', EXPIRE_CRON, {});
    });
    await app.register(approvalRoutes, { approvals });
  },
  { name: 'approvals', dependencies: ['db', 'events', 'jobs'] },
);
