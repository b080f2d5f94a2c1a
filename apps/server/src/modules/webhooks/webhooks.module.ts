import type { FastifyInstance } from 'fastify';
import type { ModuleContext } from '../index.ts';
import { createSecretBox } from '../../lib/crypto.ts';
import { createWebhooksService, type WebhooksService } from './webhooks.service.ts';
import { webhooksRoutes } from './webhooks.routes.ts';
import { createWebhookProducer } from './webhooks.producer.ts';
import type { WebhookEventType } from './webhooks.tables.ts';

/** Bus events forwarded to webhooks (finding.created is emitted by the advisor directly). */
const TAPPED: readonly WebhookEventType[] = [
  'tool.executed',
  'approval.requested',
  'approval.decided',
  'workflow.completed',
  'workflow.failed',
];

declare module 'fastify' {
  interface FastifyInstance {
    /** Producers call `app.webhooks.emit(orgId, type, data)` once per event. */
    webhooks: WebhooksService;
  }
}

/** Wires webhooks: the service, its two queues and workers, and the routes. */
export async function registerWebhooks(app: FastifyInstance, ctx: ModuleContext): Promise<void> {
  const service = createWebhooksService({
    db: () => app.db,
    cache: app.cache,
    jobs: app.jobs,
    box: createSecretBox(ctx.secret),
    allowHttpHosts: [...ctx.config.webhooks.allowHttpHosts, ...(ctx.urlGuard?.allowHttpHosts ?? [])],
    ...(ctx.urlGuard?.resolve ? { resolve: ctx.urlGuard.resolve } : {}),
    retry: { limit: 4, delaySeconds: ctx.config.webhooks.retryDelaySeconds, delayMaxSeconds: ctx.config.webhooks.retryDelaySeconds * 60 },
  });
  app.decorate('webhooks', service);
  await startWebhookWorkers(app.jobs, service);
  // Events this process publishes become webhook events once (other replicas only receive them).
  const producer = createWebhookProducer(service, app.log);
  const forwarded = new Set<string>(TAPPED);
  const untap = app.events.tap((name, payload) => {
    const orgId = (payload as { orgId?: unknown } | null)?.orgId;
    if (forwarded.has(name) && typeof orgId === 'string') void producer.offer(orgId, name as WebhookEventType, payload);
  });
  app.metrics.gauge('cloudnow_webhook_events_buffered', 'Webhook events waiting to be queued', () => producer.stats().buffered);
  app.addHook('onClose', async () => {
    untap();
    await producer.close();
  });
  await webhooksRoutes(app, service);
}

/** Declares the webhook queues and runs their workers (when this process runs workers). */
export async function startWebhookWorkers(jobs: FastifyInstance['jobs'], service: WebhooksService): Promise<void> {
  await jobs.define('webhooks.fanout', { retryLimit: 3, retryDelay: 5, retryBackoff: true });
  await jobs.define('webhooks.deliver', { expireInSeconds: 60 });
  await jobs.work('webhooks.fanout', { pollingIntervalSeconds: 1 }, async (job) => service.fanout(job.data.orgId, job.data.event));
  await jobs.work('webhooks.deliver', { pollingIntervalSeconds: 1, localConcurrency: 4 }, async (job) =>
    service.deliver(job.data.orgId, job.data.subscriptionId, job.data.event),
  );
}
