import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Config } from '../../config.ts';
import { errorSchema } from '../auth/page.ts';
import { Forbidden, Gone } from '../../errors.ts';
import * as setup from './setup.service.ts';
import {
  adminCreatedSchema,
  aiChoiceBody,
  aiTestBody,
  aiTestResult,
  createAdminBody,
  detectEnvSchema,
  okSchema,
  statusSchema,
} from './setup.schemas.ts';
import { SetupToken } from './setup.token.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** This process's setup token (boot banner and tests only; never in a response). */
    setupToken: SetupToken;
  }
}

const errors = { 400: errorSchema, 403: errorSchema, 409: errorSchema, 410: errorSchema, 429: errorSchema };
const perMinute = (max: number) => ({ max, timeWindow: 60_000 });

/**
 * The setup wizard API. `status` is public (booleans); everything else needs the one-time token
 * (`Authorization: Bearer <token>`), and each route has its own per-IP limit.
 */
export async function setupRoutes(app: FastifyInstance, opts: { config: Config }): Promise<void> {
  const token = new SetupToken();
  app.decorate('setupToken', token);
  const deps: setup.SetupDeps = {
    db: () => app.db,
    cache: app.cache,
    settings: app.settings,
    auth: app.auth,
    token,
    providers: () => app.aiProviders,
    models: () => app.models,
  };
  // Issued at once (so it exists as soon as the routes do), dropped if setup turns out complete;
  // printed only while it is needed.
  const issued = token.issue();
  app.database.onReady(async () => {
    if (await app.settings.get('setup.completed')) return token.invalidate();
    app.log.warn(`Setup is not complete. Open ${opts.config.publicUrl}/setup and use the setup token: ${issued}`);
  });
  const requireToken = async (req: FastifyRequest): Promise<void> => {
    if (!token.active) throw new Gone('Setup is complete; the setup token is no longer valid');
    if (!token.matches(req.headers.authorization)) throw new Forbidden('the setup token (Authorization: Bearer <token>)');
  };
  const cfg = (max: number) => ({ public: true as const, rateCategory: 'setup' as const, rateLimit: perMinute(max) });
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get('/api/setup/status', { config: cfg(20), schema: { tags: ['setup'], response: { 200: statusSchema } } }, async () =>
    setup.setupStatus(deps),
  );
  r.get(
    '/api/setup/detect-env',
    { config: cfg(10), preValidation: requireToken, schema: { tags: ['setup'], response: { 200: detectEnvSchema, ...errors } } },
    async () =>
      setup.detectEnv({
        database: app.database.kind,
        vector: app.database.vectorAvailable,
        cache: app.cache.mode,
        publicUrl: opts.config.publicUrl,
      }),
  );
  r.post(
    '/api/setup/admin',
    {
      config: cfg(20),
      preValidation: requireToken,
      schema: { tags: ['setup'], body: createAdminBody, response: { 201: adminCreatedSchema, ...errors } },
    },
    async (req, reply) => {
      const { cookies, ...created } = await setup.createAdmin(deps, req.body);
      if (cookies.length > 0) void reply.header('set-cookie', cookies);
      return reply.code(201).send(created);
    },
  );
  r.post(
    '/api/setup/ai-provider',
    {
      config: cfg(20),
      preValidation: requireToken,
      schema: { tags: ['setup'], body: aiChoiceBody, response: { 200: okSchema, ...errors } },
    },
    async (req) => {
      await setup.chooseAi(deps, req.body);
      return { ok: true as const };
    },
  );
  r.post(
    '/api/setup/ai-provider/test',
    {
      config: cfg(5),
      preValidation: requireToken,
      schema: { tags: ['setup'], body: aiTestBody, response: { 200: aiTestResult, ...errors } },
    },
    async (req) => setup.testAi(deps, req.body),
  );
  r.post(
    '/api/setup/complete',
    { config: cfg(20), preValidation: requireToken, schema: { tags: ['setup'], response: { 200: okSchema, ...errors } } },
    async () => {
      await setup.completeSetup(deps);
      return { ok: true as const };
    },
  );
}
