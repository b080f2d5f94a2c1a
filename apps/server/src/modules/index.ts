import type { FastifyInstance } from 'fastify';
import type { Config } from '../config.ts';
import workflowsModule from './workflows/workflows.plugin.ts';

/** What every domain module may be handed when it is registered. */
export interface ModuleContext {
  config: Config;
  secret: string;
}

/** Registers the domain modules in dependency order. */
export async function registerModules(app: FastifyInstance, _ctx: ModuleContext): Promise<void> {
  await app.register(workflowsModule);
}
