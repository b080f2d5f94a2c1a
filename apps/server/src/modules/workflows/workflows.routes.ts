import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Actor } from '@cloudnow/shared';
import { Unauthorized } from '../../errors.ts';
import {
  approveBody,
  createDefinitionBody,
  listDefinitionsQuery,
  listRunsQuery,
  runBody,
  updateDefinitionBody,
} from './workflows.schemas.ts';
import {
  definitionDetail,
  definitionPage,
  errorBody,
  presentDefinition,
  presentRun,
  presentStep,
  runDetail,
  runPage,
  runSummary,
} from './workflows.presenters.ts';
import { registerStreamRoute } from './stream.routes.ts';
import { registerScheduleRoutes } from './schedules.routes.ts';
import { TEMPLATES, findTemplate } from './templates.ts';
import { NotFound } from '../../errors.ts';

/** The caller (the auth plugin sets `request.actor`; routes here are never public). */
export function actorOf(req: FastifyRequest): Actor {
  if (!req.actor) throw new Unauthorized();
  return req.actor;
}

const idParams = z.object({ id: z.uuid() });
const errors = { 400: errorBody, 401: errorBody, 403: errorBody, 404: errorBody, 409: errorBody };

/** /api/v1/workflows: definitions, runs, approvals; the stream and schedules register their own. */
export default async function workflowsRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const read = { permission: 'workflows:read' } as const;
  const write = { permission: 'workflows:write' } as const;
  const exec = { permission: 'workflows:execute' } as const;
  const svc = () => app.workflows;

  r.get(
    '/api/v1/workflows',
    { config: read, schema: { querystring: listDefinitionsQuery, response: { 200: definitionPage, ...errors } } },
    async (req) => {
      const page = await svc().definitions.list(actorOf(req), req.query);
      return { items: page.items.map(presentDefinition), total: page.total };
    },
  );
  r.post(
    '/api/v1/workflows',
    { config: write, schema: { body: createDefinitionBody, response: { 201: definitionDetail, ...errors } } },
    async (req, reply) => {
      return reply
        .code(201)
        .send(presentDefinition(await svc().definitions.create(actorOf(req), req.body)) as z.infer<typeof definitionDetail>);
    },
  );
  r.get(
    '/api/v1/workflows/:id',
    { config: read, schema: { params: idParams, response: { 200: definitionDetail, ...errors } } },
    async (req) => {
      return presentDefinition(await svc().definitions.get(actorOf(req), req.params.id)) as z.infer<typeof definitionDetail>;
    },
  );
  r.put(
    '/api/v1/workflows/:id',
    { config: write, schema: { params: idParams, body: updateDefinitionBody, response: { 200: definitionDetail, ...errors } } },
    async (req) => {
      return presentDefinition(await svc().definitions.update(actorOf(req), req.params.id, req.body)) as z.infer<typeof definitionDetail>;
    },
  );
  r.delete(
    '/api/v1/workflows/:id',
    { config: write, schema: { params: idParams, response: { 204: z.null(), ...errors } } },
    async (req, reply) => {
      await svc().definitions.remove(actorOf(req), req.params.id);
      return reply.code(204).send(null);
    },
  );
  for (const [action, status] of [
    ['publish', 'published'],
    ['archive', 'archived'],
  ] as const) {
    r.post(
      `/api/v1/workflows/:id/${action}`,
      { config: write, schema: { params: idParams, response: { 200: definitionDetail, ...errors } } },
      async (req) => {
        return presentDefinition(await svc().definitions.setStatus(actorOf(req), req.params.id, status)) as z.infer<
          typeof definitionDetail
        >;
      },
    );
  }
  r.post(
    '/api/v1/workflows/:id/run',
    {
      config: exec,
      schema: { params: idParams, body: runBody, response: { 202: z.object({ runId: z.string(), status: z.string() }), ...errors } },
    },
    async (req, reply) => {
      const run = await svc().runs.start(actorOf(req), req.params.id, req.body.input);
      return reply.code(202).send({ runId: run.id, status: run.status });
    },
  );
  r.get(
    '/api/v1/workflows/runs',
    { config: read, schema: { querystring: listRunsQuery, response: { 200: runPage, ...errors } } },
    async (req) => {
      const page = await svc().runs.list(actorOf(req), req.query);
      return { items: page.items.map(presentRun), total: page.total };
    },
  );
  r.get(
    '/api/v1/workflows/runs/:id',
    { config: read, schema: { params: idParams, response: { 200: runDetail, ...errors } } },
    async (req) => {
      const run = await svc().runs.get(actorOf(req), req.params.id);
      return { ...presentRun(run), steps: run.steps.map(presentStep) };
    },
  );
  r.post(
    '/api/v1/workflows/runs/:id/approve',
    { config: exec, schema: { params: idParams, body: approveBody, response: { 200: runSummary, ...errors } } },
    async (req) => {
      return presentRun(await svc().runs.approve(actorOf(req), req.params.id, req.body.comment));
    },
  );
  r.post(
    '/api/v1/workflows/runs/:id/reject',
    { config: exec, schema: { params: idParams, body: approveBody, response: { 200: runSummary, ...errors } } },
    async (req) => presentRun(await svc().runs.reject(actorOf(req), req.params.id, req.body.comment)),
  );
  r.post(
    '/api/v1/workflows/runs/:id/cancel',
    { config: exec, schema: { params: idParams, response: { 200: runSummary, ...errors } } },
    async (req) => {
      return presentRun(await svc().runs.cancel(actorOf(req), req.params.id));
    },
  );
  const templateView = z.object({
    id: z.string(),
    name: z.string(),
    description: z.string(),
    tags: z.array(z.string()),
    nodeCount: z.number(),
  });
  r.get(
    '/api/v1/workflows/templates',
    { config: read, schema: { response: { 200: z.object({ items: z.array(templateView) }), ...errors } } },
    async () => ({
      items: TEMPLATES.map((x) => ({
        id: x.id,
        name: x.name,
        description: x.description,
        tags: x.tags,
        nodeCount: x.definition.nodes.length,
      })),
    }),
  );
  r.post(
    '/api/v1/workflows/templates/:templateId',
    { config: write, schema: { params: z.object({ templateId: z.string().max(100) }), response: { 201: definitionDetail, ...errors } } },
    async (req, reply) => {
      const tpl = findTemplate(req.params.templateId);
      if (!tpl) throw new NotFound(`Template ${req.params.templateId}`);
      const d = await svc().definitions.create(actorOf(req), { ...tpl.definition, description: tpl.description, tags: tpl.tags });
      return reply.code(201).send(presentDefinition(d) as z.infer<typeof definitionDetail>);
    },
  );
  registerStreamRoute(app);
  registerScheduleRoutes(app);
}
