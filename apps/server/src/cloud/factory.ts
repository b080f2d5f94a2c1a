import type { Kysely } from 'kysely';
import type { Config } from '../config.ts';
import type { DB } from '../db/schema.ts';
import { createOciProviderFactory, type OciAdapterOptions } from './oci/index.ts';
import type { CloudProviderFactory } from './provider.ts';
import { createSandboxProvider, type SandboxOptions } from './sandbox/index.ts';

/**
 * Chooses the tenancy adapter from the configuration: OCI when configured (`CLOUDNOW_CLOUD=oci`,
 * or `OCI_AUTH`/`OCI_CONFIG_FILE` set), otherwise the per-org sandbox on `db`. Nothing connects
 * until a provider is used.
 */
export function createCloudProviderFactory(
  config: Pick<Config, 'cloud'>,
  db: Kysely<DB>,
  opts: { sandbox?: SandboxOptions; oci?: OciAdapterOptions } = {},
): CloudProviderFactory {
  const c = config.cloud;
  if (c.kind === 'oci') {
    const { kind: _kind, ...settings } = c;
    return createOciProviderFactory(settings, opts.oci);
  }
  return createSandboxProvider(db, opts.sandbox);
}
