import type { Generated } from 'kysely';
import type { CreatedAt, Json } from '../../db/schema.ts';

/** Outcome of one pass through the tool gate. */
export type ExecutionStatus = 'ok' | 'error' | 'denied' | 'pending_approval' | 'invalid';

/** Where a tool call came from. */
export type ToolVia = 'chat' | 'api' | 'mcp' | 'workflow';

/** The audit trail: one row per gate decision or execution. */
export interface ToolExecutionsTable {
  id: Generated<string>;
  org_id: string;
  user_id: string;
  api_key_id: string | null;
  via: ToolVia;
  tool: string;
  /** Arguments with secret-looking keys masked. */
  args: Json<unknown>;
  status: ExecutionStatus;
  approval_id: string | null;
  approver_id: string | null;
  duration_ms: number;
  error_code: string | null;
  error: string | null;
  thread_id: string | null;
  created_at: CreatedAt;
}

declare module '../../db/schema.ts' {
  interface DB {
    tool_executions: ToolExecutionsTable;
  }
}
