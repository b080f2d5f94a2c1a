import type { FastifyInstance } from 'fastify';
import type { CloudProviderFactory } from '../../cloud/provider.ts';
import type { Jobs } from '../../plugins/jobs.ts';
import { createFindingsService, type FindingsService } from './findings.service.ts';
import { findingsRoutes } from './findings.routes.ts';
import { DOMAINS } from './findings.tables.ts';
import { createRunSynthesizer } from './findings.synthesis.ts';

declare module 'fastify' {
  interface FastifyInstance {
    findings: FindingsService;
  }
}

/** Daily sweep per domain (staggered), UTC. */
const SCHEDULES: Record<(typeof DOMAINS)[number], string> = {
  cost: '0 2 * * *',
  rightsizing: '15 2 * * *',
  security: '0 */6 * * *',
  availability: '30 2 * * *',
};

/** Wires CloudAdvisor: service, run and schedule queues with their workers, cron schedules, routes. */
export async function registerFindings(app: FastifyInstance, deps: { cloud: CloudProviderFactory }): Promise<void> {
  const service = createFindingsService({
    db: () => app.db,
    jobs: app.jobs,
    events: app.events,
    cloud: deps.cloud,
    synthesize: createRunSynthesizer({
      log: app.log,
      // The org's default model when a real provider is configured; the offline model writes no prose.
      model: async () => {
        const resolved = await app.models.resolve(await app.models.defaultModelId());
        return resolved.info.offline ? null : { model: resolved.model, id: resolved.info.id };
      },
    }),
    ...(app.hasDecorator('webhooks') ? { emit: (orgId, type, data) => app.webhooks.emit(orgId, type, data) } : {}),
  });
  app.decorate('findings', service);
  await startAdvisorWorkers(app.jobs, service);
  app.database.onReady(async () => {
    if (!app.jobs.workersEnabled) return;
    for (const domain of DOMAINS) await app.jobs.schedule('advisor.schedule', SCHEDULES[domain], { domain }, { key: domain, tz: 'UTC' });
  });
  await findingsRoutes(app, service);
}

/** Declares the advisor queues and runs their workers. */
export async function startAdvisorWorkers(jobs: Jobs, service: FindingsService): Promise<void> {
  await jobs.define('advisor.run', { retryLimit: 1, expireInSeconds: 600 });
  await jobs.define('advisor.schedule', { retryLimit: 1 });
  await jobs.work('advisor.run', { pollingIntervalSeconds: 1, localConcurrency: 2 }, async (job) =>
    service.executeRun(job.data.orgId, job.data.runId, job.data.domain),
  );
  await jobs.work('advisor.schedule', { pollingIntervalSeconds: 5 }, async (job) => service.scheduleDomain(job.data.domain));
}
