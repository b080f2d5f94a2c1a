import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from './workflows.routes.ts';
import { openRunStream } from './stream.ts';
import { errorBody } from './workflows.presenters.ts';

/**
 * GET /api/v1/workflows/runs/:id/stream (SSE, `streams` rate category): the current status first
 * (status cache, else the database), then step and status events from the bus (any replica).
 */
export function registerStreamRoute(app: FastifyInstance): void {
  app.withTypeProvider<ZodTypeProvider>().get(
    '/api/v1/workflows/runs/:id/stream',
    {
      config: { permission: 'workflows:read', rateCategory: 'streams' },
      schema: { params: z.object({ id: z.uuid() }), response: { 401: errorBody, 403: errorBody, 404: errorBody, 503: errorBody } },
    },
    async (req, reply) => {
      const actor = actorOf(req);
      const stream = openRunStream({
        events: app.events,
        lifecycle: app.lifecycle,
        orgId: actor.orgId,
        runId: req.params.id,
        idleMs: app.workflows.streamIdleMs(),
      });
      const current = await app.workflows.runs
        .currentStatus(actor, req.params.id)
        .catch((err: unknown) => (stream.close('client-closed'), Promise.reject(err)));
      reply.hijack();
      reply.raw.writeHead(200, {
        'content-type': 'text/event-stream',
        'cache-control': 'no-cache',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      stream.start(reply.raw, current);
    },
  );
}
