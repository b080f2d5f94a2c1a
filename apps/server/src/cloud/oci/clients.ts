import * as common from 'oci-common';
import { BlockstorageClient, ComputeClient, VirtualNetworkClient } from 'oci-core';
import { DatabaseClient } from 'oci-database';
import { IdentityClient } from 'oci-identity';
import { LogSearchClient } from 'oci-loggingsearch';
import { MonitoringClient } from 'oci-monitoring';
import { ObjectStorageClient } from 'oci-objectstorage';
import { ResourceSearchClient } from 'oci-resourcesearch';
import { UsageapiClient } from 'oci-usageapi';
import { CloudApiError } from '../errors.ts';
import type { OciAdapterOptions, OciSettings } from './settings.ts';

/** The SDK clients the adapter uses, built once per adapter, sharing one auth provider. */
export interface OciClients {
  compute: ComputeClient;
  blockstorage: BlockstorageClient;
  network: VirtualNetworkClient;
  objectStorage: ObjectStorageClient;
  identity: IdentityClient;
  database: DatabaseClient;
  monitoring: MonitoringClient;
  logSearch: LogSearchClient;
  resourceSearch: ResourceSearchClient;
  usage: UsageapiClient;
  tenancyId: string;
  region: string;
  compartmentId: string;
}

/** Builds the auth provider for the configured mode: config file profile, instance or resource principal. */
export async function authProvider(s: OciSettings): Promise<common.AuthenticationDetailsProvider> {
  try {
    if (s.auth === 'instance') return await new common.InstancePrincipalsAuthenticationDetailsProviderBuilder().build();
    if (s.auth === 'resource') return common.ResourcePrincipalAuthenticationDetailsProvider.builder();
    return new common.ConfigFileAuthenticationDetailsProvider(s.configFile ?? undefined, s.profile);
  } catch (err) {
    const where = s.auth === 'config' ? `profile ${s.profile} of ${s.configFile ?? '~/.oci/config'}` : `${s.auth} principal`;
    const out = new CloudApiError(`OCI authentication (${where}) could not be set up: ${(err as Error).message}`);
    out.statusCode = 503;
    throw out;
  }
}

function tenancyOf(p: common.AuthenticationDetailsProvider): string {
  const t = (p as { getTenantId?: () => string }).getTenantId?.();
  return typeof t === 'string' ? t : '';
}

function regionOf(p: common.AuthenticationDetailsProvider): string | null {
  const r = (p as { getRegion?: () => common.Region | undefined }).getRegion?.();
  return r?.regionId ?? null;
}

/** Creates every client with the region (or the test endpoint) applied. */
export async function createClients(s: OciSettings, o: OciAdapterOptions): Promise<OciClients> {
  const provider = await authProvider(s);
  const region = s.region ?? regionOf(provider) ?? 'us-ashburn-1';
  const retryConfiguration: common.RetryConfiguration =
    o.retries === 'none' ? common.NoRetryConfigurationDetails : { terminationStrategy: new common.MaxAttemptsTerminationStrategy(3) };
  const params = { authenticationDetailsProvider: provider };
  const configure = <C extends { regionId: string; endpoint: string }>(c: C): C => {
    c.regionId = region;
    if (o.endpoint) c.endpoint = o.endpoint;
    return c;
  };
  const tenancyId = tenancyOf(provider);
  return {
    compute: configure(new ComputeClient(params, { retryConfiguration })),
    blockstorage: configure(new BlockstorageClient(params, { retryConfiguration })),
    network: configure(new VirtualNetworkClient(params, { retryConfiguration })),
    objectStorage: configure(new ObjectStorageClient(params, { retryConfiguration })),
    identity: configure(new IdentityClient(params, { retryConfiguration })),
    database: configure(new DatabaseClient(params, { retryConfiguration })),
    monitoring: configure(new MonitoringClient(params, { retryConfiguration })),
    logSearch: configure(new LogSearchClient(params, { retryConfiguration })),
    resourceSearch: configure(new ResourceSearchClient(params, { retryConfiguration })),
    usage: configure(new UsageapiClient(params, { retryConfiguration })),
    tenancyId,
    region,
    compartmentId: s.compartmentId ?? tenancyId,
  };
}
