import type { Actor } from '@cloudnow/shared';
import type { ApprovalService, ApprovalView } from '../approvals/approvals.service.ts';
import type { GateCall, GateResult, ToolGate } from './tools.gate.ts';

/**
 * Runs a call through the gate and, when it needs approval, waits for the decision (on any
 * replica) and runs it again with that approval — the path for callers that hold a live stream
 * (chat). Whatever the decision, the second pass goes through the gate too, so a denial or an
 * expiry is audited like any refusal. `onPending` lets the caller show the approval card; the
 * call's `signal` aborts the wait (client disconnect). Workflows suspend instead of waiting: they
 * call `gate.run` and resume with `approvalId` once `approval.decided` arrives.
 */
export async function runAwaitingApproval(
  deps: { gate: Pick<ToolGate, 'run'>; approvals: Pick<ApprovalService, 'waitForDecision'> },
  actor: Actor,
  call: GateCall,
  onPending?: (approval: ApprovalView) => void | Promise<void>,
): Promise<GateResult> {
  const first = await deps.gate.run(actor, call);
  if (first.status !== 'pending_approval') return first;
  await onPending?.(first.approval);
  const decided = await deps.approvals.waitForDecision(actor, first.approval.id, call.signal);
  return deps.gate.run(actor, { ...call, approvalId: decided.id });
}
