import { z } from 'zod';
import { iso } from '../tools/tools.http.ts';
import type { ApprovalView } from './approvals.service.ts';

/** An approval as the API returns it (the args are already redacted; the args hash is never sent). */
export const ApprovalSchema = z.object({
  id: z.string(),
  tool: z.string(),
  args: z.record(z.string(), z.unknown()),
  risk: z.string(),
  via: z.string(),
  threadId: z.string().nullable(),
  requestedBy: z.string(),
  status: z.enum(['pending', 'approved', 'denied', 'expired']),
  decidedBy: z.string().nullable(),
  decidedAt: z.string().nullable(),
  reason: z.string().nullable(),
  expiresAt: z.string(),
  consumedAt: z.string().nullable(),
  createdAt: z.string(),
});

export type ApprovalDto = z.infer<typeof ApprovalSchema>;

/** Picks the public fields of an approval. */
export function presentApproval(v: ApprovalView): ApprovalDto {
  return {
    id: v.id,
    tool: v.tool,
    args: v.args,
    risk: v.risk,
    via: v.via,
    threadId: v.threadId,
    requestedBy: v.requestedBy,
    status: v.status,
    decidedBy: v.decidedBy,
    decidedAt: iso(v.decidedAt),
    reason: v.reason,
    expiresAt: iso(v.expiresAt)!,
    consumedAt: iso(v.consumedAt),
    createdAt: iso(v.createdAt)!,
  };
}

export const ApprovalParams = z.object({ id: z.string().min(1).max(100) });
export const DecisionBody = z.object({ reason: z.string().max(1000).optional() }).nullish();
export const ApprovalPage = z.object({ items: z.array(ApprovalSchema), total: z.number(), limit: z.number(), offset: z.number() });
