import type { FastifyInstance } from 'fastify';
import type { Config } from '../config.ts';
import { VERSION } from '../app.ts';
import auditPlugin from './audit/audit.plugin.ts';
import approvalsPlugin from './approvals/approvals.plugin.ts';
import { createToolsModule } from './tools/tools.plugin.ts';
import mcpServerPlugin from './mcp-server/mcp-server.plugin.ts';

/** What every domain module may be handed when it is registered. */
export interface ModuleContext {
  config: Config;
  secret: string;
}

/** Registers the domain modules in dependency order. */
export async function registerModules(app: FastifyInstance, _ctx: ModuleContext): Promise<void> {
  // Domain modules are registered here as they land.
  await app.register(auditPlugin);
  await app.register(approvalsPlugin);
  // The catalogue and the CloudProvider come from cloud/ (branch `cloud`); until it lands the gate
  // starts empty and other modules or tests contribute tools with `app.tools.catalogue.register`.
  await app.register(createToolsModule({ tools: [], cloud: () => ({}) }));
  await app.register(mcpServerPlugin, { version: VERSION });
}
