import { describe, expect, it } from 'vitest';
import { advance, runOutput, type NodeState } from './graph-state.ts';
import type { WorkflowEdge, WorkflowNode } from './workflows.schemas.ts';

const n = (id: string, type: WorkflowNode['type'] = 'tool'): WorkflowNode => ({ id, type, config: {} });
const e = (source: string, target: string, branch?: 'true' | 'false'): WorkflowEdge => ({ source, target, ...(branch ? { branch } : {}) });
const st = (entries: Array<[string, NodeState['status'], unknown?]>): Map<string, NodeState> =>
  new Map(entries.map(([id, status, output]) => [id, { status, output }]));

// start → cond ─true→ a → b ─┐
//              └false→ c ────┴→ join → out
const nodes = [n('start', 'input'), n('cond', 'condition'), n('a'), n('b'), n('c'), n('join'), n('out', 'output')];
const edges = [
  e('start', 'cond'),
  e('cond', 'a', 'true'),
  e('a', 'b'),
  e('cond', 'c', 'false'),
  e('b', 'join'),
  e('c', 'join'),
  e('join', 'out'),
];

describe('advance', () => {
  it('readies the successors of a completed node', () => {
    expect(advance(nodes, edges, st([['start', 'completed']]))).toEqual({ ready: ['cond'], skip: [] });
  });

  it('waits while a predecessor is still running', () => {
    const fan = [n('start', 'input'), n('x'), n('y'), n('z')];
    const fe = [e('start', 'x'), e('start', 'y'), e('x', 'z'), e('y', 'z')];
    expect(
      advance(
        fan,
        fe,
        st([
          ['start', 'completed'],
          ['x', 'completed'],
          ['y', 'running'],
        ]),
      ),
    ).toEqual({ ready: [], skip: [] });
    expect(
      advance(
        fan,
        fe,
        st([
          ['start', 'completed'],
          ['x', 'completed'],
          ['y', 'completed'],
        ]),
      ),
    ).toEqual({ ready: ['z'], skip: [] });
  });

  it('skips the whole untaken branch and still runs the join', () => {
    const s = st([
      ['start', 'completed'],
      ['cond', 'completed', { result: true }],
    ]);
    expect(advance(nodes, edges, s)).toEqual({ ready: ['a'], skip: ['c'] });
    const s2 = st([
      ['start', 'completed'],
      ['cond', 'completed', { result: false }],
    ]);
    expect(advance(nodes, edges, s2)).toEqual({ ready: ['c'], skip: ['a', 'b'] });
    const s3 = st([
      ['start', 'completed'],
      ['cond', 'completed', { result: false }],
      ['a', 'skipped'],
      ['b', 'skipped'],
      ['c', 'completed'],
    ]);
    expect(advance(nodes, edges, s3)).toEqual({ ready: ['join'], skip: [] });
  });

  it('skips a node whose every input is dead', () => {
    const only = [n('start', 'input'), n('cond', 'condition'), n('t'), n('after')];
    const oe = [e('start', 'cond'), e('cond', 't', 'true'), e('t', 'after')];
    expect(
      advance(
        only,
        oe,
        st([
          ['start', 'completed'],
          ['cond', 'completed', { result: false }],
        ]),
      ),
    ).toEqual({ ready: [], skip: ['t', 'after'] });
  });

  it('does not re-ready nodes that already have a state', () => {
    expect(
      advance(
        nodes,
        edges,
        st([
          ['start', 'completed'],
          ['cond', 'pending'],
        ]),
      ),
    ).toEqual({ ready: [], skip: [] });
  });
});

describe('runOutput', () => {
  it('is the output node mapping, or keyed by node when there are several', () => {
    expect(runOutput(nodes, st([['out', 'completed', { n: 1 }]]))).toEqual({ n: 1 });
    expect(runOutput(nodes, st([['out', 'skipped']]))).toBeNull();
    const two = [n('o1', 'output'), n('o2', 'output')];
    expect(
      runOutput(
        two,
        st([
          ['o1', 'completed', 1],
          ['o2', 'completed', 2],
        ]),
      ),
    ).toEqual({ o1: 1, o2: 2 });
  });
});
