import { createHash } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import { hasPermission, LIMITS, type Actor } from '@cloudnow/shared';
import type { ToolDefinition } from '../../cloud/catalogue/types.ts';
import type { CloudProvider } from '../../cloud/provider.ts';
import { formatIssues } from '../../plugins/errors.ts';
import type { ApprovalService, ApprovalView } from '../approvals/approvals.service.ts';
import type { AuditService } from '../audit/audit.service.ts';
import type { ExecutionStatus, ToolVia } from '../audit/audit.tables.ts';
import { redact } from '../audit/audit.redact.ts';
import { createToolCatalogue, type ToolCatalogue, type ToolSources } from './tools.catalogue.ts';
import { capOutput } from './tools.output.ts';
import { decide, type ToolPolicy } from './tools.policy.ts';

/** One call through the gate. */
export interface GateCall {
  tool: string;
  args: unknown;
  via: ToolVia;
  threadId?: string | undefined;
  /** A granted approval this call consumes (single use). */
  approvalId?: string | undefined;
  /** Aborts the tool (client disconnect, workflow cancel); the 30 s deadline applies regardless. */
  signal?: AbortSignal | undefined;
}

/** Why a call did not produce output; `status` is the HTTP status a REST caller answers with. */
export interface GateError {
  code: string;
  message: string;
  status: number;
}

/** The gate's answer: output, a pending approval to wait for, or a clean error. Never throws for a tool's fault. */
export type GateResult =
  | { status: 'ok'; output: unknown; truncated: boolean; durationMs: number; approvalId: string | null }
  | { status: 'pending_approval'; approval: ApprovalView }
  | { status: 'denied' | 'error'; error: GateError };

/** Passes through the gate per entry point (tests prove every entry point calls it). */
export type GateStats = Record<ToolVia, number>;

/**
 * The only way a tool runs. Chat, `POST /api/v1/tools/:name/execute`, MCP and workflow steps all
 * call `run`, which: finds the tool (404), checks the args' size (413) and schema (400 naming the
 * field), the actor's permissions (`tools:execute`; `critical` also `tools:danger`), the org policy
 * (enabled? approval never / once_per_thread / always), consumes or requests an approval, runs the
 * tool with a deadline, caps its output and audits the outcome.
 */
export interface ToolGate {
  run(actor: Actor, call: GateCall): Promise<GateResult>;
  readonly catalogue: ToolCatalogue;
  stats(): GateStats;
}

export interface ToolGateDeps {
  tools: ToolCatalogue | readonly ToolDefinition[];
  /** Per-org tools (MCP) looked up when the catalogue does not know a name. */
  sources?: Pick<ToolSources, 'resolve'>;
  cloud: (orgId: string) => CloudProvider;
  policies: { get(orgId: string): Promise<ToolPolicy> };
  approvals: Pick<ApprovalService, 'request' | 'consume' | 'approvedInThread'>;
  audit: Pick<AuditService, 'record'>;
  log: FastifyBaseLogger;
  /** Deadline per execution (default 30 s). */
  timeoutMs?: number;
  /** Output cap in bytes of JSON (default 100 KB). */
  maxOutputBytes?: number;
  /** Args cap in bytes of JSON (default 64 KB). */
  maxArgsBytes?: number;
}

class Refusal extends Error {
  readonly gate: GateError;
  readonly outcome: 'denied' | 'error';
  readonly audit: ExecutionStatus | null;
  constructor(outcome: 'denied' | 'error', gate: GateError, audit: ExecutionStatus | null) {
    super(gate.message);
    this.outcome = outcome;
    this.gate = gate;
    this.audit = audit;
  }
}

// Refusals by permission, policy or approval state are 'denied'; bad input and tool failures are 'error'.
const DENIED_STATUSES = new Set([403, 409, 410]);
const refuse = (code: string, status: number, message: string, audit: ExecutionStatus | null = 'denied'): Refusal =>
  new Refusal(DENIED_STATUSES.has(status) ? 'denied' : 'error', { code, message, status }, audit);

type Checked = { kind: 'run'; args: unknown; approval: ApprovalView | null } | { kind: 'pending'; approval: ApprovalView };

/** sha256 of canonical JSON (sorted keys): an approval is bound to exactly these arguments. */
export function hashArgs(args: unknown): string {
  const canon = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(canon)
      : v && typeof v === 'object'
        ? Object.fromEntries(
            Object.keys(v as object)
              .sort()
              .map((k) => [k, canon((v as Record<string, unknown>)[k])]),
          )
        : v;
  return createHash('sha256')
    .update(JSON.stringify(canon(args ?? null)))
    .digest('hex');
}

export function createToolGate(deps: ToolGateDeps): ToolGate {
  const catalogue = Array.isArray(deps.tools)
    ? createToolCatalogue(deps.tools as readonly ToolDefinition[])
    : (deps.tools as ToolCatalogue);
  const timeoutMs = deps.timeoutMs ?? 30_000;
  const maxOutput = deps.maxOutputBytes ?? LIMITS.toolOutputBytes;
  const maxArgs = deps.maxArgsBytes ?? 64 * 1024;
  const stats: GateStats = { chat: 0, api: 0, mcp: 0, workflow: 0 };

  async function check(actor: Actor, call: GateCall, tool: ToolDefinition): Promise<Checked> {
    const size = Buffer.byteLength(JSON.stringify(call.args ?? {}) ?? '', 'utf8');
    if (size > maxArgs) throw refuse('PAYLOAD_TOO_LARGE', 413, `args: ${size} bytes exceed the ${maxArgs}-byte limit`, 'invalid');
    const parsed = tool.input.safeParse(call.args ?? {});
    if (!parsed.success) throw refuse('VALIDATION_FAILED', 400, formatIssues(parsed.error.issues, 'args'), 'invalid');
    if (!hasPermission(actor.permissions, 'tools:execute')) throw refuse('FORBIDDEN', 403, 'Missing permission tools:execute');
    if (tool.risk === 'critical' && !hasPermission(actor.permissions, 'tools:danger'))
      throw refuse('FORBIDDEN', 403, 'Missing permission tools:danger (critical tool)');
    const policy = decide(await deps.policies.get(actor.orgId), tool);
    if (!policy.enabled) throw refuse('TOOL_DISABLED', 403, `Tool ${tool.name} is disabled by this organisation policy`);
    if (policy.approval === 'never') return { kind: 'run', args: parsed.data, approval: null };
    const argsHash = hashArgs(parsed.data);
    if (call.approvalId) {
      try {
        return { kind: 'run', args: parsed.data, approval: await deps.approvals.consume(actor, call.approvalId, tool.name, argsHash) };
      } catch (err) {
        const e = err as { code?: string; statusCode?: number; message?: string };
        if (e.statusCode && e.statusCode < 500) throw refuse(e.code ?? 'APPROVAL_INVALID', e.statusCode, e.message ?? 'approval invalid');
        throw err;
      }
    }
    if (policy.approval === 'once_per_thread' && call.threadId) {
      const prior = await deps.approvals.approvedInThread(actor, call.threadId, tool.name);
      if (prior) return { kind: 'run', args: parsed.data, approval: prior };
    }
    const redacted = redact(parsed.data) as Record<string, unknown>;
    const approval = await deps.approvals.request(actor, {
      tool: tool.name,
      args: redacted,
      argsHash,
      risk: tool.risk,
      via: call.via,
      threadId: call.threadId,
    });
    return { kind: 'pending', approval };
  }

  async function execute(actor: Actor, call: GateCall, tool: ToolDefinition, args: unknown): Promise<unknown> {
    const deadline = new AbortController();
    const timer = setTimeout(
      () => deadline.abort(refuse('TOOL_TIMEOUT', 504, `Tool ${tool.name} timed out after ${timeoutMs} ms`, 'error')),
      timeoutMs,
    );
    const signal = call.signal ? AbortSignal.any([call.signal, deadline.signal]) : deadline.signal;
    let onAbort: () => void = () => {};
    const aborted = new Promise<never>((_, reject) => {
      onAbort = () =>
        reject(signal.reason instanceof Refusal ? signal.reason : refuse('TOOL_ABORTED', 499, `Tool ${tool.name} was cancelled`, 'error'));
      if (signal.aborted) onAbort();
      else signal.addEventListener('abort', onAbort, { once: true });
    });
    try {
      return await Promise.race([tool.execute({ actor, cloud: deps.cloud(actor.orgId), signal }, args), aborted]);
    } catch (err) {
      if (err instanceof Refusal) throw err;
      const e = err as { code?: unknown; message?: unknown };
      const code = typeof e.code === 'string' && /^[A-Z][A-Z0-9_]{1,60}$/.test(e.code) ? e.code : 'TOOL_FAILED';
      const message = typeof e.message === 'string' && e.message ? e.message.slice(0, 500) : 'The tool failed';
      throw new Refusal('error', { code, message: `${tool.name}: ${message}`, status: 502 }, 'error');
    } finally {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
    }
  }

  return {
    catalogue,
    stats: () => ({ ...stats }),
    async run(actor, call) {
      stats[call.via]++;
      const started = performance.now();
      const tool = catalogue.get(call.tool) ?? (await deps.sources?.resolve(actor.orgId, call.tool));
      if (!tool)
        return { status: 'error', error: { code: 'TOOL_NOT_FOUND', message: `Tool ${call.tool.slice(0, 200)} not found`, status: 404 } };
      // Awaited: the audit buffer applies backpressure when full (it never throws).
      const audit = (status: ExecutionStatus, extra: { approval?: ApprovalView | null; error?: GateError }): Promise<void> =>
        deps.audit.record({
          actor,
          via: call.via,
          tool: tool.name,
          args: extra.error?.status === 413 ? { omitted: 'args too large' } : call.args,
          status,
          durationMs: performance.now() - started,
          approvalId: extra.approval?.id ?? call.approvalId ?? null,
          approverId: extra.approval?.decidedBy ?? null,
          errorCode: extra.error?.code ?? null,
          error: extra.error?.message ?? null,
          threadId: call.threadId ?? null,
        });
      try {
        const checked = await check(actor, call, tool);
        if (checked.kind === 'pending') {
          await audit('pending_approval', { approval: checked.approval });
          return { status: 'pending_approval', approval: checked.approval };
        }
        const raw = await execute(actor, call, tool, checked.args);
        const { output, truncated } = capOutput(raw, maxOutput);
        await audit('ok', { approval: checked.approval });
        return {
          status: 'ok',
          output,
          truncated,
          durationMs: Math.round(performance.now() - started),
          approvalId: checked.approval?.id ?? null,
        };
      } catch (err) {
        if (!(err instanceof Refusal)) throw err;
        if (err.audit) await audit(err.audit, { error: err.gate });
        if (err.outcome === 'error') deps.log.warn({ tool: tool.name, code: err.gate.code, via: call.via }, 'tool gate: execution failed');
        return { status: err.outcome, error: err.gate };
      }
    },
  };
}
