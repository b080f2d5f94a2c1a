import type { CreatedAt, Json } from '../../db/schema.ts';

/** How often a tool asks for approval in an org. */
export type ApprovalMode = 'never' | 'once_per_thread' | 'always';

/** One per-tool (or per-glob) approval rule; the first matching rule wins. */
export interface ToolApprovalRule {
  pattern: string;
  approval: ApprovalMode;
}

/** One row per org: which tools are enabled (globs) and how they are approved. */
export interface ToolPoliciesTable {
  org_id: string;
  include: Json<string[]>;
  exclude: Json<string[]>;
  rules: Json<ToolApprovalRule[]>;
  updated_by: string | null;
  updated_at: CreatedAt;
}

declare module '../../db/schema.ts' {
  interface DB {
    tool_policies: ToolPoliciesTable;
  }
}
