import type { ColumnType } from 'kysely';
import type { CreatedAt } from '../../db/schema.ts';

export const PROVIDER_TYPES = ['oci', 'openai-compatible', 'openai', 'anthropic', 'google', 'azure', 'offline'] as const;
export type ProviderType = (typeof PROVIDER_TYPES)[number];

export interface AiProvidersTable {
  id: string;
  name: string;
  type: ProviderType;
  base_url: string | null;
  region: string | null;
  api_key_sealed: string | null;
  models: ColumnType<string[], string[] | undefined, string[]>;
  default_model: string | null;
  options: ColumnType<Record<string, unknown>, string | undefined, string>;
  enabled: ColumnType<boolean, boolean | undefined, boolean>;
  seeded_from_env: ColumnType<boolean, boolean | undefined, boolean>;
  created_at: CreatedAt;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

declare module '../../db/schema.ts' {
  interface DB {
    ai_providers: AiProvidersTable;
  }
}
