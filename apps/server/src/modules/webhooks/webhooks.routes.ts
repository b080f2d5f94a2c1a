import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { LIMITS } from '@cloudnow/shared';
import type { WebhooksService } from './webhooks.service.ts';
import { WEBHOOK_EVENTS } from './webhooks.tables.ts';

const error = z.object({ code: z.string(), message: z.string() });
const id = z.object({ id: z.uuid() });
const page = z.object({
  limit: z.coerce.number().int().min(1).max(LIMITS.pageMax).default(LIMITS.pageDefault),
  offset: z.coerce.number().int().min(0).default(0),
});
const subscription = z.object({
  id: z.string(),
  url: z.string(),
  description: z.string(),
  eventTypes: z.array(z.string()),
  status: z.enum(['active', 'paused']),
  pausedReason: z.string().nullable(),
  consecutiveFailures: z.number(),
  createdAt: z.string(),
});
const delivery = z.object({
  id: z.string(),
  eventId: z.string(),
  eventType: z.string(),
  attempt: z.number(),
  status: z.enum(['succeeded', 'failed']),
  responseStatus: z.number().nullable(),
  error: z.string().nullable(),
  durationMs: z.number(),
  createdAt: z.string(),
});
const createBody = z.strictObject({
  url: z.url().max(2000),
  eventTypes: z.array(z.enum(WEBHOOK_EVENTS)).min(1).max(WEBHOOK_EVENTS.length),
  description: z.string().max(500).optional(),
});
const updateBody = z.strictObject({
  url: z.url().max(2000).optional(),
  eventTypes: z.array(z.enum(WEBHOOK_EVENTS)).min(1).max(WEBHOOK_EVENTS.length).optional(),
  description: z.string().max(500).optional(),
  status: z.enum(['active', 'paused']).optional(),
});
const cfg = { permission: 'webhooks:manage' as const };

/** Webhook subscriptions and deliveries under /api/webhooks (webhooks:manage). */
export async function webhooksRoutes(app: FastifyInstance, service: WebhooksService): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['webhooks'];
  r.get(
    '/api/webhooks',
    { config: cfg, schema: { tags, querystring: page, response: { 200: z.object({ items: z.array(subscription), total: z.number() }) } } },
    async (req) => service.list(req.actor!, req.query),
  );
  r.post(
    '/api/webhooks',
    { config: cfg, schema: { tags, body: createBody, response: { 201: subscription.extend({ secret: z.string() }), 400: error } } },
    async (req, reply) => reply.code(201).send(await service.create(req.actor!, req.body)),
  );
  r.get('/api/webhooks/:id', { config: cfg, schema: { tags, params: id, response: { 200: subscription, 404: error } } }, async (req) =>
    service.get(req.actor!, req.params.id),
  );
  r.patch(
    '/api/webhooks/:id',
    { config: cfg, schema: { tags, params: id, body: updateBody, response: { 200: subscription, 400: error, 404: error } } },
    async (req) => service.update(req.actor!, req.params.id, req.body),
  );
  r.delete(
    '/api/webhooks/:id',
    { config: cfg, schema: { tags, params: id, response: { 204: z.null(), 404: error } } },
    async (req, reply) => {
      await service.remove(req.actor!, req.params.id);
      return reply.code(204).send(null);
    },
  );
  r.post(
    '/api/webhooks/:id/rotate-secret',
    { config: cfg, schema: { tags, params: id, response: { 200: z.object({ secret: z.string() }), 404: error } } },
    async (req) => service.rotateSecret(req.actor!, req.params.id),
  );
  r.get(
    '/api/webhooks/:id/deliveries',
    {
      config: cfg,
      schema: {
        tags,
        params: id,
        querystring: page,
        response: { 200: z.object({ items: z.array(delivery), total: z.number() }), 404: error },
      },
    },
    async (req) => {
      const { items, total } = await service.deliveries(req.actor!, req.params.id, req.query);
      return {
        total,
        items: items.map((d) => ({
          id: d.id,
          eventId: d.event_id,
          eventType: d.event_type,
          attempt: d.attempt,
          status: d.status,
          responseStatus: d.response_status,
          error: d.error,
          durationMs: d.duration_ms,
          createdAt: new Date(d.created_at).toISOString(),
        })),
      };
    },
  );
  r.post(
    '/api/webhooks/:id/deliveries/:deliveryId/redeliver',
    {
      config: cfg,
      schema: {
        tags,
        params: z.object({ id: z.uuid(), deliveryId: z.uuid() }),
        response: { 202: z.object({ queued: z.literal(true) }), 404: error },
      },
    },
    async (req, reply) => {
      await service.redeliver(req.actor!, req.params.id, req.params.deliveryId);
      return reply.code(202).send({ queued: true as const });
    },
  );
}
