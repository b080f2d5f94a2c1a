import { z } from 'zod';
import { LIMITS } from '@cloudnow/shared';

/** Per-node retry policy: attempts in total (1 = no retry), exponential backoff with jitter. */
export const retryPolicySchema = z
  .object({
    attempts: z.number().int().min(1).max(10).default(1),
    backoffMs: z.number().int().min(0).max(300_000).default(1000),
    maxBackoffMs: z.number().int().min(0).max(3_600_000).default(30_000),
    /** Fraction of the delay randomised (±): 0.25 → ±25 %. */
    jitter: z.number().min(0).max(1).default(0.25),
  })
  .strict();
export type RetryPolicy = z.infer<typeof retryPolicySchema>;

const toolName = z.string().regex(/^[a-z][a-z0-9_]{0,99}$/, 'a snake_case tool name');
const args = z.record(z.string(), z.unknown()).default({});

/** A tool call inside a node (the tool node itself, its compensation, loop bodies, parallel branches). */
export const toolCallSchema = z.object({ tool: toolName, args }).strict();
export type ToolCall = z.infer<typeof toolCallSchema>;

/** Config schema per node type: the single list of node types the validator accepts. */
export const NODE_CONFIG_SCHEMAS = {
  input: z.object({}).strict(),
  tool: z.object({ tool: toolName, args, compensate: toolCallSchema.optional() }).strict(),
  condition: z.object({ expression: z.string().min(1).max(2000) }).strict(),
  approval: z
    .object({
      message: z.string().max(2000).default('Approval required'),
      /** User ids or role names allowed to approve; empty = anyone with workflows:execute. */
      approvers: z.array(z.string().min(1).max(200)).max(50).default([]),
      timeoutSeconds: z
        .number()
        .int()
        .min(1)
        .max(7 * 24 * 3600)
        .optional(),
      onTimeout: z.enum(['continue', 'cancel']).default('cancel'),
    })
    .strict(),
  'ai-step': z
    .object({
      model: z.string().min(1).max(200),
      prompt: z.string().min(1).max(20_000),
      system: z.string().max(20_000).optional(),
      output: z.enum(['text', 'json']).default('text'),
      maxOutputTokens: z.number().int().min(1).max(4000).default(1000),
    })
    .strict(),
  loop: z
    .object({
      /** A whole-string template resolving to an array, e.g. `{{steps.list.output.items}}`. */
      items: z.string().min(1).max(500),
      body: toolCallSchema,
      mode: z.enum(['sequential', 'parallel']).default('sequential'),
      concurrency: z.number().int().min(1).max(20).default(4),
      maxIterations: z.number().int().min(1).max(1000).default(100),
      /** Evaluated per item (`item`, `index`) before the loop starts; false leaves the item out. */
      filter: z.string().min(1).max(2000).optional(),
      /** Evaluated after each iteration with `item`, `index`, `result`; true stops the loop. */
      breakWhen: z.string().min(1).max(2000).optional(),
    })
    .strict(),
  parallel: z
    .object({
      branches: z
        .array(toolCallSchema.extend({ name: z.string().min(1).max(100).optional() }))
        .min(1)
        .max(20),
      merge: z.enum(['all', 'first', 'any']).default('all'),
      errors: z.enum(['fail', 'collect']).default('fail'),
    })
    .strict(),
  output: z.object({ mapping: z.record(z.string(), z.unknown()).default({}) }).strict(),
} as const;

/** Every node type. */
export type NodeType = keyof typeof NODE_CONFIG_SCHEMAS;
export const NODE_TYPES = Object.keys(NODE_CONFIG_SCHEMAS) as NodeType[];
export type NodeConfig<T extends NodeType> = z.infer<(typeof NODE_CONFIG_SCHEMAS)[T]>;

const nodeId = z.string().regex(/^[A-Za-z][A-Za-z0-9_-]{0,63}$/, 'letters, digits, _ or -, starting with a letter');

/** A node as submitted (config checked per type by the validator, which names the node). */
export const nodeSchema = z
  .object({
    id: nodeId,
    type: z.string().min(1).max(50),
    name: z.string().max(200).optional(),
    config: z.record(z.string(), z.unknown()).default({}),
    retry: retryPolicySchema.optional(),
    timeoutMs: z.number().int().min(100).max(900_000).optional(),
    position: z.object({ x: z.number(), y: z.number() }).optional(),
  })
  .strict();

/** A node after validation: its config parsed by its type's schema. */
export interface WorkflowNode {
  id: string;
  type: NodeType;
  name?: string | undefined;
  config: Record<string, unknown>;
  retry?: RetryPolicy | undefined;
  timeoutMs?: number | undefined;
  position?: { x: number; y: number } | undefined;
}

/** A directed edge; edges leaving a condition node carry the branch they belong to. */
export const edgeSchema = z
  .object({
    id: z.string().max(200).optional(),
    source: z.string().min(1).max(64),
    target: z.string().min(1).max(64),
    branch: z.enum(['true', 'false']).optional(),
  })
  .strict();
export type WorkflowEdge = z.infer<typeof edgeSchema>;

/** The graph part of a definition (what a version stores). */
const edgesSchema = z.array(edgeSchema).max(LIMITS.workflowNodesMax * 4);
export const graphSchema = z.object({
  nodes: z.array(nodeSchema).min(1).max(LIMITS.workflowNodesMax),
  edges: edgesSchema.default([]),
  inputSchema: z.record(z.string(), z.unknown()).nullable().optional(),
});

const name = z.string().trim().min(1).max(200);
const tags = z.array(z.string().trim().min(1).max(50)).max(20).default([]);

export const createDefinitionBody = graphSchema.extend({
  name,
  description: z.string().max(5000).default(''),
  tags,
});
export type CreateDefinitionInput = z.input<typeof createDefinitionBody>;

/** An update: metadata alone, or a new graph (which creates a new version). */
export const updateDefinitionBody = z
  .object({
    name: name.optional(),
    description: z.string().max(5000).optional(),
    tags: z.array(z.string().trim().min(1).max(50)).max(20).optional(),
    nodes: graphSchema.shape.nodes.optional(),
    edges: edgesSchema.optional(),
    inputSchema: graphSchema.shape.inputSchema,
  })
  .strict();
export type UpdateDefinitionInput = z.input<typeof updateDefinitionBody>;

export const listDefinitionsQuery = z.object({
  limit: z.coerce.number().int().min(1).max(LIMITS.pageMax).default(LIMITS.pageDefault),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
  status: z.enum(['draft', 'published', 'archived']).optional(),
  search: z.string().trim().min(1).max(200).optional(),
});
export type ListDefinitionsQuery = z.infer<typeof listDefinitionsQuery>;

export const listRunsQuery = z.object({
  limit: z.coerce.number().int().min(1).max(LIMITS.pageMax).default(LIMITS.pageDefault),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
  status: z.enum(['pending', 'running', 'suspended', 'completed', 'failed', 'cancelled']).optional(),
  definitionId: z.uuid().optional(),
});
export type ListRunsQuery = z.infer<typeof listRunsQuery>;

export const runBody = z.object({ input: z.record(z.string(), z.unknown()).default({}) }).default({ input: {} });
export const approveBody = z.object({ comment: z.string().max(2000).optional() }).default({});
export const scheduleBody = z
  .object({
    cron: z.string().trim().min(9).max(100),
    timezone: z.string().min(1).max(64).default('UTC'),
    enabled: z.boolean().default(true),
    input: z.record(z.string(), z.unknown()).default({}),
  })
  .strict();
export type ScheduleInput = z.input<typeof scheduleBody>;
