import type { FastifyInstance } from 'fastify';
import { RouteNotFound } from '../../errors.ts';
import { sendWebResponse, toWebRequest } from './web-request.ts';

/**
 * `/api/auth/*`: Better Auth behind a closed list of paths (`app.auth.expose`). The Fastify request
 * becomes a Web Request for the current instance; status, headers and every Set-Cookie are copied
 * back. Form posts (OIDC `form_post` callbacks) pass through as raw strings.
 */
export async function authRoutes(app: FastifyInstance, opts: { publicUrl: string }): Promise<void> {
  await app.register(async (scope) => {
    scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => done(null, body));
    scope.route({
      method: ['GET', 'POST'],
      url: '/api/auth/*',
      config: { public: true },
      schema: { hide: true },
      handler: async (req, reply) => {
        const path = (req.url.split('?')[0] ?? '').slice('/api/auth'.length);
        if (!app.auth.isExposed(path)) throw new RouteNotFound(req.method, req.url.split('?')[0] ?? req.url);
        const res = await app.auth.handler(toWebRequest(req, opts.publicUrl));
        return sendWebResponse(reply, res);
      },
    });
  });
}
