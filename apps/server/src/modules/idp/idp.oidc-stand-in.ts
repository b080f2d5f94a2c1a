import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';

/**
 * A real OIDC provider (the `oidc-provider` package) on 127.0.0.1 for SSO tests — test support,
 * not a test. Interactions are answered by the test: `loginAs(accountId)` picks who signs in next
 * (no login page), consent is granted for the requested scopes. PKCE is required, the client
 * authenticates with client_secret_post, and userinfo/ID token carry a `groups` and `tenant` claim.
 */
export interface OidcStandIn {
  issuer: string;
  discoveryUrl: string;
  clientId: string;
  clientSecret: string;
  /** The accountId the next authorization signs in as. */
  loginAs(accountId: string): void;
  /** Code-flow requests seen at /auth (to assert PKCE parameters). */
  readonly authorizeRequests: URL[];
  close(): Promise<void>;
}

/** Accounts: id → claims. */
export type Accounts = Record<string, { email: string; name: string; groups: string[]; tenant?: string }>;

export async function startOidcStandIn(opts: { redirectUris: string[]; accounts: Accounts }): Promise<OidcStandIn> {
  const server: Server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const clientId = 'cloudnow-test';
  const clientSecret = 'oidc-client-secret-for-tests-0123456789';
  let next: string | null = null;
  const authorizeRequests: URL[] = [];
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: opts.redirectUris,
        response_types: ['code'],
        grant_types: ['authorization_code'],
        token_endpoint_auth_method: 'client_secret_post',
      },
    ],
    pkce: { required: () => true },
    scopes: ['openid', 'email', 'profile', 'groups', 'offline_access'],
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'], groups: ['groups', 'tenant'] },
    conformIdTokenClaims: false,
    features: { devInteractions: { enabled: false } },
    cookies: { keys: ['test-cookie-key-0123456789'] },
    findAccount: async (_ctx: unknown, sub: string) => {
      const a = opts.accounts[sub];
      if (!a) return undefined;
      return {
        accountId: sub,
        claims: async () => ({
          sub,
          email: a.email,
          email_verified: true,
          name: a.name,
          groups: a.groups,
          ...(a.tenant ? { tenant: a.tenant } : {}),
        }),
      };
    },
  });
  const handle = provider.callback();
  server.on('request', (req, res) => {
    const url = new URL(req.url ?? '/', issuer);
    if (url.pathname === '/auth') authorizeRequests.push(url);
    if (url.pathname.startsWith('/interaction/')) {
      void (async () => {
        try {
          const details = await provider.interactionDetails(req, res);
          if (!next) throw new Error('OIDC stand-in: nobody to sign in (call loginAs first)');
          const grant = new provider.Grant({ accountId: next, clientId });
          grant.addOIDCScope(String(details.params.scope ?? 'openid'));
          const grantId = await grant.save();
          await provider.interactionFinished(
            req,
            res,
            { login: { accountId: next }, consent: { grantId } },
            { mergeWithLastSubmission: false },
          );
        } catch (err) {
          res.statusCode = 500;
          res.end(String(err));
        }
      })();
      return;
    }
    handle(req, res);
  });
  return {
    issuer,
    discoveryUrl: `${issuer}/.well-known/openid-configuration`,
    clientId,
    clientSecret,
    loginAs(accountId) {
      next = accountId;
    },
    authorizeRequests,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/**
 * Follows the browser's redirects through the provider (cookies kept per origin) until one
 * points at `stopAt`; returns that URL (the callback with `code` and `state`).
 */
export async function followToCallback(start: string, stopAt: string, max = 10): Promise<URL> {
  let url = start;
  const jar = new Map<string, string>();
  for (let i = 0; i < max; i++) {
    if (url.startsWith(stopAt)) return new URL(url);
    const res = await fetch(url, { redirect: 'manual', headers: { cookie: [...jar.entries()].map(([k, v]) => `${k}=${v}`).join('; ') } });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const eq = pair!.indexOf('=');
      jar.set(pair!.slice(0, eq), pair!.slice(eq + 1));
    }
    const location = res.headers.get('location');
    if (!location) throw new Error(`OIDC stand-in: ${res.status} without a redirect at ${url}: ${(await res.text()).slice(0, 300)}`);
    url = new URL(location, url).toString();
  }
  throw new Error('OIDC stand-in: too many redirects');
}
