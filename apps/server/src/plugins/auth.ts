import fp from 'fastify-plugin';
import type { BetterAuthPlugin } from 'better-auth';
import { hasPermission, type Actor } from '@cloudnow/shared';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Forbidden, ServiceUnavailable, Unauthorized } from '../errors.ts';
import { createAuthInstance, SESSION_COOKIE, type AuthInstance } from '../modules/auth/auth.instance.ts';
import { createAuthPolicies, ENDED_NS } from '../modules/auth/auth.policies.ts';
import { valkeySecondaryStorage } from '../modules/auth/auth.storage.ts';
import { actorFromApiKey, actorFromSession, apiKeyFrom, isFailure, type ActorFailure } from '../modules/auth/actor.ts';
import { toWebHeaders } from '../modules/auth/web-request.ts';
import { ApiKeyUsage } from '../modules/access/api-keys.verify.ts';

/**
 * The auth contract every module relies on.
 *
 * - `handler(req)` answers a Web Request for `/api/auth/*` with the CURRENT Better Auth instance.
 * - `api` / `instance` are the current instance (throw 503 until the database is ready).
 * - `reload({ plugins })` rebuilds the instance with a new set of extra plugins (e.g. genericOAuth
 *   from the IdP table); the base config (email+password, organization, storage, hooks) is kept.
 *   Requests already running finish on the old instance. Call it on every replica on change.
 * - `expose(prefix)` lets the `/api/auth/*` proxy pass a Better Auth path prefix (closed list).
 */
export interface AuthManager {
  readonly ready: boolean;
  readonly instance: AuthInstance;
  readonly api: AuthInstance['api'];
  handler(req: Request): Promise<Response>;
  reload(extra?: { plugins?: BetterAuthPlugin[] }): void;
  expose(pathPrefix: string): void;
  isExposed(path: string): boolean;
  /** Pending API-key usage, flushed once a minute (tests call `flush`). */
  readonly apiKeyUsage: ApiKeyUsage;
}

declare module 'fastify' {
  interface FastifyInstance {
    auth: AuthManager;
  }
}

/** Better Auth paths the proxy serves by default (everything else under /api/auth is 404). */
const DEFAULT_EXPOSED = [
  '/sign-up/email',
  '/sign-in/email',
  '/sign-out',
  '/get-session',
  '/revoke-session',
  '/revoke-sessions',
  '/revoke-other-sessions',
  '/change-password',
  '/update-user',
  '/organization/set-active',
  '/ok',
  '/error',
];

const USAGE_FLUSH_MS = 60_000;

/**
 * Builds `app.auth` (Better Auth on our Kysely database, built once the database is ready) and the
 * ONE hook that, per request: resolves `request.actor` from an API key or the session cookie,
 * enforces `portal.session_timeout`, `portal.maintenance_mode` (admins pass) and the route's
 * `config.permission` — 401 without credentials, 403 without permission. Routes with
 * `config.public` (and Better Auth's own `/api/auth/*`) skip enforcement.
 */
export default fp(
  async (app, opts: { secret: string; publicUrl: string; trustedOrigins: readonly string[] }) => {
    let current: AuthInstance | null = null;
    let extraPlugins: BetterAuthPlugin[] = [];
    const exposed = new Set(DEFAULT_EXPOSED);
    const deps = { db: () => app.db, cache: app.cache };
    const policies = createAuthPolicies({ ...deps, settings: app.settings });
    const usage = new ApiKeyUsage(deps.db);
    const build = (): AuthInstance =>
      createAuthInstance({
        db: app.db,
        secret: opts.secret,
        baseURL: opts.publicUrl,
        trustedOrigins: opts.trustedOrigins,
        secondaryStorage: app.valkey ? valkeySecondaryStorage(app.valkey.pub.client, app.valkey.prefix) : null,
        policies,
        plugins: extraPlugins,
      });
    const instance = (): AuthInstance => {
      if (!current) throw new ServiceUnavailable('Authentication is starting; try again shortly');
      return current;
    };
    const manager: AuthManager = {
      get ready() {
        return current !== null;
      },
      get instance() {
        return instance();
      },
      get api() {
        return instance().api;
      },
      handler: (req) => instance().handler(req),
      reload(extra) {
        extraPlugins = extra?.plugins ?? [];
        if (current) current = build();
      },
      expose: (prefix) => void exposed.add(prefix),
      isExposed: (path) => [...exposed].some((p) => path === p || path.startsWith(p.endsWith('/') ? p : `${p}/`)),
      apiKeyUsage: usage,
    };
    app.decorate('auth', manager);
    app.decorateRequest('actor', null);
    app.database.onReady(() => {
      current = build();
    });

    const timer = setInterval(() => {
      usage.flush().catch((err: unknown) => app.log.warn({ err }, 'api keys: usage flush failed'));
    }, USAGE_FLUSH_MS);
    timer.unref();
    app.addHook('onClose', async () => {
      clearInterval(timer);
      if (app.database.ready) await usage.flush().catch(() => {});
    });

    async function resolve(req: FastifyRequest, reply: FastifyReply): Promise<Actor | ActorFailure | null> {
      const key = apiKeyFrom(req.headers);
      if (key) return actorFromApiKey({ ...deps, usage }, key);
      if (!req.cookies?.[SESSION_COOKIE]) return null;
      const res = await instance().api.getSession({ headers: toWebHeaders(req.headers), returnHeaders: true });
      const cookies = res.headers.getSetCookie();
      if (cookies.length > 0) void reply.header('set-cookie', cookies);
      const data = res.response;
      if (!data) return { status: 401, code: 'SESSION_INVALID', message: 'Your session has ended; sign in again' };
      const s = data.session as typeof data.session & { activeOrganizationId?: string | null };
      // Cookie-cache mode (no Valkey, one process): a signed-out session's cookie copy is refused here.
      if (!app.valkey && (await app.cache.get(ENDED_NS, s.id))) {
        return { status: 401, code: 'SESSION_INVALID', message: 'Your session has ended; sign in again' };
      }
      const createdAt = new Date(s.createdAt);
      const timeoutMin = await app.settings.get('portal.session_timeout');
      if (Date.now() - createdAt.getTime() > timeoutMin * 60_000) {
        return { status: 401, code: 'SESSION_EXPIRED', message: 'Your session has expired; sign in again' };
      }
      return actorFromSession(deps, { id: s.id, userId: s.userId, activeOrganizationId: s.activeOrganizationId ?? null, createdAt });
    }

    app.addHook('onRequest', async (req, reply) => {
      // Better Auth's own routes resolve their session themselves.
      if (req.routeOptions.url === '/api/auth/*') return;
      const config = req.routeOptions.config ?? {};
      const isPublic = config.public === true || req.is404;
      let result: Actor | ActorFailure | null;
      try {
        result = await resolve(req, reply);
      } catch (err) {
        if (isPublic) return;
        throw err;
      }
      if (result && !isFailure(result)) req.actor = result;
      if (isPublic) return;
      if (!result) throw new Unauthorized();
      if (isFailure(result)) return reply.code(result.status).send({ code: result.code, message: result.message });
      const settings = await app.settings.all();
      if (settings['portal.maintenance_mode'] && result.role !== 'admin') {
        return reply.code(503).send({
          code: 'MAINTENANCE',
          message: settings['portal.maintenance_message'] || 'The portal is down for maintenance; try again later',
        });
      }
      if (config.permission && !hasPermission(result.permissions, config.permission)) throw new Forbidden(config.permission);
    });
  },
  { name: 'auth', dependencies: ['db', 'cache', 'settings', 'valkey', '@fastify/cookie'] },
);
