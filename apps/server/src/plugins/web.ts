import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fp from 'fastify-plugin';
import fastifyStatic from '@fastify/static';
import type { FastifyReply, FastifyRequest } from 'fastify';

const PLACEHOLDER = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>CloudNow</title></head>
<body style="font-family:system-ui,sans-serif;max-width:40rem;margin:4rem auto;padding:0 1rem">
<h1>CloudNow</h1><p>The portal server is running. The web app has not been built yet: run <code>npm run build -w apps/web</code>.</p>
<p><a href="/readyz">Readiness</a> · <a href="/api/docs">API docs</a></p></body></html>`;

/** Serves the web app. */
export interface Web {
  /** Whether a built app was found. */
  readonly built: boolean;
  /** Answers a browser navigation to a client-side route with the app shell; false if not applicable. */
  fallback(req: FastifyRequest, reply: FastifyReply): boolean;
}

declare module 'fastify' {
  interface FastifyInstance {
    web: Web;
  }
}

/**
 * Serves the built React app (apps/web/dist) with long-lived caching for hashed assets, and the
 * app shell for client-side routes; a placeholder page when the app has not been built.
 */
export default fp(
  async (app, opts: { distDir?: string }) => {
    const dist = opts.distDir ?? fileURLToPath(new URL('../../../web/dist/', import.meta.url));
    const built = existsSync(`${dist}/index.html`);
    if (built) {
      // The static routes are public (the auth hook enforces credentials on everything else).
      app.addHook('onRoute', (route) => {
        if (route.url === '/' || route.url === '/*') route.config = { ...(route.config ?? {}), public: true };
      });
      await app.register(fastifyStatic, {
        root: dist,
        prefix: '/',
        wildcard: true,
        index: ['index.html'],
        setHeaders: (reply, path) => {
          void reply.header('cache-control', path.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache');
        },
      });
    } else {
      app.get('/', { config: { public: true }, schema: { hide: true } }, async (_req, reply) => reply.type('text/html').send(PLACEHOLDER));
    }
    app.decorate('web', {
      built,
      fallback(req, reply) {
        const wantsHtml = (req.headers.accept ?? '').includes('text/html');
        if (req.method !== 'GET' || !wantsHtml || req.url.startsWith('/api/')) return false;
        if (built) void reply.header('cache-control', 'no-cache').sendFile('index.html');
        else void reply.type('text/html').send(PLACEHOLDER);
        return true;
      },
    } satisfies Web);
  },
  { name: 'web' },
);
