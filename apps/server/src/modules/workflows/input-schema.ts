import { z } from 'zod';
import { ValidationFailed } from '../../errors.ts';
import { formatIssues } from '../../plugins/errors.ts';

/** Checks that a definition's input schema is a JSON Schema zod can enforce; 400 naming `inputSchema` otherwise. */
export function assertInputSchema(schema: Record<string, unknown> | null | undefined): void {
  if (!schema) return;
  try {
    z.fromJSONSchema(schema as Parameters<typeof z.fromJSONSchema>[0]);
  } catch (err) {
    throw new ValidationFailed(`inputSchema: not a usable JSON Schema (${err instanceof Error ? err.message : String(err)})`);
  }
}

/** Validates a run's input (defaults already applied) against the definition's JSON Schema; 400 naming the field. */
export function assertRunInput(schema: Record<string, unknown> | null, input: Record<string, unknown>): void {
  if (!schema) return;
  const parsed = z.fromJSONSchema(schema as Parameters<typeof z.fromJSONSchema>[0]).safeParse(input);
  if (!parsed.success) throw new ValidationFailed(formatIssues(parsed.error.issues, 'input'));
}
