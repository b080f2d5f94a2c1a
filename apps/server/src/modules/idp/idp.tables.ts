import type { ColumnType } from 'kysely';
import type { CreatedAt, Json } from '../../db/schema.ts';

/** An OIDC identity provider (portal-level; see the migration for why it has no org_id). */
export interface IdpProvidersTable {
  id: string;
  /** Better Auth's providerId: the callback is /api/auth/callback/<slug>. Immutable. */
  slug: string;
  label: string;
  discovery_url: string | null;
  authorization_url: string | null;
  token_url: string | null;
  userinfo_url: string | null;
  jwks_url: string | null;
  client_id: string;
  /** Sealed envelope (lib/crypto.ts, context `idp:<id>:client_secret`), never plaintext. */
  client_secret: string | null;
  scopes: Json<string[]>;
  pkce: boolean;
  admin_groups: Json<string[]>;
  operator_groups: Json<string[]>;
  groups_claim: string;
  tenant_claim: string | null;
  /** Tenant claim value → org id. */
  tenant_org_map: Json<Record<string, string>>;
  default_org_id: string | null;
  enabled: boolean;
  created_at: CreatedAt;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

declare module '../../db/schema.ts' {
  interface DB {
    idp_providers: IdpProvidersTable;
  }
}
