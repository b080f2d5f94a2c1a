import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorSchema as error, pageQuery, pageSchema } from '../auth/page.ts';
import type { SearchService } from './search.service.ts';
import { documentDetail, documentView, searchBody, searchResponse, uploadBody } from './search.schemas.ts';

const tags = ['search'];
const idParams = z.object({ id: z.uuid() });

/**
 * Semantic search (`search:read`) and its documents (`search:write` to upload or delete).
 * `documentMaxBytes` sizes the upload route's body limit (base64 is 4/3 of the bytes).
 */
export async function searchRoutes(app: FastifyInstance, service: SearchService, opts: { documentMaxBytes: number }): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.post(
    '/api/v1/search',
    {
      config: { permission: 'search:read' },
      schema: { tags, body: searchBody, response: { 200: searchResponse, 503: error } },
    },
    async (req) => ({ results: await service.search(req.actor!, req.body) }),
  );
  r.post(
    '/api/v1/search/documents',
    {
      config: { permission: 'search:write' },
      bodyLimit: Math.ceil((opts.documentMaxBytes * 4) / 3) + 1024 * 1024,
      schema: { tags, body: uploadBody, response: { 201: documentView, 400: error, 413: error } },
    },
    async (req, reply) => reply.code(201).send(await service.upload(req.actor!, req.body)),
  );
  r.get(
    '/api/v1/search/documents',
    {
      config: { permission: 'search:read' },
      schema: { tags, querystring: pageQuery, response: { 200: pageSchema(documentView) } },
    },
    async (req) => service.listDocuments(req.actor!, req.query),
  );
  r.get(
    '/api/v1/search/documents/:id',
    {
      config: { permission: 'search:read' },
      schema: { tags, params: idParams, response: { 200: documentDetail, 404: error } },
    },
    async (req) => service.getDocument(req.actor!, req.params.id),
  );
  r.delete(
    '/api/v1/search/documents/:id',
    {
      config: { permission: 'search:write' },
      schema: { tags, params: idParams, response: { 204: z.null(), 404: error } },
    },
    async (req, reply) => {
      await service.removeDocument(req.actor!, req.params.id);
      return reply.code(204).send(null);
    },
  );
}
