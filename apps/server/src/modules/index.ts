import type { FastifyInstance } from 'fastify';
import type { Config } from '../config.ts';
import { authRoutes } from './auth/auth.routes.ts';
import { meRoutes } from './auth/me.routes.ts';

/** What every domain module may be handed when it is registered. */
export interface ModuleContext {
  config: Config;
  secret: string;
}

/** Registers the domain modules in dependency order. */
export async function registerModules(app: FastifyInstance, ctx: ModuleContext): Promise<void> {
  await authRoutes(app, { publicUrl: ctx.config.publicUrl });
  await meRoutes(app);
}
