import type { ColumnType } from 'kysely';
import type { CreatedAt, Json, NullableTimestamp } from '../../db/schema.ts';

/** One simulated resource of an org's sandbox tenancy (see migration 20261203200000_cloud). */
export interface CloudSandboxResourcesTable {
  org_id: string;
  id: string;
  kind: SandboxKind;
  compartment_id: string | null;
  name: string;
  state: string;
  transition_to: string | null;
  transition_at: NullableTimestamp;
  data: Json<Record<string, unknown>>;
  created_at: CreatedAt;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

/** The resource kinds the sandbox stores. Shapes, images, metrics, logs and costs are computed, not stored. */
export type SandboxKind =
  | 'tenancy'
  | 'compartment'
  | 'instance'
  | 'boot_volume'
  | 'volume'
  | 'vcn'
  | 'subnet'
  | 'security_list'
  | 'route_table'
  | 'internet_gateway'
  | 'bucket'
  | 'adb'
  | 'adb_backup'
  | 'user'
  | 'group'
  | 'policy'
  | 'alarm';

declare module '../../db/schema.ts' {
  interface DB {
    cloud_sandbox_resources: CloudSandboxResourcesTable;
  }
}
