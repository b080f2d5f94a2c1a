import { z } from 'zod';
import { iso, pageQuery } from '../tools/tools.http.ts';
import type { AuditRecord, AuditSummary } from './audit.repository.ts';

/** Audit pages: LIMIT default 100, max 1000. */
export const AUDIT_PAGE = { def: 100, max: 1000 } as const;

const STATUSES = ['ok', 'error', 'denied', 'pending_approval', 'invalid'] as const;

export const ExecutionSchema = z.object({
  id: z.string(),
  userId: z.string(),
  apiKeyId: z.string().nullable(),
  via: z.enum(['chat', 'api', 'mcp', 'workflow']),
  tool: z.string(),
  args: z.unknown(),
  status: z.enum(STATUSES),
  approvalId: z.string().nullable(),
  approverId: z.string().nullable(),
  durationMs: z.number(),
  errorCode: z.string().nullable(),
  error: z.string().nullable(),
  threadId: z.string().nullable(),
  createdAt: z.string(),
});

export const ExecutionPage = z.object({ items: z.array(ExecutionSchema), total: z.number(), limit: z.number(), offset: z.number() });

/** Picks the public fields of an audit row. */
export function presentExecution(r: AuditRecord): z.infer<typeof ExecutionSchema> {
  return { ...r, createdAt: iso(r.createdAt)! };
}

const range = {
  from: z.coerce.date().optional(),
  to: z.coerce.date().optional(),
};

export const AuditQuery = pageQuery(AUDIT_PAGE.def, AUDIT_PAGE.max).extend({
  threadId: z.string().max(200).optional(),
  userId: z.string().max(200).optional(),
  tool: z.string().max(200).optional(),
  status: z.enum(STATUSES).optional(),
  ...range,
});

/** The caller's own activity: the admin filters without `userId`. */
export const ActivityQuery = AuditQuery.omit({ userId: true });

export const SummaryQuery = z.object(range);

export const SummarySchema = z.object({
  total: z.number(),
  byStatus: z.record(z.string(), z.number()),
  byTool: z.record(z.string(), z.number()),
}) satisfies z.ZodType<AuditSummary>;
