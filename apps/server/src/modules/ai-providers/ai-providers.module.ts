import type { FastifyInstance } from 'fastify';
import type { LanguageModelV4 } from '@ai-sdk/provider';
import type { ModuleContext } from '../index.ts';
import { createSecretBox } from '../../lib/crypto.ts';
import { createOfflineModel } from '../../agent/offline-model.ts';
import { createProviderRegistry, type ProviderRegistry } from '../../agent/provider-registry.ts';
import { recordAdminChange } from '../admin-audit/admin-audit.service.ts';
import { withTenant } from '../../db/tenant.ts';
import { createAiProvidersService, type AiProvidersService } from './ai-providers.service.ts';
import { aiProvidersRoutes } from './ai-providers.routes.ts';

declare module 'fastify' {
  interface FastifyInstance {
    aiProviders: AiProvidersService;
    /** Resolves `providerId:model` to an AI SDK model (chat, workflow ai-steps, advisor synthesis). */
    models: ProviderRegistry & { languageModel(modelId: string): Promise<LanguageModelV4> };
  }
}

/** Wires AI providers: the service (seeded on first boot), the registry, GET /api/models and the admin CRUD. */
export async function registerAiProviders(app: FastifyInstance, ctx: ModuleContext): Promise<void> {
  const service = createAiProvidersService({
    db: () => app.db,
    cache: app.cache,
    box: createSecretBox(ctx.secret),
    audit: (actor, change) =>
      withTenant(app.db, actor.orgId, (tx) =>
        recordAdminChange(tx, actor, {
          action: change.action,
          targetType: 'ai_provider',
          targetId: change.target,
          before: change.from,
          after: change.to,
        }),
      ).then(() => undefined),
  });
  const offline = createOfflineModel();
  const registry = createProviderRegistry({ providers: service, offline: () => offline });
  app.decorate('aiProviders', service);
  app.decorate('models', { ...registry, languageModel: async (modelId: string) => (await registry.resolve(modelId)).model });
  app.database.onReady(async () => {
    const n = await service.seed(ctx.config);
    if (n > 0) app.log.info({ providers: n }, 'ai providers: seeded on first boot');
  });
  await aiProvidersRoutes(app, service, registry);
}
