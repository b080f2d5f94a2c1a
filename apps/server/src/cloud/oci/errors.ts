import { CloudApiError } from '../errors.ts';

/** The parts of an OciError (or any error) the translation reads. */
interface OciLike {
  statusCode?: number;
  serviceCode?: string;
  message?: string;
  opcRequestId?: string | null;
  code?: string;
}

const SENTENCES: Record<string, (what: string) => string> = {
  NotAuthorizedOrNotFound: (w) => `${w} was not found, or the configured OCI user is not authorised to see it`,
  NotAuthenticated: () =>
    'OCI did not accept the request signature: check the API key, its fingerprint, the user and tenancy OCIDs of the configured profile, and the server clock',
  NotAuthorized: (w) => `the configured OCI user is not authorised to do this with ${w}; an IAM policy must grant it`,
  IncorrectState: (w) => `${w} is not in a state that allows this right now`,
  Conflict: (w) => `${w} conflicts with the current state`,
  TooManyRequests: () => 'OCI is rate-limiting these requests; try again in a moment',
  InvalidParameter: () => 'OCI refused a parameter of the request',
  MissingParameter: () => 'OCI says a required parameter is missing',
  LimitExceeded: () => 'a service limit of the tenancy would be exceeded',
  QuotaExceeded: () => 'a compartment quota would be exceeded',
  BucketNotEmpty: (w) => `${w} is not empty; delete its objects first`,
  BucketAlreadyExists: (w) => `${w} already exists`,
  InternalServerError: () => 'OCI had an internal error; try again later',
  ServiceUnavailable: () => 'the OCI service is unavailable right now; try again later',
};

/**
 * Turns an OCI SDK failure into a CloudApiError with one readable sentence:
 * "OCI compute (list instances): <what went wrong> (404 NotAuthorizedOrNotFound, request <id>)".
 * Caller errors keep their status (400, 404, 409, 429); bad credentials (401/403) and OCI
 * failures become 502, because they are the server's configuration or OCI's fault, not the caller's.
 */
export function translateOciError(err: unknown, service: string, operation: string, what: string): Error {
  const e = (err ?? {}) as OciLike;
  if (typeof e.statusCode !== 'number' || e.statusCode === -1) {
    const reason =
      e.code === 'ECONNREFUSED' || /fetch failed|ECONNREFUSED|ENOTFOUND/i.test(e.message ?? '')
        ? 'could not reach the endpoint'
        : (e.message ?? 'unknown error');
    const out = new CloudApiError(`OCI ${service} (${operation}): ${reason}`);
    out.statusCode = 502;
    return out;
  }
  const code = e.serviceCode || 'Unknown';
  const sentence = SENTENCES[code]?.(what) ?? (e.message ? e.message.replace(/\.$/, '') : `the request failed`);
  const detail = SENTENCES[code] && e.message && code !== 'NotAuthenticated' ? `: ${e.message.replace(/\.$/, '')}` : '';
  const request = e.opcRequestId ? `, request ${e.opcRequestId}` : '';
  const out = new CloudApiError(`OCI ${service} (${operation}): ${sentence}${detail} (${e.statusCode} ${code}${request})`);
  out.statusCode = [400, 404, 409, 412, 429].includes(e.statusCode) ? e.statusCode : 502;
  return out;
}
