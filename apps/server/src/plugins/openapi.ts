import fp from 'fastify-plugin';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';

/**
 * The OpenAPI document, generated from the route schemas, at /api/openapi.json, and a docs page
 * at /api/docs (API_DOCS_ENABLED). Registered before the routes so every route is collected.
 */
export default fp(
  async (app, opts: { docs: boolean; version: string }) => {
    await app.register(swagger, {
      openapi: {
        info: {
          title: 'CloudNow API',
          version: opts.version,
          description:
            'The CloudNow portal API. Authenticate with a session cookie or an API key (Authorization: Bearer cn_… or X-API-Key).',
        },
        components: {
          securitySchemes: {
            apiKey: { type: 'http', scheme: 'bearer', description: 'An API key (cn_…)' },
            session: { type: 'apiKey', in: 'cookie', name: 'cloudnow.session_token' },
          },
        },
      },
      transform: jsonSchemaTransform,
      transformObject: jsonSchemaTransformObject,
    });
    app.get('/api/openapi.json', { config: { public: true }, schema: { hide: true } }, async () => app.swagger());
    if (opts.docs) {
      // The docs page and its assets are public like the document itself.
      app.addHook('onRoute', (route) => {
        if (route.url.startsWith('/api/docs')) route.config = { ...(route.config ?? {}), public: true };
      });
      await app.register(swaggerUi, { routePrefix: '/api/docs', uiConfig: { deepLinking: true }, staticCSP: true });
    }
  },
  { name: 'openapi' },
);
