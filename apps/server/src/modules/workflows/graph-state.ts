import type { WorkflowEdge, WorkflowNode } from './workflows.schemas.ts';
import type { StepStatus } from './workflows.tables.ts';

/** What the executor knows about one node of a run (its iteration-0 step row). */
export interface NodeState {
  status: StepStatus;
  output?: unknown;
}

/** Nodes that became ready to run and nodes that can never run (their branch was not taken). */
export interface Advance {
  ready: string[];
  skip: string[];
}

const DONE: ReadonlySet<StepStatus> = new Set(['completed', 'skipped']);

/**
 * Decides what follows from the current states (pure). A node without a state is decided once all
 * its predecessors are completed or skipped: it runs when at least one incoming edge is live (its
 * source completed and, for a condition, the edge's branch equals the result), otherwise it is
 * skipped — and skipping propagates, so the whole untaken branch is skipped, while a join after
 * the branches still runs.
 */
export function advance(nodes: readonly WorkflowNode[], edges: readonly WorkflowEdge[], states: ReadonlyMap<string, NodeState>): Advance {
  const incoming = new Map<string, WorkflowEdge[]>();
  for (const e of edges) incoming.set(e.target, [...(incoming.get(e.target) ?? []), e]);
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const work = new Map(states);
  const ready: string[] = [];
  const skip: string[] = [];
  for (let changed = true; changed;) {
    changed = false;
    for (const n of nodes) {
      if (work.has(n.id)) continue;
      const ins = incoming.get(n.id) ?? [];
      if (ins.length === 0 || ins.some((e) => !DONE.has(work.get(e.source)?.status as StepStatus))) continue;
      const live = ins.some((e) => {
        const s = work.get(e.source)!;
        if (s.status !== 'completed') return false;
        if (byId.get(e.source)?.type !== 'condition') return true;
        return e.branch === String(Boolean((s.output as { result?: unknown } | undefined)?.result));
      });
      if (live) {
        ready.push(n.id);
        work.set(n.id, { status: 'pending' });
      } else {
        skip.push(n.id);
        work.set(n.id, { status: 'skipped' });
        changed = true;
      }
    }
  }
  return { ready, skip };
}

/** The run's output: the output node's mapping, or an object keyed by node id when there are several. */
export function runOutput(nodes: readonly WorkflowNode[], states: ReadonlyMap<string, NodeState>): unknown {
  const outs = nodes.filter((n) => n.type === 'output' && states.get(n.id)?.status === 'completed');
  if (outs.length === 0) return null;
  if (outs.length === 1) return states.get(outs[0]!.id)!.output ?? null;
  return Object.fromEntries(outs.map((n) => [n.id, states.get(n.id)!.output ?? null]));
}
