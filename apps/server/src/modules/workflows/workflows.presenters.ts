import { z } from 'zod';
import type { DefinitionSummary, DefinitionWithGraph } from './definitions.repository.ts';
import type { RunRow, StepRow } from './runs.repository.ts';

/** Response schemas: the output whitelist of every workflows route. */
export const errorBody = z.object({ code: z.string(), message: z.string() });

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

export const definitionSummary = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  status: z.enum(['draft', 'published', 'archived']),
  tags: z.array(z.string()),
  currentVersion: z.number(),
  createdBy: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  nodeCount: z.number().optional(),
  edgeCount: z.number().optional(),
});
export const definitionDetail = definitionSummary.extend({
  nodes: z.array(z.record(z.string(), z.unknown())),
  edges: z.array(z.record(z.string(), z.unknown())),
  inputSchema: z.record(z.string(), z.unknown()).nullable(),
});
export const definitionPage = z.object({ items: z.array(definitionSummary), total: z.number() });

export const runSummary = z.object({
  id: z.string(),
  definitionId: z.string(),
  version: z.number(),
  status: z.enum(['pending', 'running', 'suspended', 'completed', 'failed', 'cancelled']),
  trigger: z.string(),
  startedBy: z.string(),
  input: z.unknown(),
  output: z.unknown(),
  error: z.string().nullable(),
  suspendedNode: z.string().nullable(),
  stepsExecuted: z.number(),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
});
export const stepView = z.object({
  nodeId: z.string(),
  iteration: z.number(),
  nodeType: z.string(),
  status: z.string(),
  attempts: z.number(),
  output: z.unknown(),
  error: z.string().nullable(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
});
export const runDetail = runSummary.extend({ steps: z.array(stepView) });
export const runPage = z.object({ items: z.array(runSummary), total: z.number() });

/** Picks the public fields of a definition row. */
export function presentDefinition(
  d: DefinitionSummary | DefinitionWithGraph,
): z.infer<typeof definitionDetail> | z.infer<typeof definitionSummary> {
  const base = {
    id: d.id,
    name: d.name,
    description: d.description,
    status: d.status,
    tags: d.tags,
    currentVersion: d.current_version,
    createdBy: d.created_by,
    createdAt: d.created_at.toISOString(),
    updatedAt: d.updated_at.toISOString(),
  };
  if ('nodes' in d) return { ...base, nodes: d.nodes as never, edges: d.edges as never, inputSchema: d.input_schema };
  return { ...base, nodeCount: d.node_count, edgeCount: d.edge_count };
}

/** Picks the public fields of a run (the stored actor snapshot stays server-side). */
export function presentRun(r: RunRow): z.infer<typeof runSummary> {
  return {
    id: r.id,
    definitionId: r.definition_id,
    version: r.version,
    status: r.status,
    trigger: r.trigger,
    startedBy: r.started_by,
    input: r.input,
    output: r.output ?? null,
    error: r.error,
    suspendedNode: r.suspended_node,
    stepsExecuted: r.steps_executed,
    createdAt: r.created_at.toISOString(),
    finishedAt: iso(r.finished_at),
  };
}

/** Picks the public fields of a step row. */
export function presentStep(s: StepRow): z.infer<typeof stepView> {
  return {
    nodeId: s.node_id,
    iteration: s.iteration,
    nodeType: s.node_type,
    status: s.status,
    attempts: s.attempts,
    output: s.output ?? null,
    error: s.error,
    startedAt: iso(s.started_at),
    finishedAt: iso(s.finished_at),
  };
}
