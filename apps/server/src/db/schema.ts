import type { ColumnType, Generated } from 'kysely';

/**
 * The database as Kysely sees it. Each module adds its own tables by augmenting this interface in
 * its `<domain>.tables.ts` (`declare module '../../db/schema.ts' { interface DB { … } }`), so the
 * schema types live beside the code that owns them.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface DB extends CoreTables {}

/** A timestamp column: read as Date, written as Date or ISO string, defaulted by the database. */
export type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
export type Timestamp = ColumnType<Date, Date | string, Date | string>;
export type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
/** A jsonb column: read as T, written as T (serialised by the caller with `json()`). */
export type Json<T = unknown> = ColumnType<T, string, string>;

export interface OrgsTable {
  id: string;
  name: string;
  slug: string;
  logo: string | null;
  metadata: string | null;
  created_at: CreatedAt;
}

/** The outbox: an event row is written in the same transaction as the change it describes. */
export interface EventLogTable {
  id: Generated<string>;
  org_id: string;
  type: string;
  payload: Json;
  created_at: CreatedAt;
}

export interface CoreTables {
  orgs: OrgsTable;
  event_log: EventLogTable;
}

/** Serialises a value for a jsonb column. */
export function json(value: unknown): string {
  return JSON.stringify(value);
}
