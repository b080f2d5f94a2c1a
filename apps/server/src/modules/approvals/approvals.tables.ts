import type { Generated } from 'kysely';
import type { CreatedAt, Json, NullableTimestamp, Timestamp } from '../../db/schema.ts';

/** Lifecycle of an approval: pending → approved | denied | expired (decided once). */
export type ApprovalStatus = 'pending' | 'approved' | 'denied' | 'expired';

/** A persisted, single-use approval for one tool call with one set of arguments. */
export interface ToolApprovalsTable {
  id: Generated<string>;
  org_id: string;
  tool: string;
  /** Redacted arguments, for the approval card. */
  args: Json<Record<string, unknown>>;
  /** sha256 of the canonical (unredacted) arguments: the grant is bound to exactly these. */
  args_hash: string;
  risk: string;
  via: string;
  thread_id: string | null;
  requested_by: string;
  status: Generated<ApprovalStatus>;
  decided_by: string | null;
  decided_at: NullableTimestamp;
  reason: string | null;
  expires_at: Timestamp;
  consumed_at: NullableTimestamp;
  created_at: CreatedAt;
}

declare module '../../db/schema.ts' {
  interface DB {
    tool_approvals: ToolApprovalsTable;
  }
}
