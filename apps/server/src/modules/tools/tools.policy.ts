import picomatch from 'picomatch';
import type { RiskLevel, ToolDefinition } from '../../cloud/catalogue/types.ts';
import type { ApprovalMode, ToolApprovalRule } from './tools.tables.ts';

/** An org's tool policy as the gate reads it (defaults when the org never saved one). */
export interface ToolPolicy {
  include: readonly string[];
  exclude: readonly string[];
  rules: readonly ToolApprovalRule[];
}

/** The policy of an org that never configured one: every tool enabled, approvals by risk. */
export const DEFAULT_POLICY: ToolPolicy = { include: ['*'], exclude: [], rules: [] };

/** What the policy decides for one tool. */
export interface ToolDecision {
  enabled: boolean;
  approval: ApprovalMode;
  /** Where the approval mode came from: a rule's pattern, or 'risk' (the default). */
  source: string;
}

const NEEDS_APPROVAL: ReadonlySet<RiskLevel> = new Set(['medium', 'high', 'critical']);

/** The default by risk: `medium` and above ask every time, `read`/`low` never. */
export function defaultApproval(risk: RiskLevel): ApprovalMode {
  return NEEDS_APPROVAL.has(risk) ? 'always' : 'never';
}

const matches = (pattern: string, name: string): boolean => picomatch.isMatch(name, pattern, { nocase: false, dot: true });

/**
 * Applies an org policy to a tool: enabled when a name matches an include glob and no exclude glob;
 * approval from the first matching rule, else by risk. Pure, so chat, REST, MCP and the admin
 * preview all agree.
 */
export function decide(policy: ToolPolicy, tool: Pick<ToolDefinition, 'name' | 'risk'>): ToolDecision {
  const enabled = policy.include.some((p) => matches(p, tool.name)) && !policy.exclude.some((p) => matches(p, tool.name));
  const rule = policy.rules.find((r) => matches(r.pattern, tool.name));
  return rule
    ? { enabled, approval: rule.approval, source: rule.pattern }
    : { enabled, approval: defaultApproval(tool.risk), source: 'risk' };
}
