import type { FastifyBaseLogger } from 'fastify';
import type { WebhooksService } from './webhooks.service.ts';
import type { WebhookEventType } from './webhooks.tables.ts';

/**
 * Turns events this process publishes into webhook events, batched: an event is kept only when
 * the org subscribes to its type (cached lookup), and the buffer is written as ONE job insert
 * every 250 ms or at 200 events, and on close. Bounded: past 5,000 buffered events the oldest
 * are dropped (and counted) rather than growing without limit.
 */
export function createWebhookProducer(
  service: Pick<WebhooksService, 'wantedTypes' | 'emitMany'>,
  log: FastifyBaseLogger,
  opts: { flushMs?: number; batch?: number; max?: number } = {},
) {
  const batch = opts.batch ?? 200;
  const max = opts.max ?? 5000;
  let buffer: Array<{ orgId: string; type: WebhookEventType; data: unknown }> = [];
  let dropped = 0;
  let flushing: Promise<void> = Promise.resolve();

  const flush = (): Promise<void> => {
    if (buffer.length === 0) return flushing;
    const items = buffer;
    buffer = [];
    flushing = flushing
      .then(() => service.emitMany(items))
      .catch((err: unknown) => log.error({ err, events: items.length }, 'webhooks: could not queue events'));
    return flushing;
  };
  const timer = setInterval(() => void flush(), opts.flushMs ?? 250);
  timer.unref();

  return {
    /** Offers one published event; cheap when nobody subscribes to it. */
    async offer(orgId: string, type: WebhookEventType, data: unknown): Promise<void> {
      try {
        if (!(await service.wantedTypes(orgId)).includes(type)) return;
      } catch (err) {
        log.warn({ err }, 'webhooks: subscription lookup failed; event not forwarded');
        return;
      }
      if (buffer.length >= max) {
        buffer.shift();
        dropped++;
      }
      buffer.push({ orgId, type, data });
      if (buffer.length >= batch) void flush();
    },
    flush,
    stats: () => ({ buffered: buffer.length, dropped }),
    async close(): Promise<void> {
      clearInterval(timer);
      await flush();
    },
  };
}
