import type { Kysely } from 'kysely';
import { hasPermission, type Actor } from '@cloudnow/shared';
import type { DB } from '../../db/schema.ts';
import { withTenant } from '../../db/tenant.ts';
import type { Cache } from '../../plugins/cache.ts';
import { Forbidden } from '../../errors.ts';
import type { RiskLevel, ToolCategory, ToolDefinition } from '../../cloud/catalogue/types.ts';
import { findPolicy, upsertPolicy } from './tools.repository.ts';
import { DEFAULT_POLICY, decide, type ToolPolicy } from './tools.policy.ts';
import type { ToolCatalogue, ToolSources } from './tools.catalogue.ts';
import { ToolNotFound } from './tools.errors.ts';
import type { ApprovalMode } from './tools.tables.ts';

const NS = 'tools';
const POLICY_TTL_S = 300;

/** Org tool policies, read through the cache (single-flight) and invalidated on every replica on save. */
export interface ToolPolicyService {
  get(orgId: string): Promise<ToolPolicy>;
  read(actor: Actor): Promise<ToolPolicy & { updatedAt: Date | null; updatedBy: string | null }>;
  put(actor: Actor, policy: ToolPolicy): Promise<ToolPolicy>;
}

export function createToolPolicyService(deps: { db: () => Kysely<DB>; cache: Pick<Cache, 'getOrFetch' | 'del'> }): ToolPolicyService {
  const load = async (orgId: string): Promise<ToolPolicy> => {
    const p = await withTenant(deps.db(), orgId, (tx) => findPolicy(tx, orgId));
    return p ? { include: p.include, exclude: p.exclude, rules: p.rules } : DEFAULT_POLICY;
  };
  return {
    get: (orgId) => deps.cache.getOrFetch(NS, `policy:${orgId}`, () => load(orgId), POLICY_TTL_S),
    async read(actor) {
      const p = await withTenant(deps.db(), actor.orgId, (tx) => findPolicy(tx, actor.orgId));
      return p ?? { ...DEFAULT_POLICY, updatedAt: null, updatedBy: null };
    },
    async put(actor, policy) {
      if (!hasPermission(actor.permissions, 'admin:settings')) throw new Forbidden('admin:settings');
      await withTenant(deps.db(), actor.orgId, (tx) => upsertPolicy(tx, actor.orgId, policy, actor.userId));
      await deps.cache.del(NS, `policy:${actor.orgId}`);
      return policy;
    },
  };
}

/** A catalogue entry as listed to an org: what it is and how this org's policy treats it. */
export interface ToolSummary {
  name: string;
  description: string;
  category: ToolCategory;
  risk: RiskLevel;
  changes: string;
  enabled: boolean;
  approval: ApprovalMode;
  requiresApproval: boolean;
}

/** Listing the catalogue for an org (filters, policy applied); no tool runs here. */
export interface ToolCatalogueService {
  list(actor: Actor, filter: { category?: ToolCategory | undefined; risk?: RiskLevel | undefined }): Promise<ToolSummary[]>;
  describe(actor: Actor, name: string): Promise<ToolSummary & { inputSchema: Record<string, unknown> }>;
}

export function createToolCatalogueService(deps: {
  catalogue: ToolCatalogue;
  sources: Pick<ToolSources, 'list' | 'resolve'>;
  policies: Pick<ToolPolicyService, 'get'>;
}): ToolCatalogueService {
  const summarize = (t: ToolDefinition, policy: ToolPolicy): ToolSummary => {
    const d = decide(policy, t);
    return {
      name: t.name,
      description: t.description,
      category: t.category,
      risk: t.risk,
      changes: t.changes,
      enabled: d.enabled,
      approval: d.approval,
      requiresApproval: d.approval !== 'never',
    };
  };
  return {
    async list(actor, filter) {
      const [policy, external] = await Promise.all([deps.policies.get(actor.orgId), deps.sources.list(actor.orgId)]);
      return [...deps.catalogue.list(), ...external]
        .filter((t) => (!filter.category || t.category === filter.category) && (!filter.risk || t.risk === filter.risk))
        .map((t) => summarize(t, policy));
    },
    async describe(actor, name) {
      const tool = deps.catalogue.get(name) ?? (await deps.sources.resolve(actor.orgId, name));
      if (!tool) throw new ToolNotFound(name);
      const policy = await deps.policies.get(actor.orgId);
      return { ...summarize(tool, policy), inputSchema: deps.catalogue.inputSchema(tool) };
    },
  };
}
