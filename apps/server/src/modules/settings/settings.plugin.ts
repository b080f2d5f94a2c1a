import fp from 'fastify-plugin';
import { createSettingsService, type SettingsService } from './settings.service.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** Portal settings through the cache (see SettingsService). */
    settings: SettingsService;
  }
}

/** Decorates `app.settings`; reads go through `app.cache` ('settings'/'all'), writes invalidate it everywhere. */
export default fp(
  async (app) => {
    app.decorate('settings', createSettingsService({ db: () => app.db, cache: app.cache }));
  },
  { name: 'settings', dependencies: ['db', 'cache'] },
);
