import fp from 'fastify-plugin';
import type { FastifyError } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { isDatabaseUnavailableError } from '../db/database.ts';
import { DatabaseUnavailable, RouteNotFound } from '../errors.ts';

/** Formats zod issues as `"field.path: message"` joined by "; " (the field is always named). */
export function formatIssues(
  issues: ReadonlyArray<{ instancePath?: string; path?: ReadonlyArray<PropertyKey>; message?: string }>,
  prefix = '',
): string {
  return issues
    .map((i) => {
      const path = i.path?.length ? i.path.map(String).join('.') : (i.instancePath ?? '').replace(/^\//, '').replaceAll('/', '.');
      const field = [prefix, path].filter(Boolean).join('.');
      return `${field || '(body)'}: ${i.message ?? 'invalid'}`;
    })
    .join('; ');
}

/**
 * One error handler: `{ code, message }` for every error, the status from the coded error, the
 * message only below 500 (5xx say "Internal error" and are logged with the request context), and
 * the request id in `x-request-id`. Validation errors name their field. A rate-limited 404.
 */
export default fp(
  async (app) => {
    app.setErrorHandler((err: FastifyError, req, reply) => {
      if (hasZodFastifySchemaValidationErrors(err)) {
        const where = err.validationContext ?? 'body';
        const prefix = where === 'body' ? '' : where;
        return reply.code(400).send({ code: 'VALIDATION_FAILED', message: formatIssues(err.validation, prefix) });
      }
      if (isResponseSerializationError(err)) {
        req.log.error({ err, issues: err.cause.issues }, 'response did not match its schema');
        return reply.code(500).send({ code: 'INTERNAL', message: 'Internal error' });
      }
      if (!err.statusCode && isDatabaseUnavailableError(err)) {
        req.log.warn({ err: err.message }, 'request failed: database unavailable');
        const unavailable = new DatabaseUnavailable();
        return reply.code(503).header('retry-after', '5').send({ code: unavailable.code, message: unavailable.message });
      }
      const status = err.statusCode && err.statusCode >= 400 ? err.statusCode : 500;
      if (status >= 500) {
        req.log.error({ err }, 'request failed');
        if (status === 500) return reply.code(500).send({ code: 'INTERNAL', message: 'Internal error' });
        return reply.code(status).send({ code: err.code ?? 'UNAVAILABLE', message: err.code ? err.message : 'Service unavailable' });
      }
      if (status === 429 && !err.code) return reply.code(429).send({ code: 'RATE_LIMITED', message: err.message });
      let code = err.code ?? 'BAD_REQUEST';
      if (code.startsWith('FST_ERR_CTP'))
        code = status === 413 ? 'PAYLOAD_TOO_LARGE' : status === 415 ? 'UNSUPPORTED_MEDIA_TYPE' : 'BAD_REQUEST';
      else if (code.startsWith('FST_')) code = status === 413 ? 'PAYLOAD_TOO_LARGE' : 'BAD_REQUEST';
      return reply.code(status).send({ code, message: err.message });
    });

    app.setNotFoundHandler({ preHandler: app.rateLimit({ max: 60, timeWindow: 60_000 }) }, (req, reply) => {
      if (app.hasDecorator('web') && app.web.fallback(req, reply)) return reply;
      throw new RouteNotFound(req.method, req.url.split('?')[0] ?? req.url);
    });
  },
  { name: 'errors', dependencies: ['@fastify/rate-limit'] },
);
