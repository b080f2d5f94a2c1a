import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { CloudCapabilities, CloudProvider, CloudProviderFactory } from '../provider.ts';
import { computeOps } from './compute.ts';
import { SandboxContext } from './context.ts';
import { SANDBOX_REGION } from './ids.ts';
import { insightOps } from './insights.ts';
import { networkOps } from './network.ts';
import { storageOps } from './storage.ts';

/** Options of the sandbox factory; `now` is the clock (tests inject one to step through transitions). */
export interface SandboxOptions {
  now?: () => Date;
}

/**
 * The sandbox adapter: a simulated tenancy per org, stored in `cloud_sandbox_resources` and
 * seeded lazily on first use. Every call is one tenant transaction (`withTenant`); transitions
 * are computed from stored timestamps, so any replica answers the same.
 */
export function createSandboxProvider(db: Kysely<DB>, opts: SandboxOptions = {}): CloudProviderFactory {
  const now = opts.now ?? (() => new Date());
  return {
    kind: 'sandbox',
    forOrg: (orgId) => sandboxForOrg(db, orgId, now),
  };
}

function sandboxForOrg(db: Kysely<DB>, orgId: string, now: () => Date): CloudProvider {
  const ctx = new SandboxContext(db, orgId, now);
  return {
    kind: 'sandbox',
    capabilities: async (): Promise<CloudCapabilities> => ({
      kind: 'sandbox',
      simulated: true,
      region: SANDBOX_REGION,
      tenancyId: ctx.tenancyId,
      defaultCompartmentId: null,
    }),
    ...computeOps(ctx),
    ...networkOps(ctx),
    ...storageOps(ctx),
    ...insightOps(ctx),
  };
}
