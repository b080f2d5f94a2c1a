import { AsyncLocalStorage } from 'node:async_hooks';
import { betterAuth, type BetterAuthPlugin } from 'better-auth';
import { APIError, createAuthMiddleware } from 'better-auth/api';
import { organization } from 'better-auth/plugins/organization';
import type { SecondaryStorage } from '@better-auth/core/db';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';

/** Name prefix of every Better Auth cookie (`cloudnow.session_token`, `cloudnow.session_data`). */
export const COOKIE_PREFIX = 'cloudnow';
/** The session cookie the auth hook looks for. */
export const SESSION_COOKIE = `${COOKIE_PREFIX}.session_token`;
/** Password bounds for email + password accounts. */
export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 128;
/** Cookie-cache lifetime (seconds) when there is no Valkey: a revoked session stays usable on its device at most this long. */
export const COOKIE_CACHE_SECONDS = 300;

/** While set, the sign-up policy is bypassed: the setup wizard creating the first admin. */
export const setupBypass = new AsyncLocalStorage<true>();

/** Policies the instance calls out to (settings-driven; supplied by the auth plugin). */
export interface AuthPolicies {
  /** Throws an APIError when this sign-up is not allowed (setup pending, sign-up disabled, domain, terms). */
  checkSignUp(body: Record<string, unknown>): Promise<void>;
  /**
   * Before any user row is written (email sign-up and SSO first login alike): throws when the
   * portal's allowed domains exclude the email (an invitation for it overrides).
   */
  checkNewUser(user: { email: string }): Promise<void>;
  /** After a user row exists (not during setup): e.g. join the default org. */
  onUserCreated(user: { id: string; email: string }): Promise<void>;
  /** The org a new session starts in (the user's first membership), or null. */
  initialOrg(userId: string): Promise<string | null>;
  /** A session row was deleted (sign-out, revoke): cookie-cached copies must stop working. */
  onSessionEnded(sessionId: string): Promise<void>;
}

export interface AuthInstanceOptions {
  db: Kysely<DB>;
  secret: string;
  baseURL: string;
  trustedOrigins: readonly string[];
  secondaryStorage: SecondaryStorage | null;
  policies: AuthPolicies;
  /** Extra plugins (genericOAuth from the IdP module); replaced on every reload. */
  plugins: BetterAuthPlugin[];
}

const FIELD_LIMITS: Record<string, number> = { name: 100, email: 254, password: PASSWORD_MAX, callbackURL: 2000, image: 2000 };

/**
 * Builds one Better Auth instance on our Kysely database, with its models mapped onto our
 * snake_case tables (`users`, `auth_sessions`, `auth_accounts`, `auth_verifications`) and the
 * organization plugin mapped onto `orgs`, `org_members`, `org_invitations`. Sessions live in
 * Valkey (secondary storage, also kept in the database for listing) when available, otherwise in
 * a signed cookie cache — either way a warm session lookup costs no query. Better Auth's own rate
 * limiter is off: ours runs in front of it.
 */
export function createAuthInstance(o: AuthInstanceOptions) {
  const { policies } = o;
  return betterAuth({
    appName: 'CloudNow',
    baseURL: o.baseURL,
    basePath: '/api/auth',
    secret: o.secret,
    trustedOrigins: [...o.trustedOrigins],
    database: { db: o.db, type: 'postgres' },
    ...(o.secondaryStorage ? { secondaryStorage: o.secondaryStorage } : {}),
    telemetry: { enabled: false },
    rateLimit: { enabled: false },
    emailAndPassword: { enabled: true, minPasswordLength: PASSWORD_MIN, maxPasswordLength: PASSWORD_MAX, autoSignIn: true },
    user: { modelName: 'users', fields: { emailVerified: 'email_verified', createdAt: 'created_at', updatedAt: 'updated_at' } },
    session: {
      modelName: 'auth_sessions',
      fields: {
        expiresAt: 'expires_at',
        createdAt: 'created_at',
        updatedAt: 'updated_at',
        ipAddress: 'ip_address',
        userAgent: 'user_agent',
        userId: 'user_id',
      },
      storeSessionInDatabase: true,
      ...(o.secondaryStorage ? {} : { cookieCache: { enabled: true, maxAge: COOKIE_CACHE_SECONDS } }),
    },
    account: {
      modelName: 'auth_accounts',
      fields: {
        accountId: 'account_id',
        providerId: 'provider_id',
        userId: 'user_id',
        accessToken: 'access_token',
        refreshToken: 'refresh_token',
        idToken: 'id_token',
        accessTokenExpiresAt: 'access_token_expires_at',
        refreshTokenExpiresAt: 'refresh_token_expires_at',
        createdAt: 'created_at',
        updatedAt: 'updated_at',
      },
    },
    verification: {
      modelName: 'auth_verifications',
      fields: { expiresAt: 'expires_at', createdAt: 'created_at', updatedAt: 'updated_at' },
    },
    advanced: { cookiePrefix: COOKIE_PREFIX, database: { generateId: () => crypto.randomUUID() } },
    hooks: {
      before: createAuthMiddleware(async (ctx) => {
        const body = (ctx.body ?? {}) as Record<string, unknown>;
        for (const [field, max] of Object.entries(FIELD_LIMITS)) {
          const v = body[field];
          if (typeof v === 'string' && v.length > max) {
            throw new APIError('BAD_REQUEST', { code: 'VALIDATION_FAILED', message: `${field}: too long (max ${max})` });
          }
        }
        if (ctx.path === '/sign-up/email' && !setupBypass.getStore()) await policies.checkSignUp(body);
      }),
    },
    databaseHooks: {
      user: {
        create: {
          before: async (user) => {
            if (!setupBypass.getStore()) await policies.checkNewUser({ email: user.email });
          },
          after: async (user) => {
            if (!setupBypass.getStore()) await policies.onUserCreated({ id: user.id, email: user.email });
          },
        },
      },
      session: {
        create: {
          before: async (session) => {
            const current = (session as { activeOrganizationId?: string | null }).activeOrganizationId;
            if (current) return;
            const orgId = await policies.initialOrg(session.userId);
            return orgId ? { data: { ...session, activeOrganizationId: orgId } } : undefined;
          },
        },
        delete: {
          after: async (session) => {
            await policies.onSessionEnded(session.id);
          },
        },
      },
    },
    plugins: [
      organization({
        creatorRole: 'admin',
        allowUserToCreateOrganization: false,
        schema: {
          session: { fields: { activeOrganizationId: 'active_organization_id' } },
          organization: { modelName: 'orgs', fields: { createdAt: 'created_at' } },
          member: { modelName: 'org_members', fields: { organizationId: 'org_id', userId: 'user_id', createdAt: 'created_at' } },
          invitation: {
            modelName: 'org_invitations',
            fields: { organizationId: 'org_id', inviterId: 'inviter_id', expiresAt: 'expires_at', createdAt: 'created_at' },
          },
        },
      }),
      ...o.plugins,
    ],
  });
}

/** The Better Auth instance type (base plugins; reload-added plugins are reachable through `handler`). */
export type AuthInstance = ReturnType<typeof createAuthInstance>;
