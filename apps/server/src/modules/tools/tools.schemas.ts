import { z } from 'zod';
import { RISK_LEVELS } from '../../cloud/catalogue/types.ts';
import { ApprovalSchema } from '../approvals/approvals.schemas.ts';
import { ErrorSchema } from './tools.http.ts';

const CATEGORIES = [
  'compute',
  'networking',
  'storage',
  'database',
  'identity',
  'observability',
  'logging',
  'search',
  'billing',
  'pricing',
  'terraform',
  'mcp',
] as const;
const RISKS = RISK_LEVELS as unknown as readonly ['read', 'low', 'medium', 'high', 'critical'];
const MODES = ['never', 'once_per_thread', 'always'] as const;

export const ToolSummarySchema = z.object({
  name: z.string(),
  description: z.string(),
  category: z.enum(CATEGORIES),
  risk: z.enum(RISKS),
  changes: z.string(),
  enabled: z.boolean(),
  approval: z.enum(MODES),
  requiresApproval: z.boolean(),
});

export const ToolDetailSchema = ToolSummarySchema.extend({ inputSchema: z.record(z.string(), z.unknown()) });
export const ToolListSchema = z.object({ items: z.array(ToolSummarySchema), total: z.number() });
export const ToolListQuery = z.object({ category: z.enum(CATEGORIES).optional(), risk: z.enum(RISKS).optional() });
export const ToolParams = z.object({ name: z.string().min(1).max(200) });

export const ExecuteBody = z.object({
  args: z.record(z.string(), z.unknown()).default({}),
  approvalId: z.string().max(100).optional(),
  threadId: z.string().min(1).max(200).optional(),
});

export const ExecuteOk = z.union([
  z.object({
    status: z.literal('ok'),
    output: z.unknown(),
    truncated: z.boolean(),
    durationMs: z.number(),
    approvalId: z.string().nullable(),
  }),
  z.object({ status: z.literal('error'), error: ErrorSchema }),
]);
export const ExecutePending = z.object({ status: z.literal('pending_approval'), approval: ApprovalSchema });

const glob = z.string().min(1).max(200);
export const ToolPolicySchema = z.object({
  include: z.array(glob).max(200).default(['*']),
  exclude: z.array(glob).max(200).default([]),
  rules: z
    .array(z.object({ pattern: glob, approval: z.enum(MODES) }))
    .max(500)
    .default([]),
});
export const ToolPolicyResponse = ToolPolicySchema.extend({ updatedAt: z.string().nullable(), updatedBy: z.string().nullable() });
