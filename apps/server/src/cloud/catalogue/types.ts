import type { z } from 'zod';
import type { Actor } from '@cloudnow/shared';
import type { CloudProvider } from '../provider.ts';

/** How much a tool can change: decides the default approval policy (`medium` and above ask). */
export type RiskLevel = 'read' | 'low' | 'medium' | 'high' | 'critical';

export const RISK_LEVELS: readonly RiskLevel[] = ['read', 'low', 'medium', 'high', 'critical'];

export type ToolCategory =
  | 'compute'
  | 'networking'
  | 'storage'
  | 'database'
  | 'identity'
  | 'observability'
  | 'logging'
  | 'search'
  | 'billing'
  | 'pricing'
  | 'terraform'
  /** Tools discovered on an org's MCP servers (`<server>__<tool>`). */
  | 'mcp';

/** What a tool's execute receives: who runs it, the tenancy adapter, and a deadline signal. */
export interface ToolContext {
  readonly actor: Actor;
  readonly cloud: CloudProvider;
  readonly signal: AbortSignal;
}

/**
 * One catalogue entry. The tool gate (modules/tools) is the only caller of `execute`; nothing
 * else runs a tool. Inputs are validated against `input` before `execute` sees them.
 */
export interface ToolDefinition<I extends z.ZodType = z.ZodType, O = unknown> {
  /** snake_case, unique, stable: chat, REST, MCP and workflows all use it. */
  readonly name: string;
  readonly description: string;
  readonly category: ToolCategory;
  readonly risk: RiskLevel;
  readonly input: I;
  /** What it changes, in words shown on approval cards ("Stops the instance; …"). Empty for reads. */
  readonly changes: string;
  /** The input's JSON Schema when the tool was described by one (MCP tools); else derived from `input`. */
  readonly inputJsonSchema?: Record<string, unknown>;
  execute(ctx: ToolContext, args: z.infer<I>): Promise<O>;
}

/** Helper that keeps the input type attached to `execute`'s args. */
export function defineTool<I extends z.ZodType, O>(def: ToolDefinition<I, O>): ToolDefinition<I, O> {
  return def;
}
