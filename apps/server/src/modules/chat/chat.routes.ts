import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../workflows/workflows.routes.ts';
import type { ChatService } from './chat.service.ts';
import { sendTurn } from './chat.http.ts';
import {
  chatBody,
  errorBody,
  listThreadsQuery,
  renameBody,
  stopParams,
  stopResult,
  threadDetail,
  threadPage,
  threadParams,
  threadSummary,
} from './chat.schemas.ts';

const errors = { 400: errorBody, 401: errorBody, 403: errorBody, 404: errorBody, 409: errorBody, 503: errorBody };
const read = { permission: 'sessions:read', rateCategory: 'api' } as const;
const write = { permission: 'sessions:write', rateCategory: 'api' } as const;

/** /api/chat: the UI message stream of a turn, stop, and the caller's threads. */
export async function chatRoutes(app: FastifyInstance, chat: ChatService): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post(
    '/api/chat',
    { config: { permission: 'sessions:write', rateCategory: 'chat' }, schema: { body: chatBody, response: errors } },
    async (req, reply) => {
      const turn = await chat.turn(actorOf(req), req.body);
      await sendTurn(app, reply, turn);
    },
  );
  r.post(
    '/api/chat/:threadId/stop',
    {
      config: { permission: 'sessions:write', rateCategory: 'chat' },
      schema: { params: stopParams, response: { 202: stopResult, ...errors } },
    },
    async (req, reply) => {
      await chat.stop(actorOf(req), req.params.threadId);
      return reply.code(202).send({ threadId: req.params.threadId, requested: true as const });
    },
  );
  r.get(
    '/api/chat/threads',
    { config: read, schema: { querystring: listThreadsQuery, response: { 200: threadPage, ...errors } } },
    async (req) => chat.listThreads(actorOf(req), req.query),
  );
  r.get(
    '/api/chat/threads/:id',
    { config: read, schema: { params: threadParams, response: { 200: threadDetail, ...errors } } },
    async (req) => chat.getThread(actorOf(req), req.params.id),
  );
  r.patch(
    '/api/chat/threads/:id',
    { config: write, schema: { params: threadParams, body: renameBody, response: { 200: threadSummary, ...errors } } },
    async (req) => chat.renameThread(actorOf(req), req.params.id, req.body.title),
  );
  r.delete(
    '/api/chat/threads/:id',
    { config: write, schema: { params: threadParams, response: { 204: z.null(), ...errors } } },
    async (req, reply) => {
      await chat.deleteThread(actorOf(req), req.params.id);
      return reply.code(204).send(null);
    },
  );
}
