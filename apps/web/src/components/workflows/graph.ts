import type { Edge, Node } from '@xyflow/react';
import type { NodeType, WorkflowEdgeDef, WorkflowNodeDef } from '../../api/workflows.ts';

/** Data carried by a designer node: the definition node minus id/position, plus UI state. */
export interface StepData extends Record<string, unknown> {
  type: NodeType;
  name?: string;
  config: Record<string, unknown>;
  retry?: WorkflowNodeDef['retry'];
  timeoutMs?: number;
  /** Server validation messages naming this node. */
  errors?: string[];
  /** Risk of the tool this node calls (tool nodes), for its colour. */
  risk?: string;
}

export type StepNode = Node<StepData, 'step'>;

/** The control (non-tool) node types with what the palette shows and the config a new one starts with. */
export const CONTROL_NODES: ReadonlyArray<{ type: NodeType; label: string; description: string; config: () => Record<string, unknown> }> = [
  { type: 'input', label: 'Input', description: 'Where the run starts; holds the run input.', config: () => ({}) },
  {
    type: 'condition',
    label: 'Condition',
    description: 'Branches on an expression (true / false).',
    config: () => ({ expression: 'true' }),
  },
  {
    type: 'approval',
    label: 'Approval gate',
    description: 'Pauses the run until someone approves.',
    config: () => ({ message: 'Approval required', approvers: [], onTimeout: 'cancel' }),
  },
  {
    type: 'ai-step',
    label: 'AI step',
    description: 'Asks a model; the answer becomes the output.',
    config: () => ({ model: '', prompt: '', output: 'text', maxOutputTokens: 1000 }),
  },
  {
    type: 'loop',
    label: 'Loop',
    description: 'Calls a tool for each item of a list.',
    config: () => ({ items: '', body: { tool: '', args: {} }, mode: 'sequential', concurrency: 4, maxIterations: 100 }),
  },
  {
    type: 'parallel',
    label: 'Parallel',
    description: 'Calls several tools at once.',
    config: () => ({ branches: [{ tool: '', args: {} }], merge: 'all', errors: 'fail' }),
  },
  { type: 'output', label: 'Output', description: 'Shapes the run output from earlier steps.', config: () => ({ mapping: {} }) },
];

export const TYPE_LABEL: Record<NodeType, string> = {
  input: 'Input',
  tool: 'Tool',
  condition: 'Condition',
  approval: 'Approval',
  'ai-step': 'AI step',
  loop: 'Loop',
  parallel: 'Parallel',
  output: 'Output',
};

/** A fresh node id for a type that no node of the graph uses yet (`tool_2`, `output_1`…). */
export function nextNodeId(type: NodeType, taken: ReadonlySet<string>, hint?: string): string {
  const base = (hint ?? type).replace(/[^A-Za-z0-9_]/g, '_').replace(/^[^A-Za-z]+/, '') || 'step';
  const stem = base.slice(0, 56);
  for (let i = 1; ; i++) {
    const id = `${stem}_${i}`;
    if (!taken.has(id)) return id;
  }
}

/** The node's title on the canvas. */
export function nodeTitle(id: string, d: StepData): string {
  if (d.name) return d.name;
  if (d.type === 'tool' && typeof d.config.tool === 'string' && d.config.tool) return d.config.tool;
  return TYPE_LABEL[d.type] ?? id;
}

/** Definition nodes and edges → canvas nodes and edges. Nodes without a position are laid out top to bottom. */
export function toCanvas(
  nodes: WorkflowNodeDef[],
  edges: WorkflowEdgeDef[],
  riskOf: (tool: string) => string | undefined,
): { nodes: StepNode[]; edges: Edge[] } {
  const depth = layerDepths(nodes, edges);
  const perLayer = new Map<number, number>();
  const canvasNodes = nodes.map((n): StepNode => {
    let position = n.position;
    if (!position) {
      const layer = depth.get(n.id) ?? 0;
      const col = perLayer.get(layer) ?? 0;
      perLayer.set(layer, col + 1);
      position = { x: 80 + col * 260, y: 40 + layer * 130 };
    }
    const tool = n.type === 'tool' && typeof n.config.tool === 'string' ? n.config.tool : undefined;
    const risk = tool ? riskOf(tool) : undefined;
    return {
      id: n.id,
      type: 'step',
      position,
      data: {
        type: n.type,
        config: n.config ?? {},
        ...(n.name ? { name: n.name } : {}),
        ...(n.retry ? { retry: n.retry } : {}),
        ...(n.timeoutMs ? { timeoutMs: n.timeoutMs } : {}),
        ...(risk ? { risk } : {}),
      },
    };
  });
  return { nodes: canvasNodes, edges: edges.map(toCanvasEdge) };
}

export function toCanvasEdge(e: WorkflowEdgeDef): Edge {
  return {
    id: e.id ?? `${e.source}->${e.target}`,
    source: e.source,
    target: e.target,
    ...(e.branch ? { sourceHandle: e.branch, label: e.branch === 'true' ? 'yes' : 'no' } : {}),
  };
}

function layerDepths(nodes: WorkflowNodeDef[], edges: WorkflowEdgeDef[]): Map<string, number> {
  const depth = new Map<string, number>(nodes.map((n) => [n.id, 0]));
  // Longest path from a root, bounded by the node count (a cycle cannot loop forever).
  for (let i = 0; i < nodes.length; i++) {
    let changed = false;
    for (const e of edges) {
      const d = (depth.get(e.source) ?? 0) + 1;
      if (depth.has(e.target) && d > depth.get(e.target)! && d <= nodes.length) {
        depth.set(e.target, d);
        changed = true;
      }
    }
    if (!changed) break;
  }
  return depth;
}

/** Canvas nodes and edges → the definition's graph (what the server validates). */
export function fromCanvas(nodes: StepNode[], edges: Edge[]): { nodes: WorkflowNodeDef[]; edges: WorkflowEdgeDef[] } {
  return {
    nodes: nodes.map((n) => ({
      id: n.id,
      type: n.data.type,
      config: n.data.config,
      ...(n.data.name ? { name: n.data.name } : {}),
      ...(n.data.retry ? { retry: n.data.retry } : {}),
      ...(n.data.timeoutMs ? { timeoutMs: n.data.timeoutMs } : {}),
      position: { x: Math.round(n.position.x), y: Math.round(n.position.y) },
    })),
    edges: edges.map((e) => ({
      source: e.source,
      target: e.target,
      ...(e.sourceHandle === 'true' || e.sourceHandle === 'false' ? { branch: e.sourceHandle } : {}),
    })),
  };
}

/** Validation problems of a graph, per node id (`''` holds what names no node). */
export type IssueMap = Map<string, string[]>;

/**
 * Splits a WORKFLOW_INVALID message into issues per node. The validator joins its issues with
 * "; " and starts each with `node 'id'` or `edge a → b`; a config error of several fields continues
 * with `config.x: …` pieces that belong to the node before them. Body-schema errors name
 * `nodes.<index>.…`, which maps to the node at that index.
 */
export function parseIssues(message: string, nodeIds: readonly string[]): IssueMap {
  const map: IssueMap = new Map();
  const add = (id: string, m: string) => map.set(id, [...(map.get(id) ?? []), m]);
  let current: string[] = [];
  for (const raw of message.split('; ')) {
    const part = raw.trim();
    if (!part) continue;
    const node = /^node '([^']+)'(?: \([^)]*\))?:\s*(.*)$/.exec(part);
    const edge = /^edge (\S+) → (\S+?):\s*(.*)$/.exec(part);
    const indexed = /^nodes\.(\d+)(?:\.(.*))?$/.exec(part.split(': ')[0] ?? '');
    if (node) {
      current = [node[1]!];
      add(node[1]!, node[2]!);
    } else if (edge) {
      current = [edge[1]!, edge[2]!].filter((id) => nodeIds.includes(id));
      for (const id of current) add(id, part);
      if (!current.length) add('', part);
    } else if (indexed && nodeIds[Number(indexed[1])]) {
      const id = nodeIds[Number(indexed[1])]!;
      current = [id];
      add(id, part.slice(part.indexOf(': ') + 2) ? `${indexed[2] ?? 'node'}: ${part.slice(part.indexOf(': ') + 2)}` : part);
    } else if (/^config[.:]/.test(part) && current.length) {
      for (const id of current) add(id, part);
    } else {
      const named = nodeIds.filter((id) => part.includes(`'${id}'`));
      if (named.length) for (const id of named) add(id, part);
      else add('', part);
      current = [];
    }
  }
  return map;
}

/** The message of an issue list that is about one config field (`config.tool: …` → `tool`). */
export function fieldIssue(issues: readonly string[] | undefined, field: string): string | null {
  if (!issues) return null;
  const hit = issues.find((m) => m.startsWith(`config.${field}:`) || m.startsWith(`config.${field}.`));
  return hit ?? null;
}
