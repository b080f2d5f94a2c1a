import type { FastifyInstance } from 'fastify';
import type { ModuleContext } from '../index.ts';
import { SANDBOX_REGION } from '../../cloud/sandbox/ids.ts';
import { SEARCH_INGEST_QUEUE } from '../search/search.contract.ts';
import { createChatRuns } from './chat.runs.ts';
import { createChatService, type ChatService } from './chat.service.ts';
import { chatRoutes } from './chat.routes.ts';
import './chat.tables.ts';

declare module 'fastify' {
  interface FastifyInstance {
    chat: ChatService;
  }
}

/**
 * Wires chat after tools, AI providers and MCP: the service (turns through `app.models` and the
 * tool gate), the cross-replica stop, the search hand-off queue and the /api/chat routes.
 */
export async function registerChat(app: FastifyInstance, ctx: ModuleContext): Promise<void> {
  const runs = createChatRuns({ events: app.events });
  const cloud = ctx.config.cloud;
  const chat = createChatService({
    db: () => app.db,
    models: app.models,
    tools: { tools: app.tools, approvals: app.approvals },
    approvals: app.approvals,
    jobs: app.jobs,
    runs,
    log: app.log,
    place:
      cloud.kind === 'oci'
        ? {
            cloudKind: 'oci',
            region: cloud.region ?? 'unknown',
            compartment: cloud.compartmentId ? { id: cloud.compartmentId } : null,
          }
        : { cloudKind: 'sandbox', region: SANDBOX_REGION, compartment: null },
    timeoutMs: ctx.config.chat.timeoutMs,
  });
  app.decorate('chat', chat);
  app.metrics.gauge('cloudnow_chat_streams', 'Chat generations running in this process', () => runs.size);
  app.addHook('onClose', async () => runs.close());
  await app.jobs.define(SEARCH_INGEST_QUEUE);
  await chatRoutes(app, chat);
}
