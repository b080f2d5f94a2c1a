import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import { z } from 'zod';
import type { ToolDefinition } from '../../cloud/catalogue/types.ts';
import type { ToolSource } from '../tools/tools.catalogue.ts';
import type { McpService, McpToolInfo } from './mcp.service.ts';

const anyObject = z.record(z.string(), z.unknown());

/** The MCP server's JSON Schema as a zod validator; a schema zod cannot read validates as any object. */
function validatorFor(schema: Record<string, unknown>): z.ZodType {
  try {
    return z.fromJSONSchema(schema as Parameters<typeof z.fromJSONSchema>[0]);
  } catch {
    return anyObject;
  }
}

/**
 * An org's discovered MCP tools as gate tools (`<server>__<tool>`). They are `medium` risk, so the
 * default policy asks for approval every time; an org policy rule (`github__*` → never) can relax
 * that. Definitions are memoised per server, tool and schema (bounded), so a lookup costs no
 * schema conversion after the first.
 */
export function createMcpToolSource(service: Pick<McpService, 'tools' | 'callTool'>, opts: { maxDefinitions?: number } = {}): ToolSource {
  const defs = new LRUCache<string, ToolDefinition>({ max: opts.maxDefinitions ?? 2000 });
  const toDefinition = (orgId: string, info: McpToolInfo): ToolDefinition => {
    const key = `${orgId}:${info.serverId}:${info.name}:${createHash('sha1').update(JSON.stringify(info.inputSchema)).digest('hex')}`;
    let def = defs.get(key);
    if (!def) {
      def = {
        name: info.qualifiedName,
        description: info.description || `${info.name} on the MCP server ${info.serverName}`,
        category: 'mcp',
        risk: 'medium',
        input: validatorFor(info.inputSchema),
        inputJsonSchema: info.inputSchema,
        changes: `Runs ${info.name} on the MCP server ${info.serverName}, which may change systems outside CloudNow.`,
        async execute(ctx, args) {
          const result = await service.callTool(ctx.actor.orgId, info.serverId, info.name, (args ?? {}) as Record<string, unknown>);
          if (result.isError) throw Object.assign(new Error(mcpErrorText(result.content)), { code: 'MCP_TOOL_ERROR' });
          return { content: result.content, truncated: result.truncated };
        },
      };
      defs.set(key, def);
    }
    return def;
  };
  return {
    owns: (name) => name.includes('__'),
    async list(orgId) {
      return (await service.tools(orgId)).map((t) => toDefinition(orgId, t));
    },
    async resolve(orgId, name) {
      const info = (await service.tools(orgId)).find((t) => t.qualifiedName === name);
      return info ? toDefinition(orgId, info) : undefined;
    },
  };
}

function mcpErrorText(content: unknown): string {
  if (Array.isArray(content)) {
    const text = content
      .map((c) => (c && typeof c === 'object' && 'text' in c ? String((c as { text: unknown }).text) : ''))
      .filter(Boolean)
      .join(' ');
    if (text) return text.slice(0, 500);
  }
  return 'the MCP tool reported an error';
}
