import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { CallToolRequestSchema, ListToolsRequestSchema, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { Actor } from '@cloudnow/shared';
import type { ApprovalService } from '../approvals/approvals.service.ts';
import { presentApproval } from '../approvals/approvals.schemas.ts';
import type { GateResult } from '../tools/tools.gate.ts';
import type { ToolsModule } from '../tools/tools.plugin.ts';

/** The MCP tool that reports an approval's state (callers poll it after a pending result). */
export const APPROVAL_STATUS_TOOL = 'get_approval_status';

/** `_meta` keys a caller sets on `tools/call` to consume a granted approval or name its thread. */
export const META_APPROVAL_ID = 'cloudnow/approvalId';
export const META_THREAD_ID = 'cloudnow/threadId';

const text = (value: unknown): CallToolResult['content'] => [
  { type: 'text', text: typeof value === 'string' ? value : JSON.stringify(value) },
];

/** Maps a gate result to an MCP tool result; refusals and tool failures are `isError` results, never protocol errors. */
export function toMcpResult(r: GateResult): CallToolResult {
  if (r.status === 'ok') return { content: text(r.output), structuredContent: { status: 'ok', output: r.output, truncated: r.truncated } };
  if (r.status === 'pending_approval') {
    const approval = presentApproval(r.approval);
    const poll = { tool: APPROVAL_STATUS_TOOL, args: { approvalId: approval.id }, rest: `/api/approvals/${approval.id}` };
    return {
      content: text(
        `Approval required for ${approval.tool} (approval ${approval.id}, expires ${approval.expiresAt}). ` +
          `Poll ${APPROVAL_STATUS_TOOL} or GET ${poll.rest}; once approved, call the tool again with the same arguments and _meta["${META_APPROVAL_ID}"] = "${approval.id}".`,
      ),
      structuredContent: { status: 'pending_approval', approvalId: approval.id, expiresAt: approval.expiresAt, poll },
    };
  }
  return { isError: true, content: text(`${r.error.code}: ${r.error.message}`), structuredContent: { status: r.status, error: r.error } };
}

/**
 * Builds a stateless MCP server for one request and one actor: `tools/list` is the catalogue
 * (enabled for the org, input schemas as JSON Schema) plus `get_approval_status`; every
 * `tools/call` goes through the tool gate with via 'mcp'.
 */
export function createMcpServer(
  actor: Actor,
  deps: { tools: ToolsModule; approvals: Pick<ApprovalService, 'get'>; version: string },
): Server {
  const server = new Server({ name: 'cloudnow', version: deps.version }, { capabilities: { tools: {} } });
  server.setRequestHandler(ListToolsRequestSchema, async () => {
    const listed = (await deps.tools.listing.list(actor, {})).filter((t) => t.enabled);
    return {
      tools: [
        ...listed.map((t) => {
          const def = deps.tools.catalogue.get(t.name)!;
          return {
            name: t.name,
            description: t.changes ? `${t.description} Changes: ${t.changes}` : t.description,
            inputSchema: deps.tools.catalogue.inputSchema(def) as { type: 'object'; [k: string]: unknown },
            annotations: { readOnlyHint: t.risk === 'read', destructiveHint: t.risk === 'high' || t.risk === 'critical' },
            _meta: { risk: t.risk, category: t.category, requiresApproval: t.requiresApproval },
          };
        }),
        {
          name: APPROVAL_STATUS_TOOL,
          description: 'Reports the status of a CloudNow approval (pending, approved, denied, expired).',
          inputSchema: { type: 'object' as const, properties: { approvalId: { type: 'string' } }, required: ['approvalId'] },
          annotations: { readOnlyHint: true },
        },
      ],
    };
  });
  server.setRequestHandler(CallToolRequestSchema, async (req, extra): Promise<CallToolResult> => {
    const { name, arguments: args, _meta } = req.params;
    if (name === APPROVAL_STATUS_TOOL) {
      const id = typeof args?.approvalId === 'string' ? args.approvalId : '';
      try {
        const approval = presentApproval(await deps.approvals.get(actor, id));
        return { content: text(approval), structuredContent: approval };
      } catch (err) {
        const e = err as { code?: string; message?: string };
        return { isError: true, content: text(`${e.code ?? 'ERROR'}: ${e.message ?? 'failed'}`) };
      }
    }
    const meta = (_meta ?? {}) as Record<string, unknown>;
    const str = (v: unknown): string | undefined => (typeof v === 'string' && v.length <= 200 ? v : undefined);
    const result = await deps.tools.gate.run(actor, {
      tool: name,
      args: args ?? {},
      via: 'mcp',
      approvalId: str(meta[META_APPROVAL_ID]),
      threadId: str(meta[META_THREAD_ID]),
      signal: extra.signal,
    });
    return toMcpResult(result);
  });
  return server;
}
