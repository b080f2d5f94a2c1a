import type { FastifyInstance } from 'fastify';
import type { GenericOAuthConfig } from 'better-auth/plugins';
import { createSecretBox, type SecretBox } from '../../lib/crypto.ts';
import { assertPublicUrl, type AssertPublicUrlOptions } from '../../lib/ssrf.ts';
import type { IdpRow } from './idp.repository.ts';
import type { EventMap } from '../../plugins/events.ts';
import { createIdpService, type IdpService } from './idp.service.ts';
import { buildGenericOAuthConfigs, type BuildOptions } from './idp.oauth.ts';
import { idpRoutes } from './idp.routes.ts';
import { connectIdpToAuth } from './idp.auth.ts';

/**
 * What the IdP module offers the rest of the app as `app.idp`. With the auth plugin present,
 * `connectIdpToAuth` keeps the auth instance's `genericOAuth` providers equal to the enabled rows
 * (rebuilt on `idp.changed`, which every replica receives).
 */
export interface IdpModule {
  readonly service: IdpService;
  /** Better Auth configs of the enabled providers whose URLs pass the SSRF guard now (one query; secrets opened in memory only). */
  genericOAuthConfigs(options?: BuildOptions): Promise<GenericOAuthConfig[]>;
  /** Subscribes to provider changes on every replica; returns the unsubscribe. */
  onChanged(fn: (change: EventMap['idp.changed']) => void): () => void;
  /** Resolves when the auth instance has the current providers (tests await it after a change). */
  authSettled(): Promise<void>;
}

declare module 'fastify' {
  interface FastifyInstance {
    idp: IdpModule;
  }
}

/** Wires the IdP module: service, routes, `app.idp`. */
export function registerIdpModule(app: FastifyInstance, deps: { secret: string; guard?: AssertPublicUrlOptions; box?: SecretBox }): void {
  const box = deps.box ?? createSecretBox(deps.secret);
  const service = createIdpService({ db: () => app.db, cache: app.cache, events: app.events, box, guard: deps.guard ?? {} });
  let sso: { settled(): Promise<void> } | null = null;
  app.decorate('idp', {
    service,
    async genericOAuthConfigs(options: BuildOptions = {}) {
      const onError = options.onError ?? ((p, err) => app.log.error({ idp: p.slug, err: (err as Error).message }, 'idp: provider skipped'));
      // Better Auth fetches discovery itself: re-check every URL against the guard first, so a
      // host whose DNS now points inward is skipped rather than fetched.
      const rows: IdpRow[] = [];
      for (const row of await service.enabledRows()) {
        try {
          for (const url of [row.discovery_url, row.authorization_url, row.token_url, row.userinfo_url, row.jwks_url]) {
            if (url) await assertPublicUrl(url, deps.guard ?? {});
          }
          rows.push(row);
        } catch (err) {
          onError(row, err);
        }
      }
      return buildGenericOAuthConfigs(rows, (sealed, ctx) => box.open(sealed, ctx), { ...options, onError });
    },
    onChanged: (fn) => app.events.subscribe('idp.changed', fn),
    authSettled: () => sso?.settled() ?? Promise.resolve(),
  } satisfies IdpModule);
  if (app.hasDecorator('auth')) sso = connectIdpToAuth(app, app.idp);
  idpRoutes(app, service);
}
