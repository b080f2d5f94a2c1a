import type { FastifyInstance } from 'fastify';
import type { Config } from '../config.ts';
import { VERSION } from '../app.ts';
import auditPlugin from './audit/audit.plugin.ts';
import approvalsPlugin from './approvals/approvals.plugin.ts';
import { createToolsModule } from './tools/tools.plugin.ts';
import mcpServerPlugin from './mcp-server/mcp-server.plugin.ts';
import { catalogue } from '../cloud/catalogue/index.ts';
import { createCloudProviderFactory } from '../cloud/factory.ts';
import type { CloudProviderFactory } from '../cloud/provider.ts';
import { authRoutes } from './auth/auth.routes.ts';
import { meRoutes } from './auth/me.routes.ts';
import { settingsRoutes } from './settings/settings.routes.ts';
import { adminAuditRoutes } from './admin-audit/admin-audit.routes.ts';
import { orgsRoutes } from './orgs/orgs.routes.ts';
import { invitationsRoutes } from './orgs/invitations.routes.ts';
import { accessRoutes } from './access/access.routes.ts';
import { setupRoutes } from './setup/setup.routes.ts';
import type { AssertPublicUrlOptions } from '../lib/ssrf.ts';
import { registerIdpModule } from './idp/idp.module.ts';
import workflowsModule from './workflows/workflows.plugin.ts';
import { registerAiProviders } from './ai-providers/ai-providers.module.ts';
import { registerWebhooks } from './webhooks/webhooks.module.ts';
import { registerMcp } from './mcp/mcp.module.ts';
import { registerFindings } from './findings/findings.module.ts';
import { registerChat } from './chat/chat.module.ts';
import { registerSearch } from './search/search.module.ts';

/** What every domain module may be handed when it is registered. */
export interface ModuleContext {
  config: Config;
  secret: string;
  /** SSRF-guard options for outbound URLs (tests allow their local stand-ins here; never user input). */
  urlGuard?: AssertPublicUrlOptions;
}

/** Registers the domain modules in dependency order. */
export async function registerModules(app: FastifyInstance, ctx: ModuleContext): Promise<void> {
  // Identity (the auth plugin and app.settings are registered in app.ts, ahead of every route).
  await authRoutes(app, { publicUrl: ctx.config.publicUrl });
  await meRoutes(app);
  await setupRoutes(app, { config: ctx.config });
  await settingsRoutes(app);
  await adminAuditRoutes(app);
  await orgsRoutes(app);
  await invitationsRoutes(app, { publicUrl: ctx.config.publicUrl });
  await accessRoutes(app);
  // Tool gate, approvals, audit, MCP server: the cloud catalogue, run on the configured tenancy
  // adapter (built on first use: the sandbox needs the database, which is ready only later).
  await app.register(auditPlugin);
  await app.register(approvalsPlugin);
  let clouds: CloudProviderFactory | null = null;
  const cloud = (orgId: string) => (clouds ??= createCloudProviderFactory(ctx.config, app.db)).forOrg(orgId);
  // Webhooks first: later modules emit through app.webhooks.
  await registerWebhooks(app, ctx);
  await registerAiProviders(app, ctx);
  await app.register(createToolsModule({ tools: catalogue, cloud }));
  await app.register(mcpServerPlugin, { version: VERSION });
  registerIdpModule(app, { secret: ctx.secret, ...(ctx.urlGuard ? { guard: ctx.urlGuard } : {}) });
  await app.register(workflowsModule);
  await registerMcp(app, ctx);
  await registerChat(app, ctx);
  await registerFindings(app, { cloud: { kind: ctx.config.cloud.kind, forOrg: cloud } });
  await registerSearch(app, { config: ctx.config });
}
