import fp from 'fastify-plugin';
import helmet from '@fastify/helmet';
import cors from '@fastify/cors';
import cookie from '@fastify/cookie';

/**
 * Security headers (helmet with a CSP that allows only our own origin), `Cache-Control: no-store`
 * on API responses, CORS from config with credentials, and signed cookies.
 */
export default fp(
  async (app, opts: { corsOrigins: readonly string[]; cookieSecret: string }) => {
    await app.register(helmet, {
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'", "'unsafe-inline'"],
          imgSrc: ["'self'", 'data:', 'blob:'],
          fontSrc: ["'self'", 'data:'],
          connectSrc: ["'self'"],
          objectSrc: ["'none'"],
          frameAncestors: ["'none'"],
          baseUri: ["'self'"],
          formAction: ["'self'"],
        },
      },
      crossOriginEmbedderPolicy: false,
      hsts: { maxAge: 31_536_000, includeSubDomains: true },
    });
    app.addHook('onSend', async (req, reply, payload) => {
      if (req.url.startsWith('/api/')) reply.header('cache-control', 'no-store');
      reply.header('permissions-policy', 'camera=(), microphone=(), geolocation=()');
      return payload;
    });
    await app.register(cors, { origin: [...opts.corsOrigins], credentials: true });
    await app.register(cookie, { secret: opts.cookieSecret });
  },
  { name: 'security' },
);
