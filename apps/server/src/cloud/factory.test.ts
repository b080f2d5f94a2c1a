import { describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import { testConfig } from '../../test/harness.ts';
import { createCloudProviderFactory } from './factory.ts';

const noDb = {} as Kysely<DB>;

describe('createCloudProviderFactory', () => {
  it('uses the sandbox when nothing about OCI is configured', () => {
    const config = testConfig();
    expect(config.cloud).toEqual({ kind: 'sandbox' });
    expect(createCloudProviderFactory(config, noDb).kind).toBe('sandbox');
  });

  it('uses OCI when a config file or an auth mode is set, with region and compartment from the environment', () => {
    const config = testConfig({
      OCI_CONFIG_FILE: '/etc/cloudnow/oci.conf',
      OCI_PROFILE: 'PROD',
      OCI_REGION: 'eu-frankfurt-1',
      OCI_COMPARTMENT_ID: 'ocid1.compartment.oc1..aaaa',
    });
    expect(config.cloud).toEqual({
      kind: 'oci',
      auth: 'config',
      configFile: '/etc/cloudnow/oci.conf',
      profile: 'PROD',
      region: 'eu-frankfurt-1',
      compartmentId: 'ocid1.compartment.oc1..aaaa',
    });
    const factory = createCloudProviderFactory(config, noDb);
    expect(factory.kind).toBe('oci');
    expect(factory.forOrg('a')).toBe(factory.forOrg('b'));
    expect(testConfig({ OCI_AUTH: 'instance' }).cloud).toMatchObject({
      kind: 'oci',
      auth: 'instance',
      configFile: null,
      profile: 'DEFAULT',
    });
  });

  it('lets CLOUDNOW_CLOUD=sandbox win over OCI settings and rejects a bad region', () => {
    expect(testConfig({ CLOUDNOW_CLOUD: 'sandbox', OCI_AUTH: 'resource' }).cloud).toEqual({ kind: 'sandbox' });
    expect(() => testConfig({ OCI_REGION: 'Frankfurt' })).toThrow(/OCI_REGION: must be a region id/);
  });
});
