import type { CreatedAt, NullableTimestamp, Timestamp } from '../../db/schema.ts';

/** Better Auth's user table (`user` model mapped to `users`, snake_case columns). */
export interface UsersTable {
  id: string;
  name: string;
  email: string;
  email_verified: boolean;
  image: string | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

/** Better Auth's session table; `active_organization_id` comes from the organization plugin. */
export interface AuthSessionsTable {
  id: string;
  token: string;
  user_id: string;
  expires_at: Timestamp;
  ip_address: string | null;
  user_agent: string | null;
  active_organization_id: string | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

/** Better Auth's account table (credential passwords and OAuth links). */
export interface AuthAccountsTable {
  id: string;
  account_id: string;
  provider_id: string;
  user_id: string;
  access_token: string | null;
  refresh_token: string | null;
  id_token: string | null;
  access_token_expires_at: NullableTimestamp;
  refresh_token_expires_at: NullableTimestamp;
  scope: string | null;
  password: string | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

/** Better Auth's verification table (OAuth state, tokens). */
export interface AuthVerificationsTable {
  id: string;
  identifier: string;
  value: string;
  expires_at: Timestamp;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

declare module '../../db/schema.ts' {
  interface DB {
    users: UsersTable;
    auth_sessions: AuthSessionsTable;
    auth_accounts: AuthAccountsTable;
    auth_verifications: AuthVerificationsTable;
  }
}
