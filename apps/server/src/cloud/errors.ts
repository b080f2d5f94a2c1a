import createError from '@fastify/error';

/** A resource the tenancy does not have (or the caller may not see): `{ code: 'CLOUD_NOT_FOUND' }`, 404. */
export const CloudResourceNotFound = createError<[string, string]>('CLOUD_NOT_FOUND', '%s %s not found', 404);

/** The resource exists but its state forbids the action (stop a stopped instance): 409. */
export const CloudConflict = createError<[string]>('CLOUD_CONFLICT', '%s', 409);

/** A request the cloud refused as invalid (bad CIDR, unknown shape): 400. */
export const CloudBadRequest = createError<[string]>('CLOUD_BAD_REQUEST', '%s', 400);

/**
 * A translated OCI API failure. Carries the HTTP status OCI answered (4xx stays 4xx; 5xx and
 * transport failures become 502) and a sentence saying what went wrong.
 */
export const CloudApiError = createError<[string]>('CLOUD_API_ERROR', '%s', 502);
