import { randomUUID } from 'node:crypto';
import createError from '@fastify/error';
import type { Kysely, Updateable } from 'kysely';
import type { Actor } from '@cloudnow/shared';
import { json, type DB } from '../../db/schema.ts';
import { withTenant, type Executor } from '../../db/tenant.ts';
import { recordAdminChange } from '../admin-audit/admin-audit.service.ts';
import { ValidationFailed } from '../../errors.ts';
import type { Cache } from '../../plugins/cache.ts';
import type { EventBus } from '../../plugins/events.ts';
import type { SecretBox } from '../../lib/crypto.ts';
import { assertPublicUrl, type AssertPublicUrlOptions } from '../../lib/ssrf.ts';
import { idpRepository, type IdpRow } from './idp.repository.ts';
import type { IdpProvidersTable } from './idp.tables.ts';
import { clientSecretContext } from './idp.oauth.ts';
import { testIdpConnection } from './idp.discovery.ts';
import type { CreateIdpInput, IdpView, PublicProviders, TestIdpInput, TestResult, UpdateIdpInput } from './idp.schemas.ts';

export const IdpNotFound = createError<[string]>('IDP_NOT_FOUND', 'Identity provider %s not found', 404);
export const IdpSlugTaken = createError<[string]>('IDP_SLUG_TAKEN', 'slug: an identity provider with slug %s already exists', 409);

declare module '../../plugins/events.ts' {
  interface EventMap {
    /** An IdP was created, changed or deleted: every replica rebuilds its Better Auth providers. */
    'idp.changed': { id: string; slug: string; action: 'created' | 'updated' | 'deleted' };
  }
}

/** The cache entry behind GET /api/auth/providers. */
export const IDP_CACHE = { namespace: 'idp', key: 'enabled' } as const;

/** What the service needs (a narrow slice of the app). */
export interface IdpServiceDeps {
  db: () => Kysely<DB>;
  cache: Pick<Cache, 'getOrFetch' | 'del'>;
  events: Pick<EventBus, 'publish'>;
  box: SecretBox;
  /** SSRF guard options for every URL the service stores or fetches. */
  guard: AssertPublicUrlOptions;
}

/**
 * Admin management of identity providers and the public list for the sign-in page. Every write
 * runs in the admin's tenant transaction together with its admin-audit record (secret-free views
 * before → after), then invalidates the cache and publishes `idp.changed` after the commit.
 */
export function createIdpService(deps: IdpServiceDeps) {
  const audited = <T>(actor: Actor, fn: (tx: Executor) => Promise<T>): Promise<T> => withTenant(deps.db(), actor.orgId, fn);
  const record = (tx: Executor, actor: Actor, action: string, id: string, before: IdpView | null, after: IdpView | null) =>
    recordAdminChange(tx, actor, { action: `idp.${action}`, targetType: 'idp', targetId: id, before, after });
  const changed = async (row: IdpRow, action: 'created' | 'updated' | 'deleted'): Promise<void> => {
    await deps.cache.del(IDP_CACHE.namespace, IDP_CACHE.key);
    await deps.events.publish('idp.changed', { id: row.id, slug: row.slug, action });
  };

  const checkUrls = async (
    row: Pick<IdpRow, 'discovery_url' | 'authorization_url' | 'token_url' | 'userinfo_url' | 'jwks_url'>,
  ): Promise<void> => {
    const urls: Array<[string, string | null]> = [
      ['discoveryUrl', row.discovery_url],
      ['authorizationUrl', row.authorization_url],
      ['tokenUrl', row.token_url],
      ['userInfoUrl', row.userinfo_url],
      ['jwksUrl', row.jwks_url],
    ];
    for (const [field, url] of urls) if (url) await assertPublicUrl(url, { ...deps.guard, field });
    if (!row.discovery_url && !(row.authorization_url && row.token_url)) {
      throw new ValidationFailed('discoveryUrl: required unless authorizationUrl and tokenUrl are both given');
    }
  };

  const checkOrgs = async (defaultOrgId: string | null, map: Record<string, string>): Promise<void> => {
    const wanted = [...new Set([...(defaultOrgId ? [defaultOrgId] : []), ...Object.values(map)])];
    const found = await idpRepository.existingOrgIds(deps.db(), wanted);
    if (defaultOrgId && !found.has(defaultOrgId)) throw new ValidationFailed(`defaultOrgId: org ${defaultOrgId} does not exist`);
    const bad = Object.entries(map).find(([, org]) => !found.has(org));
    if (bad) throw new ValidationFailed(`tenantOrgMap.${bad[0]}: org ${bad[1]} does not exist`);
  };

  const load = async (id: string): Promise<IdpRow> => {
    const row = await idpRepository.get(deps.db(), id);
    if (!row) throw new IdpNotFound(id);
    return row;
  };

  return {
    async list(_actor: Actor, page: { limit: number; offset: number }) {
      const { rows, total } = await idpRepository.list(deps.db(), page);
      return { items: rows.map(toView), total, ...page };
    },

    async get(_actor: Actor, id: string): Promise<IdpView> {
      return toView(await load(id));
    },

    async create(actor: Actor, input: CreateIdpInput): Promise<IdpView> {
      const id = randomUUID();
      const row = {
        id,
        slug: input.slug,
        label: input.label,
        discovery_url: input.discoveryUrl ?? null,
        authorization_url: input.authorizationUrl ?? null,
        token_url: input.tokenUrl ?? null,
        userinfo_url: input.userInfoUrl ?? null,
        jwks_url: input.jwksUrl ?? null,
        client_id: input.clientId,
        client_secret: input.clientSecret ? deps.box.seal(input.clientSecret, clientSecretContext(id)) : null,
        pkce: input.pkce,
        groups_claim: input.groupsClaim,
        tenant_claim: input.tenantClaim ?? null,
        default_org_id: input.defaultOrgId ?? null,
        enabled: input.enabled,
      };
      await checkUrls(row);
      await checkOrgs(row.default_org_id, input.tenantOrgMap);
      const inserted = await audited(actor, async (tx) => {
        const created = await idpRepository.insert(tx, {
          ...row,
          scopes: json(input.scopes),
          admin_groups: json(input.adminGroups),
          operator_groups: json(input.operatorGroups),
          tenant_org_map: json(input.tenantOrgMap),
        });
        await record(tx, actor, 'create', id, null, toView(created));
        return created;
      }).catch((err: unknown) => {
        throw isUniqueViolation(err) ? new IdpSlugTaken(input.slug) : err;
      });
      await changed(inserted, 'created');
      return toView(inserted);
    },

    async update(actor: Actor, id: string, input: UpdateIdpInput): Promise<IdpView> {
      const current = await load(id);
      const given = {
        label: input.label,
        discovery_url: input.discoveryUrl,
        authorization_url: input.authorizationUrl,
        token_url: input.tokenUrl,
        userinfo_url: input.userInfoUrl,
        jwks_url: input.jwksUrl,
        client_id: input.clientId,
        client_secret:
          input.clientSecret === undefined || input.clientSecret === null
            ? input.clientSecret
            : deps.box.seal(input.clientSecret, clientSecretContext(id)),
        scopes: input.scopes && json(input.scopes),
        pkce: input.pkce,
        admin_groups: input.adminGroups && json(input.adminGroups),
        operator_groups: input.operatorGroups && json(input.operatorGroups),
        groups_claim: input.groupsClaim,
        tenant_claim: input.tenantClaim,
        tenant_org_map: input.tenantOrgMap && json(input.tenantOrgMap),
        default_org_id: input.defaultOrgId,
        enabled: input.enabled,
      };
      const patch = Object.fromEntries(Object.entries(given).filter(([, v]) => v !== undefined)) as Updateable<IdpProvidersTable>;
      await checkUrls({
        discovery_url: input.discoveryUrl !== undefined ? input.discoveryUrl : current.discovery_url,
        authorization_url: input.authorizationUrl !== undefined ? input.authorizationUrl : current.authorization_url,
        token_url: input.tokenUrl !== undefined ? input.tokenUrl : current.token_url,
        userinfo_url: input.userInfoUrl !== undefined ? input.userInfoUrl : current.userinfo_url,
        jwks_url: input.jwksUrl !== undefined ? input.jwksUrl : current.jwks_url,
      });
      if (input.defaultOrgId !== undefined || input.tenantOrgMap !== undefined) {
        await checkOrgs(input.defaultOrgId ?? null, input.tenantOrgMap ?? {});
      }
      const updated = await audited(actor, async (tx) => {
        const row = await idpRepository.update(tx, id, patch);
        if (!row) throw new IdpNotFound(id);
        await record(tx, actor, 'update', id, toView(current), toView(row));
        return row;
      });
      await changed(updated, 'updated');
      return toView(updated);
    },

    async remove(actor: Actor, id: string): Promise<void> {
      const removed = await audited(actor, async (tx) => {
        const row = await idpRepository.remove(tx, id);
        if (!row) throw new IdpNotFound(id);
        await record(tx, actor, 'delete', id, toView(row), null);
        return row;
      });
      await changed(removed, 'deleted');
    },

    async test(_actor: Actor, input: TestIdpInput): Promise<TestResult> {
      return testIdpConnection(input, deps.guard);
    },

    async testStored(actor: Actor, id: string): Promise<TestResult> {
      const row = await load(id);
      const input: TestIdpInput = row.discovery_url
        ? { discoveryUrl: row.discovery_url }
        : { authorizationUrl: row.authorization_url!, tokenUrl: row.token_url!, ...(row.jwks_url ? { jwksUrl: row.jwks_url } : {}) };
      return this.test(actor, input);
    },

    /** The sign-in page's buttons, through the cache (every change above invalidates it). */
    async publicProviders(): Promise<PublicProviders> {
      return deps.cache.getOrFetch(IDP_CACHE.namespace, IDP_CACHE.key, async () => {
        const rows = await idpRepository.listEnabled(deps.db());
        return { providers: rows.map((r) => ({ id: r.slug, label: r.label })) };
      });
    },

    /** Enabled rows with their sealed secrets, for the auth reload (not cached: it runs on change only). */
    async enabledRows(): Promise<IdpRow[]> {
      return idpRepository.listEnabled(deps.db());
    },
  };
}

/** The service's type, for routes and the auth integration. */
export type IdpService = ReturnType<typeof createIdpService>;

/** The admin view of a row: the response whitelist (no secret, only `hasClientSecret`). */
export function toView(r: IdpRow): IdpView {
  return {
    id: r.id,
    slug: r.slug,
    label: r.label,
    discoveryUrl: r.discovery_url,
    authorizationUrl: r.authorization_url,
    tokenUrl: r.token_url,
    userInfoUrl: r.userinfo_url,
    jwksUrl: r.jwks_url,
    clientId: r.client_id,
    hasClientSecret: r.client_secret !== null,
    scopes: r.scopes,
    pkce: r.pkce,
    adminGroups: r.admin_groups,
    operatorGroups: r.operator_groups,
    groupsClaim: r.groups_claim,
    tenantClaim: r.tenant_claim,
    tenantOrgMap: r.tenant_org_map,
    defaultOrgId: r.default_org_id,
    enabled: r.enabled,
    callbackPath: `/api/auth/callback/${r.slug}`,
    createdAt: new Date(r.created_at).toISOString(),
    updatedAt: new Date(r.updated_at).toISOString(),
  };
}

function isUniqueViolation(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === '23505';
}
