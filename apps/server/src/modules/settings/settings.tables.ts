import type { ColumnType } from 'kysely';
import type { Json } from '../../db/schema.ts';

/** Portal-wide settings, one row per key (`portal.*`, `setup.*`). */
export interface SettingsTable {
  key: string;
  value: Json;
  updated_by: string | null;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

declare module '../../db/schema.ts' {
  interface DB {
    settings: SettingsTable;
  }
}
