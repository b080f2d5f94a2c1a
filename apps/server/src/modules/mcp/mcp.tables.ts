import type { ColumnType, Generated } from 'kysely';
import type { CreatedAt, NullableTimestamp } from '../../db/schema.ts';

export type McpTransport = 'stdio' | 'http' | 'sse';

export interface McpServersTable {
  id: Generated<string>;
  org_id: string;
  name: string;
  transport: McpTransport;
  command: string | null;
  args: ColumnType<string[], string[] | undefined, string[]>;
  url: string | null;
  /** Sealed JSON `{ env, headers }` (credentials). */
  secrets_sealed: string | null;
  enabled: ColumnType<boolean, boolean | undefined, boolean>;
  status: ColumnType<string, string | undefined, string>;
  last_error: string | null;
  tool_count: ColumnType<number, number | undefined, number>;
  connected_at: NullableTimestamp;
  created_at: CreatedAt;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface McpToolsTable {
  org_id: string;
  server_id: string;
  name: string;
  description: string;
  input_schema: ColumnType<Record<string, unknown>, string, string>;
}

export interface McpResourcesTable {
  org_id: string;
  server_id: string;
  uri: string;
  name: string;
  mime_type: string | null;
}

declare module '../../db/schema.ts' {
  interface DB {
    mcp_servers: McpServersTable;
    mcp_tools: McpToolsTable;
    mcp_resources: McpResourcesTable;
  }
}
