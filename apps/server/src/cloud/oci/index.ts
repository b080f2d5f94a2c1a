import type { CloudProvider, CloudProviderFactory } from '../provider.ts';
import { ociComputeOps } from './compute.ts';
import { OciContext } from './context.ts';
import { ociInsightOps } from './insights.ts';
import { ociNetworkOps } from './network.ts';
import type { OciAdapterOptions, OciSettings } from './settings.ts';
import { ociStorageOps } from './storage.ts';

export type { OciAdapterOptions, OciSettings } from './settings.ts';

/**
 * The OCI adapter: the per-service SDK packages, authenticated by config file profile, instance
 * principal or resource principal. Answers in the same slim shapes as the sandbox; OCI errors are
 * translated into readable CloudApiErrors. Clients are built on first use and shared.
 */
export function createOciProvider(settings: OciSettings, options: OciAdapterOptions = {}): CloudProvider {
  const x = new OciContext(settings, options);
  return {
    kind: 'oci',
    capabilities: async () => {
      const c = await x.clients();
      return { kind: 'oci', simulated: false, region: c.region, tenancyId: c.tenancyId, defaultCompartmentId: c.compartmentId };
    },
    ...ociComputeOps(x),
    ...ociNetworkOps(x),
    ...ociStorageOps(x),
    ...ociInsightOps(x),
  };
}

/** One OCI tenancy for the deployment: every org gets the same provider (their access is the tool gate's job). */
export function createOciProviderFactory(settings: OciSettings, options: OciAdapterOptions = {}): CloudProviderFactory {
  const provider = createOciProvider(settings, options);
  return { kind: 'oci', forOrg: () => provider };
}
