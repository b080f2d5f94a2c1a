import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from './workflows.routes.ts';
import { scheduleBody } from './workflows.schemas.ts';
import { errorBody } from './workflows.presenters.ts';
import type { ScheduleView } from './schedules.service.ts';

const scheduleView = z.object({
  definitionId: z.string(),
  cron: z.string(),
  timezone: z.string(),
  enabled: z.boolean(),
  input: z.record(z.string(), z.unknown()),
  nextRunAt: z.string().nullable(),
  updatedAt: z.string(),
});
const present = (s: ScheduleView): z.infer<typeof scheduleView> => ({
  definitionId: s.definition_id,
  cron: s.cron,
  timezone: s.timezone,
  enabled: s.enabled,
  input: s.input,
  nextRunAt: s.nextRunAt?.toISOString() ?? null,
  updatedAt: s.updated_at.toISOString(),
});
const params = z.object({ id: z.uuid() });
const errors = { 400: errorBody, 401: errorBody, 403: errorBody, 404: errorBody };

/** GET/PUT/DELETE /api/v1/workflows/:id/schedule: one cron schedule per workflow. */
export function registerScheduleRoutes(app: FastifyInstance): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const url = '/api/v1/workflows/:id/schedule';
  r.get(url, { config: { permission: 'workflows:read' }, schema: { params, response: { 200: scheduleView, ...errors } } }, async (req) =>
    present(await app.workflows.schedules.get(actorOf(req), req.params.id)),
  );
  r.put(
    url,
    { config: { permission: 'workflows:execute' }, schema: { params, body: scheduleBody, response: { 200: scheduleView, ...errors } } },
    async (req) => present(await app.workflows.schedules.set(actorOf(req), req.params.id, req.body)),
  );
  r.delete(
    url,
    { config: { permission: 'workflows:execute' }, schema: { params, response: { 204: z.null(), ...errors } } },
    async (req, reply) => {
      await app.workflows.schedules.remove(actorOf(req), req.params.id);
      return reply.code(204).send(null);
    },
  );
}
