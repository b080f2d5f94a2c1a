import type { Generated } from 'kysely';
import type { CreatedAt, Json } from '../../db/schema.ts';

/** One row per admin change: who, when, what, from → to (secrets masked before insert). */
export interface AdminAuditTable {
  id: Generated<string>;
  org_id: string;
  actor_user_id: string;
  actor_via: 'session' | 'apiKey' | 'setup';
  api_key_id: string | null;
  action: string;
  target_type: string;
  target_id: string | null;
  before: Json | null;
  after: Json | null;
  created_at: CreatedAt;
}

declare module '../../db/schema.ts' {
  interface DB {
    admin_audit: AdminAuditTable;
  }
}
