import type { Generated } from 'kysely';
import type { Permission } from '@cloudnow/shared';
import type { CreatedAt, Json, NullableTimestamp } from '../../db/schema.ts';

/** API keys: only the SHA-256 hash and a display prefix are stored; the secret is shown once. */
export interface ApiKeysTable {
  id: Generated<string>;
  org_id: string;
  user_id: string;
  name: string;
  prefix: string;
  key_hash: string;
  permissions: Json<Permission[]>;
  expires_at: NullableTimestamp;
  last_used_at: NullableTimestamp;
  revoked_at: NullableTimestamp;
  created_at: CreatedAt;
}

declare module '../../db/schema.ts' {
  interface DB {
    api_keys: ApiKeysTable;
  }
}
