import { billingTools } from './billing.ts';
import { computeTools } from './compute.ts';
import { databaseTools } from './database.ts';
import { identityTools } from './identity.ts';
import { networkingTools } from './networking.ts';
import { loggingTools, observabilityTools, searchTools } from './observability.ts';
import { pricingTools } from './pricing.ts';
import { storageTools } from './storage.ts';
import { terraformTools } from './terraform.ts';
import type { ToolDefinition } from './types.ts';

/**
 * Every tool CloudNow offers, in a stable order (by category). Chat, REST, MCP and workflows all
 * read this list; only the tool gate runs an entry's `execute`.
 */
export const catalogue: readonly ToolDefinition[] = Object.freeze([
  ...computeTools,
  ...networkingTools,
  ...storageTools,
  ...databaseTools,
  ...identityTools,
  ...observabilityTools,
  ...loggingTools,
  ...searchTools,
  ...billingTools,
  ...pricingTools,
  ...terraformTools,
]);

const byName = new Map(catalogue.map((t) => [t.name, t]));
if (byName.size !== catalogue.length) throw new Error('Duplicate tool name in the catalogue');

/** The tool of that name, or undefined. */
export function findTool(name: string): ToolDefinition | undefined {
  return byName.get(name);
}
