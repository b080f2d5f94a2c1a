import { jsonSchema, tool, type ToolApprovalStatus, type ToolSet } from 'ai';
import { hasPermission, type Actor } from '@cloudnow/shared';
import type { ToolDefinition } from '../../cloud/catalogue/types.ts';
import type { ApprovalService } from '../approvals/approvals.service.ts';
import type { GateResult } from '../tools/tools.gate.ts';
import type { ToolsModule } from '../tools/tools.plugin.ts';
import { decide, type ToolPolicy } from '../tools/tools.policy.ts';

/** What the adapter uses of the tools and approvals modules. */
export interface ChatToolsDeps {
  /** `forOrg`: the catalogue plus the org's MCP connection tools (`<server>__<tool>`), all run by the gate. */
  tools: Pick<ToolsModule, 'gate' | 'catalogue' | 'policies' | 'forOrg'>;
  approvals: Pick<ApprovalService, 'approvedInThread' | 'waitForDecision'>;
}

/** One turn's toolset: the AI SDK tools, the approval function, and what the turn requested. */
export interface ChatToolset {
  tools: ToolSet;
  /** The AI SDK `toolApproval` function (generic form): asks the gate whether a call needs approval. */
  toolApproval: (options: {
    toolCall: { toolName: string; toolCallId: string; input: unknown; invalid?: boolean };
  }) => Promise<ToolApprovalStatus>;
  /** toolCallId → persisted approval id, for calls that asked for approval during this turn. */
  readonly requested: Map<string, string>;
}

/** A call the user approved in the chat: the persisted approval it runs under. */
export interface GrantedCall {
  approvalId: string;
  /** The actor decided it in the chat; false: someone with tools:approve must decide it in the inbox. */
  decided: boolean;
}

/** A gate refusal as the model and the UI see it (`output-error` with `CODE: message`). */
export class ToolRefused extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(`${code}: ${message}`);
    this.code = code;
  }
}

/** The tools an actor may be offered: `tools:execute`, critical ones with `tools:danger`, enabled by the org policy. */
export function offeredTools(actor: Actor, all: readonly ToolDefinition[], policy: ToolPolicy): ToolDefinition[] {
  if (!hasPermission(actor.permissions, 'tools:execute')) return [];
  const danger = hasPermission(actor.permissions, 'tools:danger');
  return all.filter((t) => (t.risk !== 'critical' || danger) && decide(policy, t).enabled);
}

function outputOf(result: GateResult): unknown {
  if (result.status === 'ok') return result.output;
  if (result.status === 'pending_approval')
    throw new ToolRefused('APPROVAL_REQUIRED', `approval ${result.approval.id} is pending in the Approvals inbox`);
  throw new ToolRefused(result.error.code, result.error.message);
}

/**
 * Turns the org's catalogue into AI SDK tools for one chat turn. Every execution goes through
 * `gate.run` (via 'chat', the thread, the turn's abort signal). The approval function asks the
 * gate too: when the org policy wants an approval, `gate.run` persists it (the very row the
 * Approvals inbox shows) and the call surfaces as a `tool-approval-request`; its id is recorded in
 * `requested` by tool call. When the user answers in the chat, `granted` binds the call to that
 * approval, so the gate consumes exactly it (single use, same args). A call the gate ran at once
 * (the policy changed under us) keeps its result for `execute`, so nothing runs twice.
 */
export async function buildChatTools(
  deps: ChatToolsDeps,
  actor: Actor,
  turn: { threadId: string; signal: AbortSignal; granted: ReadonlyMap<string, GrantedCall> },
): Promise<ChatToolset> {
  const policy = await deps.tools.policies.get(actor.orgId);
  const defs = offeredTools(actor, await deps.tools.forOrg(actor.orgId), policy);
  const byName = new Map(defs.map((d) => [d.name, d]));
  const requested = new Map<string, string>();
  const ranEarly = new Map<string, GateResult>();
  const base = { via: 'chat' as const, threadId: turn.threadId, signal: turn.signal };

  const tools: ToolSet = {};
  for (const def of defs) {
    tools[def.name] = tool({
      description: def.changes ? `${def.description} Changes: ${def.changes}` : def.description,
      inputSchema: jsonSchema<Record<string, unknown>>(deps.tools.catalogue.inputSchema(def) as never),
      execute: async (input: unknown, { toolCallId }: { toolCallId: string }) => {
        const early = ranEarly.get(toolCallId);
        if (early) return outputOf(early);
        const grant = turn.granted.get(toolCallId);
        if (grant && !grant.decided) await deps.approvals.waitForDecision(actor, grant.approvalId, turn.signal);
        return outputOf(await deps.tools.gate.run(actor, { ...base, tool: def.name, args: input, approvalId: grant?.approvalId }));
      },
    });
  }

  const toolApproval: ChatToolset['toolApproval'] = async ({ toolCall }): Promise<ToolApprovalStatus> => {
    // A call the user already answered in the chat runs under that persisted approval (execute
    // consumes it); asking the gate again would persist a second, stray request.
    if (turn.granted.has(toolCall.toolCallId)) return 'not-applicable';
    const def = byName.get(toolCall.toolName);
    if (!def || toolCall.invalid) return 'not-applicable';
    const d = decide(policy, def);
    if (!d.enabled || d.approval === 'never') return 'not-applicable';
    if (d.approval === 'once_per_thread' && (await deps.approvals.approvedInThread(actor, turn.threadId, def.name)))
      return 'not-applicable';
    const result = await deps.tools.gate.run(actor, { ...base, tool: def.name, args: toolCall.input });
    if (result.status !== 'pending_approval') {
      ranEarly.set(toolCall.toolCallId, result);
      return 'not-applicable';
    }
    requested.set(toolCall.toolCallId, result.approval.id);
    return { type: 'user-approval', reason: def.changes || `Runs ${def.name}` };
  };

  return { tools, toolApproval, requested };
}
