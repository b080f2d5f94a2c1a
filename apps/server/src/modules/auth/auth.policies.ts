import { randomUUID } from 'node:crypto';
import { APIError } from 'better-auth/api';
import type { Kysely } from 'kysely';
import type { Cache } from '../../plugins/cache.ts';
import type { DB } from '../../db/schema.ts';
import type { SettingsService } from '../settings/settings.service.ts';
import { invalidateMemberships, membershipsOf } from '../orgs/memberships.ts';
import { COOKIE_CACHE_SECONDS, type AuthPolicies } from './auth.instance.ts';
import '../orgs/orgs.tables.ts';

/** Cache namespace of sessions ended within the cookie-cache window (checked only in cookie-cache mode). */
export const ENDED_NS = 'session-ended';

/** Whether a pending, unexpired invitation exists for this email (it lets the person sign up). */
async function hasPendingInvitation(db: Kysely<DB>, email: string): Promise<boolean> {
  const row = await db
    .selectFrom('org_invitations')
    .select('id')
    .where('email', '=', email.toLowerCase())
    .where('status', '=', 'pending')
    .where('expires_at', '>', new Date())
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * The settings-driven rules Better Auth calls out to. Sign-up: refused (pointing at /setup) until
 * setup completes; then allowed when `portal.signup_enabled` or the email holds a pending
 * invitation; the domain must be in `portal.allowed_domains` when that is non-empty; with a terms
 * or privacy URL set the body must carry `acceptTerms: true`. A new user joins the default org as
 * viewer unless an invitation is waiting for them.
 */
export function createAuthPolicies(deps: {
  db: () => Kysely<DB>;
  cache: Pick<Cache, 'getOrFetch' | 'del' | 'set'>;
  settings: SettingsService;
}): AuthPolicies {
  return {
    async checkSignUp(body) {
      const s = await deps.settings.all();
      if (!s['setup.completed']) {
        throw new APIError('FORBIDDEN', {
          code: 'SETUP_REQUIRED',
          message: 'This portal is not set up yet: the first admin account is created in the setup wizard at /setup',
        });
      }
      const email = typeof body.email === 'string' ? body.email.trim().toLowerCase() : '';
      const invited = email ? await hasPendingInvitation(deps.db(), email) : false;
      if (!s['portal.signup_enabled'] && !invited) {
        throw new APIError('FORBIDDEN', {
          code: 'SIGNUP_DISABLED',
          message: 'Sign-up is disabled on this portal; ask an admin for an invitation',
        });
      }
      const domain = email.split('@')[1] ?? '';
      const allowed = s['portal.allowed_domains'];
      if (allowed.length > 0 && !allowed.includes(domain) && !invited) {
        throw new APIError('FORBIDDEN', { code: 'DOMAIN_NOT_ALLOWED', message: `email: the domain "${domain}" may not sign up here` });
      }
      if ((s['portal.terms_url'] || s['portal.privacy_url']) && body.acceptTerms !== true) {
        throw new APIError('BAD_REQUEST', {
          code: 'TERMS_NOT_ACCEPTED',
          message: 'acceptTerms: the terms of service and privacy policy must be accepted',
        });
      }
    },
    async checkNewUser(user) {
      const allowed = await deps.settings.get('portal.allowed_domains');
      if (allowed.length === 0) return;
      const email = user.email.trim().toLowerCase();
      const domain = email.split('@')[1] ?? '';
      if (allowed.includes(domain) || (await hasPendingInvitation(deps.db(), email))) return;
      throw new APIError('FORBIDDEN', { code: 'DOMAIN_NOT_ALLOWED', message: `email: the domain "${domain}" may not sign up here` });
    },
    async onUserCreated(user) {
      const orgId = await deps.settings.get('portal.default_org_id');
      if (!orgId || (await hasPendingInvitation(deps.db(), user.email))) return;
      await deps
        .db()
        .insertInto('org_members')
        .values({ id: randomUUID(), org_id: orgId, user_id: user.id, role: 'viewer' })
        .onConflict((oc) => oc.columns(['org_id', 'user_id']).doNothing())
        .execute();
      await invalidateMemberships(deps.cache, user.id);
    },
    async onSessionEnded(sessionId) {
      await deps.cache.set(ENDED_NS, sessionId, true, COOKIE_CACHE_SECONDS + 60);
    },
    async initialOrg(userId) {
      const memberships = await membershipsOf(deps, userId);
      return memberships[0]?.orgId ?? null;
    },
  };
}
