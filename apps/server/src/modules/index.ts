import type { FastifyInstance } from 'fastify';
import type { Config } from '../config.ts';
import type { AssertPublicUrlOptions } from '../lib/ssrf.ts';
import { registerIdpModule } from './idp/idp.module.ts';

/** What every domain module may be handed when it is registered. */
export interface ModuleContext {
  config: Config;
  secret: string;
  /** SSRF-guard options for outbound URLs (tests allow their local stand-ins here; never user input). */
  urlGuard?: AssertPublicUrlOptions;
}

/** Registers the domain modules in dependency order. */
export async function registerModules(app: FastifyInstance, ctx: ModuleContext): Promise<void> {
  // Domain modules are registered here as they land.
  registerIdpModule(app, { secret: ctx.secret, ...(ctx.urlGuard ? { guard: ctx.urlGuard } : {}) });
}
