import { randomBytes, randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { Actor } from '@cloudnow/shared';
import type { DB } from '../../db/schema.ts';
import { withSystem, withTenant } from '../../db/tenant.ts';
import { isSealed, type SecretBox } from '../../lib/crypto.ts';
import { assertPublicUrl, safeFetch, type ResolveHost } from '../../lib/ssrf.ts';
import type { Jobs } from '../../plugins/jobs.ts';
import type { Cache } from '../../plugins/cache.ts';
import { BadRequest, NotFound } from '../../errors.ts';
import * as repo from './webhooks.repository.ts';
import type { DeliveryRow, SubscriptionRow } from './webhooks.repository.ts';
import { SIGNATURE_HEADER, signWebhook } from './webhooks.signature.ts';
import type { WebhookEventType } from './webhooks.tables.ts';

/** The body every delivery carries. */
export interface WebhookEvent {
  id: string;
  type: WebhookEventType;
  timestamp: string;
  data: unknown;
}

declare module '../../plugins/jobs.ts' {
  interface JobMap {
    /** One event → a delivery job per matching subscription. */
    'webhooks.fanout': { orgId: string; event: WebhookEvent };
    /** One delivery to one subscription (retried by pg-boss with backoff and jitter). */
    'webhooks.deliver': { orgId: string; subscriptionId: string; event: WebhookEvent };
  }
}

export interface WebhooksDeps {
  db: () => Kysely<DB>;
  /** Caches which event types an org subscribes to (so events nobody wants enqueue nothing). */
  cache?: Pick<Cache, 'getOrFetch' | 'del'>;
  jobs: Pick<Jobs, 'send' | 'sendMany'>;
  box: Pick<SecretBox, 'seal' | 'open' | 'needsReseal'>;
  /** Hosts an admin allowed plain http for (exact names). */
  allowHttpHosts?: readonly string[];
  resolve?: ResolveHost;
  /** Retry policy: 5 attempts by default, exponential backoff with jitter from `retryDelaySeconds`. */
  retry?: { limit: number; delaySeconds: number; delayMaxSeconds?: number };
  timeoutMs?: number;
}

/** A subscription as the API shows it: never the secret. */
export interface SubscriptionView {
  id: string;
  url: string;
  description: string;
  eventTypes: string[];
  status: 'active' | 'paused';
  pausedReason: string | null;
  consecutiveFailures: number;
  createdAt: string;
}

const view = (r: SubscriptionRow): SubscriptionView => ({
  id: r.id,
  url: r.url,
  description: r.description,
  eventTypes: r.event_types,
  status: r.status,
  pausedReason: r.paused_reason,
  consecutiveFailures: r.consecutive_failures,
  createdAt: new Date(r.created_at).toISOString(),
});

const secretContext = (id: string): string => `webhook:${id}:signing-secret`;
const newSecret = (): string => `whsec_${randomBytes(32).toString('base64url')}`;
/** Rows per key-rotation batch: one UPDATE … FROM (VALUES …) each. */
export const ROTATION_BATCH = 200;

/**
 * Webhooks: subscriptions (URL checked by the SSRF guard at save time and again at delivery;
 * signing secret shown once, stored sealed), at-least-once delivery as pg-boss jobs with a log row
 * per attempt, auto-pause after 10 consecutive failures, manual redelivery and key rotation.
 */
export function createWebhooksService(deps: WebhooksDeps) {
  const guard = {
    ...(deps.allowHttpHosts ? { allowHttpHosts: deps.allowHttpHosts } : {}),
    ...(deps.resolve ? { resolve: deps.resolve } : {}),
  };
  const retry = deps.retry ?? { limit: 4, delaySeconds: 10, delayMaxSeconds: 600 };
  const db = deps.db;

  const invalidate = async (orgId: string): Promise<void> => {
    await deps.cache?.del('webhooks', `types:${orgId}`);
  };

  async function checkUrl(url: string): Promise<void> {
    await assertPublicUrl(url, { ...guard, field: 'url' });
  }

  return {
    async create(
      actor: Actor,
      input: { url: string; eventTypes: WebhookEventType[]; description?: string | undefined },
    ): Promise<SubscriptionView & { secret: string }> {
      await checkUrl(input.url);
      const id = randomUUID();
      const secret = newSecret();
      const row = await withTenant(db(), actor.orgId, (tx) =>
        repo.insertSubscription(tx, {
          id,
          org_id: actor.orgId,
          url: input.url,
          description: input.description ?? '',
          event_types: [...new Set(input.eventTypes)],
          secret_sealed: deps.box.seal(secret, secretContext(id)),
          created_by: actor.userId,
        }),
      );
      await invalidate(actor.orgId);
      return { ...view(row), secret };
    },

    async list(actor: Actor, page: { limit: number; offset: number }): Promise<{ items: SubscriptionView[]; total: number }> {
      const r = await withTenant(db(), actor.orgId, (tx) => repo.listSubscriptions(tx, actor.orgId, page));
      return { items: r.items.map(view), total: r.total };
    },

    async get(actor: Actor, id: string): Promise<SubscriptionView> {
      const row = await withTenant(db(), actor.orgId, (tx) => repo.findSubscription(tx, actor.orgId, id));
      if (!row) throw new NotFound(`Webhook ${id}`);
      return view(row);
    },

    async update(
      actor: Actor,
      id: string,
      input: { url?: string; eventTypes?: WebhookEventType[]; description?: string; status?: 'active' | 'paused' },
    ): Promise<SubscriptionView> {
      if (input.url) await checkUrl(input.url);
      const row = await withTenant(db(), actor.orgId, (tx) =>
        repo.updateSubscription(tx, actor.orgId, id, {
          ...(input.url ? { url: input.url } : {}),
          ...(input.eventTypes ? { event_types: [...new Set(input.eventTypes)] } : {}),
          ...(input.description !== undefined ? { description: input.description } : {}),
          ...(input.status === 'active' ? { status: 'active', paused_reason: null, consecutive_failures: 0 } : {}),
          ...(input.status === 'paused' ? { status: 'paused', paused_reason: 'paused by an admin' } : {}),
        }),
      );
      if (!row) throw new NotFound(`Webhook ${id}`);
      await invalidate(actor.orgId);
      return view(row);
    },

    async remove(actor: Actor, id: string): Promise<void> {
      const ok = await withTenant(db(), actor.orgId, (tx) => repo.deleteSubscription(tx, actor.orgId, id));
      if (!ok) throw new NotFound(`Webhook ${id}`);
      await invalidate(actor.orgId);
    },

    /** Replaces one subscription's signing secret; the new one is returned once. */
    async rotateSecret(actor: Actor, id: string): Promise<{ secret: string }> {
      const secret = newSecret();
      const row = await withTenant(db(), actor.orgId, (tx) =>
        repo.updateSubscription(tx, actor.orgId, id, { secret_sealed: deps.box.seal(secret, secretContext(id)) }),
      );
      if (!row) throw new NotFound(`Webhook ${id}`);
      return { secret };
    },

    async deliveries(actor: Actor, id: string, page: { limit: number; offset: number }): Promise<{ items: DeliveryRow[]; total: number }> {
      await this.get(actor, id);
      return withTenant(db(), actor.orgId, (tx) => repo.listDeliveries(tx, actor.orgId, id, page));
    },

    /** Sends a logged delivery's event again (a new attempt series). */
    async redeliver(actor: Actor, id: string, deliveryId: string): Promise<void> {
      const d = await withTenant(db(), actor.orgId, (tx) => repo.findDelivery(tx, actor.orgId, deliveryId));
      if (!d || d.subscription_id !== id) throw new NotFound(`Delivery ${deliveryId}`);
      const event = JSON.parse(d.body) as WebhookEvent;
      await deps.jobs.sendMany('webhooks.deliver', [{ data: { orgId: actor.orgId, subscriptionId: id, event }, ...retryOptions() }]);
    },

    /** Queues an event for every subscription of the org that wants it (the producer calls this once). */
    async emit(orgId: string, type: WebhookEventType, data: unknown, opts: { tx?: Transaction<DB> } = {}): Promise<WebhookEvent> {
      const event: WebhookEvent = { id: randomUUID(), type, timestamp: new Date().toISOString(), data };
      await deps.jobs.send('webhooks.fanout', { orgId, event }, opts.tx ? { tx: opts.tx } : {});
      return event;
    },

    /** Event types the org's active subscriptions want (cached, one bounded query on a miss). */
    async wantedTypes(orgId: string): Promise<string[]> {
      const load = async (): Promise<string[]> => {
        const subs = await withTenant(db(), orgId, (tx) =>
          tx
            .selectFrom('webhook_subscriptions')
            .select('event_types')
            .where('org_id', '=', orgId)
            .where('status', '=', 'active')
            .limit(repo.FANOUT_MAX)
            .execute(),
        );
        return [...new Set(subs.flatMap((s) => s.event_types))];
      };
      return deps.cache ? deps.cache.getOrFetch('webhooks', `types:${orgId}`, load, 300) : load();
    },

    /** Queues many events in ONE statement (the producer's buffer flushes through this). */
    async emitMany(events: ReadonlyArray<{ orgId: string; type: WebhookEventType; data: unknown }>): Promise<void> {
      await deps.jobs.sendMany(
        'webhooks.fanout',
        events.map((e) => ({
          data: { orgId: e.orgId, event: { id: randomUUID(), type: e.type, timestamp: new Date().toISOString(), data: e.data } },
        })),
      );
    },

    /** Worker: one event → one batch of delivery jobs. */
    async fanout(orgId: string, event: WebhookEvent): Promise<number> {
      const subs = await withTenant(db(), orgId, (tx) => repo.subscribersOf(tx, orgId, event.type));
      await deps.jobs.sendMany(
        'webhooks.deliver',
        subs.map((s) => ({ data: { orgId, subscriptionId: s.id, event }, ...retryOptions() })),
      );
      return subs.length;
    },

    /** Worker: one attempt. Throws on failure so pg-boss retries it (at-least-once). */
    async deliver(orgId: string, subscriptionId: string, event: WebhookEvent): Promise<'delivered' | 'skipped'> {
      const sub = await withTenant(db(), orgId, (tx) => repo.findSubscription(tx, orgId, subscriptionId));
      if (!sub || sub.status !== 'active') return 'skipped';
      const body = JSON.stringify(event);
      const secret = deps.box.open(sub.secret_sealed, secretContext(sub.id));
      const t0 = performance.now();
      let status: number | null = null;
      let error: string | null = null;
      try {
        const res = await safeFetch(sub.url, {
          ...guard,
          method: 'POST',
          body,
          timeoutMs: deps.timeoutMs ?? 10_000,
          maxBytes: 64 * 1024,
          headers: {
            'content-type': 'application/json',
            [SIGNATURE_HEADER]: signWebhook(secret, body),
            'x-cloudnow-event': event.type,
            'x-cloudnow-delivery': event.id,
          },
        });
        status = res.status;
        if (res.status < 200 || res.status >= 300) error = `receiver answered ${res.status}`;
      } catch (err) {
        error = err instanceof Error ? err.message : String(err);
      }
      const ok = error === null;
      const { paused } = await withTenant(db(), orgId, (tx) =>
        repo.recordAttempt(tx, {
          org_id: orgId,
          subscription_id: sub.id,
          event_id: event.id,
          event_type: event.type,
          status: ok ? 'succeeded' : 'failed',
          response_status: status,
          error,
          duration_ms: Math.round(performance.now() - t0),
          body,
        }),
      );
      if (paused) await invalidate(orgId);
      if (!ok) throw new Error(`webhook ${sub.id}: ${error}`);
      return 'delivered';
    },

    /**
     * Re-seals every signing secret under the current key (and seals legacy plaintext ones), in
     * batches of 200 with ONE `UPDATE … FROM (VALUES …)` per batch. System work across orgs.
     */
    async rotateAllSecrets(): Promise<{ resealed: number; batches: number }> {
      let after: string | null = null;
      let resealed = 0;
      let batches = 0;
      for (;;) {
        const page = await withSystem(db(), (tx) => repo.secretsPage(tx, after, ROTATION_BATCH));
        if (page.length === 0) break;
        after = page.at(-1)!.id;
        const changed = page
          .filter((r) => !isSealed(r.secret_sealed) || deps.box.needsReseal(r.secret_sealed))
          .map((r) => {
            const plain = isSealed(r.secret_sealed) ? deps.box.open(r.secret_sealed, secretContext(r.id)) : r.secret_sealed;
            return { id: r.id, secret_sealed: deps.box.seal(plain, secretContext(r.id)) };
          });
        if (changed.length > 0) {
          batches++;
          resealed += await withSystem(db(), (tx) => repo.writeSecrets(tx, changed));
        }
        if (page.length < ROTATION_BATCH) break;
      }
      return { resealed, batches };
    },
  };

  function retryOptions() {
    return {
      retryLimit: retry.limit,
      retryDelay: retry.delaySeconds,
      retryBackoff: true,
      ...(retry.delayMaxSeconds ? { retryDelayMax: retry.delayMaxSeconds } : {}),
    };
  }
}

export type WebhooksService = ReturnType<typeof createWebhooksService>;

/** Validates event type names (for routes and bad input). */
export function assertEventTypes(types: readonly string[], known: readonly string[]): asserts types is WebhookEventType[] {
  const bad = types.filter((t) => !known.includes(t));
  if (bad.length) throw new BadRequest(`eventTypes: unknown event type ${bad.join(', ')}`);
}
