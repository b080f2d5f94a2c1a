import { hasPermission, type Actor } from '@cloudnow/shared';
import type { UIMessage } from 'ai';
import type { FastifyBaseLogger } from 'fastify';
import type { ApprovalService } from '../approvals/approvals.service.ts';
import type { GrantedCall } from './chat.tools.ts';
import { InvalidChatMessage } from './chat.errors.ts';

type Part = UIMessage['parts'][number];
type ToolPartLike = {
  type: string;
  toolCallId?: string;
  state?: string;
  approval?: { id?: unknown; approved?: unknown; reason?: unknown };
};

/** toolCallId → persisted approval id, kept in the assistant message's metadata. */
export type ApprovalIndex = Record<string, string>;

/** The approval index stored on a message (empty when none). */
export function approvalIndexOf(metadata: unknown): ApprovalIndex {
  const a = (metadata as { approvals?: unknown } | null)?.approvals;
  return a && typeof a === 'object' ? (a as ApprovalIndex) : {};
}

/** An answer the user gave in the chat to one approval request. */
export interface ChatApprovalAnswer {
  toolCallId: string;
  approvalId: string;
  approved: boolean;
  reason: string | undefined;
}

/**
 * Applies the approval answers of the client's copy of an assistant message to the STORED copy:
 * only `approval-requested` parts whose approval id matches change (to `approval-responded`); the
 * tool name, input and everything else stay as the server saved them, so a client cannot forge a
 * call. 400 naming `message` when nothing was answered.
 */
export function mergeApprovalAnswers(stored: UIMessage, sent: UIMessage): { message: UIMessage; answers: ChatApprovalAnswer[] } {
  const index = approvalIndexOf(stored.metadata);
  const sentById = new Map<string, ToolPartLike>();
  for (const p of sent.parts as ToolPartLike[]) if (p.toolCallId && p.state === 'approval-responded') sentById.set(p.toolCallId, p);
  const answers: ChatApprovalAnswer[] = [];
  const parts = stored.parts.map((part): Part => {
    const p = part as ToolPartLike;
    const answer = p.toolCallId ? sentById.get(p.toolCallId) : undefined;
    if (!answer || p.state !== 'approval-requested' || answer.approval?.id !== p.approval?.id) return part;
    const persisted = index[p.toolCallId!];
    if (!persisted) return part;
    const approved = answer.approval?.approved === true;
    const reason = typeof answer.approval?.reason === 'string' ? answer.approval.reason.slice(0, 500) : undefined;
    answers.push({ toolCallId: p.toolCallId!, approvalId: persisted, approved, reason });
    return { ...part, state: 'approval-responded', approval: { id: p.approval!.id, approved, ...(reason ? { reason } : {}) } } as Part;
  });
  if (answers.length === 0) throw new InvalidChatMessage('message.parts: no pending approval of this message was answered');
  return { message: { ...stored, parts }, answers };
}

/**
 * Decides the persisted approvals the user answered in the chat — the same rows the Approvals
 * inbox shows — and returns the approved calls for the tool adapter. An actor without
 * `tools:approve` cannot decide: the call then waits for an approver (within the turn's limits).
 * An approval already decided elsewhere (inbox, expiry) is left alone: the gate's consume says
 * whether it still grants the call.
 */
export async function decideChatApprovals(
  deps: { approvals: Pick<ApprovalService, 'decide'>; log: FastifyBaseLogger },
  actor: Actor,
  answers: readonly ChatApprovalAnswer[],
): Promise<Map<string, GrantedCall>> {
  const canDecide = hasPermission(actor.permissions, 'tools:approve');
  const granted = new Map<string, GrantedCall>();
  for (const a of answers) {
    let decided = false;
    if (canDecide) {
      try {
        await deps.approvals.decide(actor, a.approvalId, a.approved ? 'approved' : 'denied', a.reason ?? null);
        decided = true;
      } catch (err) {
        const e = err as { statusCode?: number; code?: string };
        if (!e.statusCode || e.statusCode >= 500) throw err;
        deps.log.info({ approvalId: a.approvalId, code: e.code }, 'chat: approval already decided elsewhere');
        decided = true;
      }
    }
    if (a.approved) granted.set(a.toolCallId, { approvalId: a.approvalId, decided });
  }
  return granted;
}
