import { randomUUID } from 'node:crypto';
import type { BetterAuthPlugin } from 'better-auth';
import { genericOAuth } from 'better-auth/plugins/generic-oauth';
import type { FastifyInstance } from 'fastify';
import { LRUCache } from 'lru-cache';
import { withTenant } from '../../db/tenant.ts';
import { invalidateMemberships } from '../orgs/memberships.ts';
import type { IdpModule } from './idp.module.ts';
import type { Membership } from './idp.oauth.ts';
import '../orgs/orgs.tables.ts';
import '../auth/auth.tables.ts';

/** Better Auth paths the IdP sign-in needs through the `/api/auth/*` proxy. */
export const SSO_AUTH_PATHS = ['/sign-in/social', '/callback'] as const;

/** Profiles mapped but not yet turned into a session; a login completes within seconds. */
const PENDING_MAX = 1000;
const PENDING_TTL_MS = 5 * 60_000;

/**
 * Connects the IdP table to the auth instance. On boot (once the database is ready) and on every
 * `idp.changed` — which every replica receives — it rebuilds Better Auth's `genericOAuth` plugin
 * from the enabled providers through `app.auth.reload`; reloads are serialised. After an IdP
 * login, the membership the profile implies (tenant → org, groups → role) is written before the
 * session is created, and the session starts in that org. The IdP's groups are authoritative: the
 * role is set on every login, demotions included. Returns a promise of the reload in flight.
 */
export function connectIdpToAuth(app: FastifyInstance, idp: IdpModule): { settled(): Promise<void> } {
  const pending = new LRUCache<string, Membership>({ max: PENDING_MAX, ttl: PENDING_TTL_MS });
  const keyOf = (providerId: string, email: string): string => `${providerId}:${email.trim().toLowerCase()}`;
  for (const path of SSO_AUTH_PATHS) app.auth.expose(path);
  app.metrics.gauge('cloudnow_sso_pending_logins', 'IdP logins mapped and awaiting their session', () => pending.size);

  const membershipPlugin: BetterAuthPlugin = {
    id: 'cloudnow-sso-membership',
    init: () => ({
      options: {
        databaseHooks: {
          session: {
            create: {
              before: async (session, ctx) => {
                // genericOAuth providers are social providers: their callback is /callback/:id
                const providerId = (ctx?.params as { id?: string } | undefined)?.id;
                if (!providerId || !ctx?.path?.startsWith('/callback')) return;
                const user = await app.db.selectFrom('users').select('email').where('id', '=', session.userId).executeTakeFirst();
                const key = user ? keyOf(providerId, user.email) : '';
                const m = pending.get(key);
                if (!m?.orgId) return;
                pending.delete(key);
                await withTenant(app.db, m.orgId, (tx) =>
                  tx
                    .insertInto('org_members')
                    .values({ id: randomUUID(), org_id: m.orgId!, user_id: session.userId, role: m.role })
                    .onConflict((oc) => oc.columns(['org_id', 'user_id']).doUpdateSet({ role: m.role }))
                    .execute(),
                );
                await invalidateMemberships(app.cache, session.userId);
                return { data: { ...session, activeOrganizationId: m.orgId } };
              },
            },
          },
        },
      },
    }),
  };

  let chain: Promise<void> = Promise.resolve();
  const reload = (): Promise<void> => {
    chain = chain
      .then(async () => {
        const config = await idp.genericOAuthConfigs({
          onProfile: (provider, profile, membership) => {
            if (typeof profile.email === 'string') pending.set(keyOf(provider.slug, profile.email), membership);
          },
        });
        app.auth.reload({ plugins: config.length ? [genericOAuth({ config }), membershipPlugin] : [] });
        app.log.info({ providers: config.map((c) => c.providerId) }, 'sso: identity providers loaded');
      })
      .catch((err: unknown) => app.log.error({ err }, 'sso: reloading identity providers failed'));
    return chain;
  };
  app.database.onReady(() => reload());
  const off = idp.onChanged(() => void reload());
  app.addHook('onClose', async () => {
    off();
    pending.clear();
  });
  return { settled: () => chain };
}
