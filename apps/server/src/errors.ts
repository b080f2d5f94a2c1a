import createError from '@fastify/error';

/**
 * Every coded error the server throws. The error handler turns them into `{ code, message }` with
 * their status; messages of 5xx errors are never sent to the client.
 */
export const BadRequest = createError<[string]>('BAD_REQUEST', '%s', 400);
export const ValidationFailed = createError<[string]>('VALIDATION_FAILED', '%s', 400);
export const Unauthorized = createError('UNAUTHORIZED', 'Authentication required', 401);
export const Forbidden = createError<[string]>('FORBIDDEN', 'Missing permission %s', 403);
export const NotFound = createError<[string]>('NOT_FOUND', '%s not found', 404);
export const RouteNotFound = createError<[string, string]>('ROUTE_NOT_FOUND', 'Route %s %s not found', 404);
export const Conflict = createError<[string]>('CONFLICT', '%s', 409);
export const Gone = createError<[string]>('GONE', '%s', 410);
export const PayloadTooLarge = createError<[string]>('PAYLOAD_TOO_LARGE', '%s', 413);
export const TooManyRequests = createError<[string]>('RATE_LIMITED', '%s', 429);
export const DatabaseUnavailable = createError('DATABASE_UNAVAILABLE', 'The database is not reachable yet', 503);
export const ServiceUnavailable = createError<[string]>('SERVICE_UNAVAILABLE', '%s', 503);
export const ExtensionMissing = createError<[string, string]>(
  'EXTENSION_MISSING',
  'This feature needs the PostgreSQL extension "%s", which is not installed on this database (%s)',
  503,
);
export const ListenerCapReached = createError<[number]>(
  'LISTENER_CAP_REACHED',
  'Too many live subscriptions on this server (cap %d); try again shortly',
  503,
);
