import { z } from 'zod';
import { LIMITS } from '@cloudnow/shared';
import { ExpressionError, parseExpression, referencedSteps } from './expressions.ts';
import { checkTemplates } from './templating.ts';
import { NODE_CONFIG_SCHEMAS, NODE_TYPES, type NodeType, type WorkflowEdge, type WorkflowNode } from './workflows.schemas.ts';

/** One problem in a graph; `nodeIds` names the nodes involved (a cycle names all of them). */
export interface GraphIssue {
  nodeIds: string[];
  message: string;
}

/** The result of validating a graph: the normalised graph, or every problem found. */
export type GraphResult = { ok: true; nodes: WorkflowNode[]; edges: WorkflowEdge[] } | { ok: false; issues: GraphIssue[] };

interface RawNode {
  id: string;
  type: string;
  config?: Record<string, unknown> | undefined;
  name?: string | undefined;
  retry?: WorkflowNode['retry'];
  timeoutMs?: number | undefined;
  position?: WorkflowNode['position'];
}

const isNodeType = (t: string): t is NodeType => (NODE_TYPES as string[]).includes(t);

/** Where templates and expressions live in each node type's config. */
function templatedParts(node: WorkflowNode): { templates: unknown; expressions: Array<[string, string]> } {
  const c = node.config as Record<string, any>;
  switch (node.type) {
    case 'tool':
      return { templates: { args: c.args }, expressions: [] };
    case 'ai-step':
      return { templates: { prompt: c.prompt, system: c.system }, expressions: [] };
    case 'loop':
      return {
        templates: { items: c.items, body: c.body.args },
        expressions: [...(c.breakWhen ? [['breakWhen', c.breakWhen]] : []), ...(c.filter ? [['filter', c.filter]] : [])] as Array<
          [string, string]
        >,
      };
    case 'parallel':
      return { templates: { branches: c.branches.map((b: { args: unknown }) => b.args) }, expressions: [] };
    case 'output':
      return { templates: { mapping: c.mapping }, expressions: [] };
    case 'condition':
      return { templates: null, expressions: [['expression', c.expression]] };
    default:
      return { templates: null, expressions: [] };
  }
}

function formatZod(err: z.ZodError): string {
  return err.issues.map((i) => `config${i.path.length ? '.' + i.path.join('.') : ''}: ${i.message}`).join('; ');
}

/** Finds one cycle among `nodes` (all of which lie on or behind a cycle) and returns it in order. */
function findCycle(ids: string[], out: Map<string, string[]>): string[] {
  const left = new Set(ids);
  const state = new Map<string, 1 | 2>();
  const stack: string[] = [];
  const dfs = (n: string): string[] | null => {
    state.set(n, 1);
    stack.push(n);
    for (const m of out.get(n) ?? []) {
      if (!left.has(m)) continue;
      if (state.get(m) === 1) return [...stack.slice(stack.indexOf(m)), m];
      if (!state.has(m)) {
        const c = dfs(m);
        if (c) return c;
      }
    }
    stack.pop();
    state.set(n, 2);
    return null;
  };
  for (const id of ids) if (!state.has(id)) return dfs(id) ?? [];
  return [];
}

/**
 * Validates a workflow graph (pure): node ids unique, known types, per-type config schemas, at most
 * LIMITS.workflowNodesMax nodes, exactly one input node, no dangling or duplicate edges, branch
 * labels only (and always) on condition edges, a DAG, every node reachable from the input, and
 * templates/expressions that parse and read only steps that run before the node.
 */
export function validateGraph(rawNodes: readonly RawNode[], rawEdges: readonly WorkflowEdge[]): GraphResult {
  const issues: GraphIssue[] = [];
  const fail = (nodeIds: string[], message: string): void => void issues.push({ nodeIds, message });
  if (rawNodes.length > LIMITS.workflowNodesMax) {
    return { ok: false, issues: [{ nodeIds: [], message: `too many nodes: ${rawNodes.length} (max ${LIMITS.workflowNodesMax})` }] };
  }
  const nodes: WorkflowNode[] = [];
  const byId = new Map<string, WorkflowNode>();
  const ids = new Set<string>();
  for (const raw of rawNodes) {
    if (ids.has(raw.id)) {
      fail([raw.id], `node '${raw.id}': duplicate node id`);
      continue;
    }
    ids.add(raw.id);
    if (!isNodeType(raw.type)) {
      fail([raw.id], `node '${raw.id}': unknown node type '${raw.type}' (expected one of ${NODE_TYPES.join(', ')})`);
      continue;
    }
    const parsed = NODE_CONFIG_SCHEMAS[raw.type].safeParse(raw.config ?? {});
    if (!parsed.success) {
      fail([raw.id], `node '${raw.id}' (${raw.type}): ${formatZod(parsed.error)}`);
      continue;
    }
    const node: WorkflowNode = { ...raw, type: raw.type, config: parsed.data as Record<string, unknown> };
    nodes.push(node);
    byId.set(node.id, node);
  }
  const known = ids;
  const inputs = rawNodes.filter((n) => n.type === 'input');
  if (inputs.length === 0) fail([], 'the workflow needs an input node');
  if (inputs.length > 1)
    fail(
      inputs.map((n) => n.id),
      `only one input node is allowed (found ${inputs.map((n) => n.id).join(', ')})`,
    );

  const out = new Map<string, string[]>();
  const inDeg = new Map<string, number>(rawNodes.map((n) => [n.id, 0]));
  const seen = new Set<string>();
  for (const e of rawEdges) {
    const label = `edge ${e.source} → ${e.target}`;
    const missing = [e.source, e.target].filter((id) => !known.has(id));
    if (missing.length) {
      fail(missing, `${label}: dangling, node ${missing.map((m) => `'${m}'`).join(' and ')} does not exist`);
      continue;
    }
    const key = `${e.source}\u0000${e.target}`;
    if (seen.has(key)) {
      fail([e.source, e.target], `${label}: duplicate edge`);
      continue;
    }
    seen.add(key);
    const src = byId.get(e.source);
    if (src?.type === 'condition' && !e.branch)
      fail([e.source], `${label}: edges leaving condition node '${e.source}' need branch 'true' or 'false'`);
    if (src && src.type !== 'condition' && e.branch) fail([e.source], `${label}: only edges leaving a condition node carry a branch`);
    if (byId.get(e.target)?.type === 'input') fail([e.target], `${label}: the input node '${e.target}' cannot have incoming edges`);
    out.set(e.source, [...(out.get(e.source) ?? []), e.target]);
    inDeg.set(e.target, (inDeg.get(e.target) ?? 0) + 1);
  }
  if (issues.length) return { ok: false, issues };

  // Kahn: whatever is left after peeling off zero in-degree nodes lies on or behind a cycle.
  const deg = new Map(inDeg);
  const queue = [...deg].filter(([, d]) => d === 0).map(([id]) => id);
  const order: string[] = [];
  while (queue.length) {
    const n = queue.shift()!;
    order.push(n);
    for (const m of out.get(n) ?? []) {
      deg.set(m, deg.get(m)! - 1);
      if (deg.get(m) === 0) queue.push(m);
    }
  }
  if (order.length < nodes.length) {
    const cycle = findCycle(
      nodes.map((n) => n.id).filter((id) => !order.includes(id)),
      out,
    );
    fail([...new Set(cycle)], `the graph has a cycle: ${cycle.join(' → ')}`);
    return { ok: false, issues };
  }

  const input = inputs[0]!;
  const reach = new Set([input.id]);
  const todo = [input.id];
  while (todo.length) for (const m of out.get(todo.pop()!) ?? []) if (!reach.has(m) && reach.add(m)) todo.push(m);
  for (const n of nodes) if (!reach.has(n.id)) fail([n.id], `node '${n.id}': not reachable from the input node '${input.id}'`);

  const ancestors = ancestorSets(order, rawEdges);
  for (const n of nodes) {
    checkNodeReferences(n, ancestors.get(n.id)!, known, fail);
    // A compensation runs after its own step completed, so it may also read that step.
    const comp = n.type === 'tool' ? (n.config as { compensate?: { args: unknown } }).compensate : undefined;
    if (comp)
      checkNodeReferences(
        { ...n, type: 'output', config: { mapping: { compensate: comp.args } } },
        new Set([...ancestors.get(n.id)!, n.id]),
        known,
        fail,
      );
  }
  return issues.length ? { ok: false, issues } : { ok: true, nodes, edges: [...rawEdges] };
}

function ancestorSets(order: string[], edges: readonly WorkflowEdge[]): Map<string, Set<string>> {
  const parents = new Map<string, string[]>();
  for (const e of edges) parents.set(e.target, [...(parents.get(e.target) ?? []), e.source]);
  const anc = new Map<string, Set<string>>();
  for (const id of order) {
    const s = new Set<string>();
    for (const p of parents.get(id) ?? []) {
      s.add(p);
      for (const a of anc.get(p) ?? []) s.add(a);
    }
    anc.set(id, s);
  }
  return anc;
}

function checkNodeReferences(n: WorkflowNode, before: Set<string>, known: Set<string>, fail: (ids: string[], m: string) => void): void {
  const { templates, expressions } = templatedParts(n);
  const refs = new Set<string>();
  try {
    if (templates) checkTemplates(templates, '', refs);
    for (const [field, src] of expressions) {
      try {
        referencedSteps(parseExpression(src), refs);
      } catch (err) {
        throw new ExpressionError(`${field}: ${(err as Error).message}`);
      }
    }
  } catch (err) {
    fail([n.id], `node '${n.id}': bad template or expression in config.${(err as Error).message}`);
    return;
  }
  for (const r of refs) {
    if (!known.has(r)) fail([n.id], `node '${n.id}': reads steps.${r}, but there is no node '${r}'`);
    else if (!before.has(r)) fail([n.id], `node '${n.id}': reads steps.${r}, which does not run before it`);
  }
}
