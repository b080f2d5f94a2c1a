import { z } from 'zod';
import { LIMITS } from '@cloudnow/shared';

/** Request and response schemas of the IdP routes; the response schemas are the output whitelist. */

const url = z.url({ protocol: /^https?$/, message: 'must be an http(s) URL' }).max(2000);
const group = z.string().trim().min(1).max(200);
const groups = z.array(group).max(100);

/** Better Auth providerId: the callback is /api/auth/callback/<slug>. */
export const idpSlug = z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}$/, 'lower-case letters, digits and dashes, 2–63 characters');

const fields = {
  label: z.string().trim().min(1).max(100),
  discoveryUrl: url.nullable(),
  authorizationUrl: url.nullable(),
  tokenUrl: url.nullable(),
  userInfoUrl: url.nullable(),
  jwksUrl: url.nullable(),
  clientId: z.string().trim().min(1).max(500),
  clientSecret: z.string().min(1).max(4000).nullable(),
  scopes: z
    .array(z.string().regex(/^[\x21\x23-\x5B\x5D-\x7E]{1,100}$/, 'not a valid scope'))
    .min(1)
    .max(50),
  pkce: z.boolean(),
  adminGroups: groups,
  operatorGroups: groups,
  groupsClaim: z.string().trim().min(1).max(100),
  tenantClaim: z.string().trim().min(1).max(100).nullable(),
  tenantOrgMap: z
    .record(z.string().min(1).max(200), z.string().min(1).max(100))
    .refine((m) => Object.keys(m).length <= 500, 'at most 500 entries'),
  defaultOrgId: z.string().min(1).max(100).nullable(),
  enabled: z.boolean(),
};

/** POST /api/admin/idp. Either a discovery URL or both authorization and token URLs. */
export const createIdpBody = z
  .object({
    slug: idpSlug,
    label: fields.label,
    discoveryUrl: fields.discoveryUrl.optional(),
    authorizationUrl: fields.authorizationUrl.optional(),
    tokenUrl: fields.tokenUrl.optional(),
    userInfoUrl: fields.userInfoUrl.optional(),
    jwksUrl: fields.jwksUrl.optional(),
    clientId: fields.clientId,
    clientSecret: fields.clientSecret.optional(),
    scopes: fields.scopes.default(['openid', 'email', 'profile']),
    pkce: fields.pkce.default(true),
    adminGroups: fields.adminGroups.default([]),
    operatorGroups: fields.operatorGroups.default([]),
    groupsClaim: fields.groupsClaim.default('groups'),
    tenantClaim: fields.tenantClaim.optional(),
    tenantOrgMap: fields.tenantOrgMap.default({}),
    defaultOrgId: fields.defaultOrgId.optional(),
    enabled: fields.enabled.default(true),
  })
  .strict()
  .refine((b) => b.discoveryUrl || (b.authorizationUrl && b.tokenUrl), {
    path: ['discoveryUrl'],
    message: 'required unless authorizationUrl and tokenUrl are both given',
  });
/** Validated create body. */
export type CreateIdpInput = z.infer<typeof createIdpBody>;

/** PATCH /api/admin/idp/:id: any field but the slug; `clientSecret: null` clears it, absent keeps it. */
export const updateIdpBody = z
  .object(
    Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, v.optional()])) as {
      [K in keyof typeof fields]: z.ZodOptional<(typeof fields)[K]>;
    },
  )
  .strict();
/** Validated update body. */
export type UpdateIdpInput = z.infer<typeof updateIdpBody>;

/** POST /api/admin/idp/test: what to probe. */
export const testIdpBody = z
  .object({
    discoveryUrl: url.optional(),
    authorizationUrl: url.optional(),
    tokenUrl: url.optional(),
    jwksUrl: url.optional(),
  })
  .strict()
  .refine((b) => b.discoveryUrl || (b.authorizationUrl && b.tokenUrl), {
    path: ['discoveryUrl'],
    message: 'required unless authorizationUrl and tokenUrl are both given',
  });
/** Validated test-connection body. */
export type TestIdpInput = z.infer<typeof testIdpBody>;

/** `:id` path parameter. */
export const idpParams = z.object({ id: z.string().min(1).max(100) });

/** `?limit&offset` (default 50, max 500). */
export const listQuery = z.object({
  limit: z.coerce.number().int().min(1).max(LIMITS.pageMax).default(LIMITS.pageDefault),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});

/** An IdP as admins see it: never the secret, only whether one is set. */
export const idpView = z.object({
  id: z.string(),
  slug: z.string(),
  label: z.string(),
  discoveryUrl: z.string().nullable(),
  authorizationUrl: z.string().nullable(),
  tokenUrl: z.string().nullable(),
  userInfoUrl: z.string().nullable(),
  jwksUrl: z.string().nullable(),
  clientId: z.string(),
  hasClientSecret: z.boolean(),
  scopes: z.array(z.string()),
  pkce: z.boolean(),
  adminGroups: z.array(z.string()),
  operatorGroups: z.array(z.string()),
  groupsClaim: z.string(),
  tenantClaim: z.string().nullable(),
  tenantOrgMap: z.record(z.string(), z.string()),
  defaultOrgId: z.string().nullable(),
  enabled: z.boolean(),
  callbackPath: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
/** An admin view of one provider. */
export type IdpView = z.infer<typeof idpView>;

/** One page of providers with the total from the same query. */
export const idpList = z.object({ items: z.array(idpView), total: z.number().int(), limit: z.number().int(), offset: z.number().int() });

/** Result of "test connection". `ok: false` carries the reason; refused URLs are a 400 instead. */
export const testResult = z.object({
  ok: z.boolean(),
  issuer: z.string().nullable(),
  authorizationEndpoint: z.string().nullable(),
  tokenEndpoint: z.string().nullable(),
  userInfoEndpoint: z.string().nullable(),
  jwksUri: z.string().nullable(),
  warnings: z.array(z.string()),
  error: z.string().nullable(),
});
/** A test-connection result. */
export type TestResult = z.infer<typeof testResult>;

/** GET /api/auth/providers: the sign-in page's buttons. */
export const publicProviders = z.object({ providers: z.array(z.object({ id: z.string(), label: z.string() })) });
/** The sign-in page's provider list. */
export type PublicProviders = z.infer<typeof publicProviders>;

/** `{ code, message }` of every 4xx. */
export const errorBody = z.object({ code: z.string(), message: z.string() });
