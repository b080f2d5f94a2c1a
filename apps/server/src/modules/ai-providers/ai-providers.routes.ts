import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { LIMITS } from '@cloudnow/shared';
import {
  connectionTestView,
  createProviderBody,
  modelInfo,
  providerView,
  testProviderBody,
  testStoredProviderBody,
  updateProviderBody,
} from './ai-providers.schemas.ts';
import type { ProviderRegistry } from '../../agent/provider-registry.ts';
import type { AiProvidersService } from './ai-providers.service.ts';

const error = z.object({ code: z.string(), message: z.string() });
const idParams = z.object({ id: z.string().min(1).max(40) });
const page = z.object({
  limit: z.coerce.number().int().min(1).max(LIMITS.pageMax).default(LIMITS.pageDefault),
  offset: z.coerce.number().int().min(0).default(0),
});

/** GET /api/models (public) and the admin CRUD under /api/admin/ai-providers (admin:settings). */
export async function aiProvidersRoutes(
  app: FastifyInstance,
  service: AiProvidersService,
  registry: Pick<ProviderRegistry, 'test' | 'testStored'>,
): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const testLimit = { max: 10, timeWindow: 60_000 };

  r.post(
    '/api/admin/ai-providers/test',
    {
      config: { permission: 'admin:settings', rateLimit: testLimit },
      schema: {
        tags: ['admin'],
        summary: 'Live test of an unsaved provider',
        body: testProviderBody,
        response: { 200: connectionTestView, 400: error },
      },
    },
    async (req) => {
      const { model, ...p } = req.body;
      return registry.test(
        { id: 'test', type: p.type, baseUrl: p.baseUrl ?? null, region: p.region ?? null, apiKey: p.apiKey ?? null, options: p.options },
        model,
      );
    },
  );

  r.post(
    '/api/admin/ai-providers/:id/test',
    {
      config: { permission: 'admin:settings', rateLimit: testLimit },
      schema: {
        tags: ['admin'],
        summary: 'Live test of a saved provider',
        params: idParams,
        body: testStoredProviderBody,
        response: { 200: connectionTestView, 400: error, 404: error },
      },
    },
    async (req) => registry.testStored(req.params.id, req.body.model),
  );

  r.get(
    '/api/models',
    {
      config: { public: true, rateCategory: 'public' },
      schema: { tags: ['models'], summary: 'Enabled models', response: { 200: z.object({ models: z.array(modelInfo) }) } },
    },
    async () => ({ models: await service.enabledModels() }),
  );

  r.get(
    '/api/admin/ai-providers',
    {
      config: { permission: 'admin:settings' },
      schema: { tags: ['admin'], querystring: page, response: { 200: z.object({ items: z.array(providerView), total: z.number() }) } },
    },
    async (req) => service.list(req.query),
  );

  r.get(
    '/api/admin/ai-providers/:id',
    {
      config: { permission: 'admin:settings' },
      schema: { tags: ['admin'], params: idParams, response: { 200: providerView, 404: error } },
    },
    async (req) => service.get(req.params.id),
  );

  r.post(
    '/api/admin/ai-providers',
    {
      config: { permission: 'admin:settings' },
      schema: { tags: ['admin'], body: createProviderBody, response: { 201: providerView, 400: error, 409: error } },
    },
    async (req, reply) => reply.code(201).send(await service.create(req.actor!, req.body)),
  );

  r.patch(
    '/api/admin/ai-providers/:id',
    {
      config: { permission: 'admin:settings' },
      schema: { tags: ['admin'], params: idParams, body: updateProviderBody, response: { 200: providerView, 400: error, 404: error } },
    },
    async (req) => service.update(req.actor!, req.params.id, req.body),
  );

  r.delete(
    '/api/admin/ai-providers/:id',
    {
      config: { permission: 'admin:settings' },
      schema: { tags: ['admin'], params: idParams, response: { 204: z.null(), 400: error, 404: error } },
    },
    async (req, reply) => {
      await service.remove(req.actor!, req.params.id);
      return reply.code(204).send(null);
    },
  );
}
