import { assertPublicUrl, safeFetch, type AssertPublicUrlOptions } from '../../lib/ssrf.ts';
import type { TestIdpInput, TestResult } from './idp.schemas.ts';

/**
 * "Test connection": fetches the discovery document through the SSRF guard (pinned address,
 * 5 s deadline, 512 KiB cap) and checks it is an OIDC document with issuer, authorization and
 * token endpoints — each of which must pass the guard too. With explicit endpoints instead, it
 * checks each URL against the guard. A refused URL throws UNSAFE_URL (400); a provider that is
 * unreachable or answers nonsense gives `ok: false` with the reason.
 */
export async function testIdpConnection(input: TestIdpInput, guard: AssertPublicUrlOptions, timeoutMs = 5000): Promise<TestResult> {
  const result: TestResult = {
    ok: false,
    issuer: null,
    authorizationEndpoint: null,
    tokenEndpoint: null,
    userInfoEndpoint: null,
    jwksUri: null,
    warnings: [],
    error: null,
  };
  if (!input.discoveryUrl) {
    await assertPublicUrl(input.authorizationUrl!, { ...guard, field: 'authorizationUrl' });
    await assertPublicUrl(input.tokenUrl!, { ...guard, field: 'tokenUrl' });
    if (input.jwksUrl) await assertPublicUrl(input.jwksUrl, { ...guard, field: 'jwksUrl' });
    else result.warnings.push('no jwksUrl: ID tokens cannot be verified; userinfo is used instead');
    return {
      ...result,
      ok: true,
      authorizationEndpoint: input.authorizationUrl!,
      tokenEndpoint: input.tokenUrl!,
      jwksUri: input.jwksUrl ?? null,
    };
  }

  let doc: Record<string, unknown>;
  try {
    const res = await safeFetch(input.discoveryUrl, {
      ...guard,
      field: 'discoveryUrl',
      timeoutMs,
      maxBytes: 512 * 1024,
      headers: { accept: 'application/json' },
    });
    if (res.status !== 200) return { ...result, error: `discovery document answered HTTP ${res.status}` };
    const parsed: unknown = JSON.parse(res.body);
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
      return { ...result, error: 'discovery document is not a JSON object' };
    doc = parsed as Record<string, unknown>;
  } catch (err) {
    if ((err as { code?: string }).code === 'UNSAFE_URL') throw err;
    if (err instanceof SyntaxError) return { ...result, error: 'discovery document is not valid JSON' };
    return { ...result, error: err instanceof Error ? err.message : 'discovery request failed' };
  }

  const str = (k: string): string | null => (typeof doc[k] === 'string' && doc[k] ? (doc[k] as string) : null);
  const found = {
    issuer: str('issuer'),
    authorizationEndpoint: str('authorization_endpoint'),
    tokenEndpoint: str('token_endpoint'),
    userInfoEndpoint: str('userinfo_endpoint'),
    jwksUri: str('jwks_uri'),
  };
  Object.assign(result, found);
  const missing = (['issuer', 'authorization_endpoint', 'token_endpoint'] as const).filter((k) => !str(k));
  if (missing.length) return { ...result, error: `discovery document lacks ${missing.join(', ')}` };
  for (const [field, value] of [
    ['authorization_endpoint', found.authorizationEndpoint],
    ['token_endpoint', found.tokenEndpoint],
    ['userinfo_endpoint', found.userInfoEndpoint],
    ['jwks_uri', found.jwksUri],
  ] as const) {
    if (!value) continue;
    try {
      await assertPublicUrl(value, { ...guard, field });
    } catch (err) {
      return { ...result, error: (err as Error).message };
    }
  }
  if (!found.jwksUri) result.warnings.push('no jwks_uri: ID tokens cannot be verified');
  // OCI IAM identity domains publish issuer https://identity.oraclecloud.com/ under the domain's
  // own URL, so a different issuer is a warning, not a failure.
  if (!input.discoveryUrl.startsWith(found.issuer!.replace(/\/$/, ''))) {
    result.warnings.push(`issuer ${found.issuer} differs from the discovery URL's origin`);
  }
  return { ...result, ok: true };
}
