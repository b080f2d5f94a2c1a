import { describe, expect, it } from 'vitest';
import { validateGraph, type GraphResult } from './validation.ts';
import type { WorkflowEdge } from './workflows.schemas.ts';

type N = { id: string; type: string; config?: Record<string, unknown> };
const input: N = { id: 'start', type: 'input' };
const tool = (id: string, args: Record<string, unknown> = {}): N => ({ id, type: 'tool', config: { tool: 'list_instances', args } });
const e = (source: string, target: string, branch?: 'true' | 'false'): WorkflowEdge => ({ source, target, ...(branch ? { branch } : {}) });

function issues(r: GraphResult): string[] {
  if (r.ok) throw new Error('expected the graph to be rejected');
  return r.issues.map((i) => i.message);
}

describe('validateGraph', () => {
  it('accepts a graph with every node type and applies config defaults', () => {
    const r = validateGraph(
      [
        input,
        tool('list'),
        { id: 'check', type: 'condition', config: { expression: 'len(steps.list.output.items) > 0' } },
        { id: 'ok', type: 'approval', config: { message: 'Go?' } },
        { id: 'ai', type: 'ai-step', config: { model: 'offline:charlie', prompt: 'Summarise {{steps.list.output}}' } },
        {
          id: 'each',
          type: 'loop',
          config: { items: '{{steps.list.output.items}}', body: { tool: 'get_instance', args: { id: '{{item.id}}' } } },
        },
        { id: 'fan', type: 'parallel', config: { branches: [{ tool: 'list_buckets' }, { tool: 'list_vcns' }] } },
        { id: 'none', type: 'tool', config: { tool: 'list_buckets' } },
        { id: 'out', type: 'output', config: { mapping: { n: '{{len(steps.each.output.results)}}' } } },
      ],
      [
        e('start', 'list'),
        e('list', 'check'),
        e('check', 'ok', 'true'),
        e('check', 'none', 'false'),
        e('ok', 'ai'),
        e('ai', 'each'),
        e('each', 'fan'),
        e('fan', 'out'),
        e('none', 'out'),
      ],
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const loop = r.nodes.find((n) => n.id === 'each')!;
    expect(loop.config).toMatchObject({ mode: 'sequential', maxIterations: 100, concurrency: 4 });
    expect(r.nodes.find((n) => n.id === 'ok')!.config).toMatchObject({ onTimeout: 'cancel', approvers: [] });
  });

  it('names every node of a cycle', () => {
    const msgs = issues(validateGraph([input, tool('a'), tool('b'), tool('c')], [e('start', 'a'), e('a', 'b'), e('b', 'c'), e('c', 'a')]));
    expect(msgs).toEqual(['the graph has a cycle: a → b → c → a']);
    const r = validateGraph([input, tool('a'), tool('b'), tool('c')], [e('start', 'a'), e('a', 'b'), e('b', 'c'), e('c', 'a')]);
    expect(!r.ok && r.issues[0]!.nodeIds).toEqual(['a', 'b', 'c']);
  });

  it('rejects a self loop as a cycle', () => {
    expect(issues(validateGraph([input, tool('a')], [e('start', 'a'), e('a', 'a')]))).toEqual(['the graph has a cycle: a → a']);
  });

  it('rejects dangling edges naming the missing node', () => {
    expect(issues(validateGraph([input, tool('a')], [e('start', 'a'), e('a', 'ghost')]))).toEqual([
      "edge a → ghost: dangling, node 'ghost' does not exist",
    ]);
  });

  it('rejects unknown node types naming the node', () => {
    expect(issues(validateGraph([input, { id: 'x', type: 'shell' }], [e('start', 'x')]))[0]).toMatch(
      /^node 'x': unknown node type 'shell' \(expected one of input, tool, condition/,
    );
  });

  it.each([
    [{ id: 't', type: 'tool', config: {} }, /node 't' \(tool\): config.tool:/],
    [{ id: 't', type: 'tool', config: { tool: 'Bad Name' } }, /node 't' \(tool\): config.tool: .*snake_case/],
    [{ id: 'c', type: 'condition', config: {} }, /node 'c' \(condition\): config.expression/],
    [
      { id: 'l', type: 'loop', config: { items: '{{input.x}}', body: { tool: 'x' }, maxIterations: 5000 } },
      /node 'l' \(loop\): config.maxIterations/,
    ],
    [{ id: 'p', type: 'parallel', config: { branches: [] } }, /node 'p' \(parallel\): config.branches/],
    [{ id: 'a', type: 'ai-step', config: { prompt: 'hi' } }, /node 'a' \(ai-step\): config.model/],
    [{ id: 'o', type: 'output', config: { mapping: {}, extra: 1 } }, /node 'o' \(output\): config: Unrecognized key/],
  ])('rejects a bad config for %j', (node, err) => {
    expect(issues(validateGraph([input, node], [e('start', node.id)])).join('\n')).toMatch(err);
  });

  it('rejects nodes not reachable from the input', () => {
    expect(issues(validateGraph([input, tool('a'), tool('island')], [e('start', 'a')]))).toEqual([
      "node 'island': not reachable from the input node 'start'",
    ]);
  });

  it('needs exactly one input node', () => {
    expect(issues(validateGraph([tool('a')], []))).toContain('the workflow needs an input node');
    expect(issues(validateGraph([input, { id: 'second', type: 'input' }], []))).toContain(
      'only one input node is allowed (found start, second)',
    );
  });

  it('rejects more than 100 nodes', () => {
    const many = [input, ...Array.from({ length: 100 }, (_, i) => tool(`n${i}`))];
    expect(issues(validateGraph(many, []))).toEqual(['too many nodes: 101 (max 100)']);
  });

  it('accepts exactly 100 nodes', () => {
    const nodes = [input, ...Array.from({ length: 99 }, (_, i) => tool(`n${i}`))];
    expect(
      validateGraph(
        nodes,
        nodes.slice(1).map((n) => e('start', n.id)),
      ).ok,
    ).toBe(true);
  });

  it('rejects duplicate node ids and duplicate edges', () => {
    expect(issues(validateGraph([input, tool('a'), tool('a')], [e('start', 'a')]))).toEqual(["node 'a': duplicate node id"]);
    expect(issues(validateGraph([input, tool('a')], [e('start', 'a'), e('start', 'a')]))).toEqual(['edge start → a: duplicate edge']);
  });

  it('requires branches on condition edges and only there', () => {
    const cond = { id: 'c', type: 'condition', config: { expression: 'input.x > 1' } };
    expect(issues(validateGraph([input, cond, tool('a')], [e('start', 'c'), e('c', 'a')]))[0]).toMatch(/condition node 'c' need branch/);
    expect(issues(validateGraph([input, tool('a')], [e('start', 'a', 'true')]))[0]).toMatch(
      /only edges leaving a condition node carry a branch/,
    );
  });

  it('rejects edges into the input node', () => {
    expect(issues(validateGraph([input, tool('a')], [e('start', 'a'), e('a', 'start')])).join()).toMatch(
      /input node 'start' cannot have incoming edges/,
    );
  });

  it.each([
    [tool('t', { id: '{{steps.launch.output.id' }), /node 't': bad template .*args.id: unclosed/],
    [tool('t', { id: '{{steps.__proto__}}' }), /node 't': bad template .*not allowed/],
    [
      { id: 't', type: 'condition', config: { expression: 'input.x >' } },
      /node 't': bad template or expression in config.expression: unexpected end/,
    ],
    [{ id: 't', type: 'ai-step', config: { model: 'm', prompt: 'Hi {{ }}' } }, /node 't': .*prompt: empty template/],
    [{ id: 't', type: 'output', config: { mapping: { a: '{{process.env}}' } } }, /node 't': .*unknown name 'process'/],
  ])('rejects bad templates naming the node: %j', (node, err) => {
    expect(issues(validateGraph([input, node], [e('start', node.id)])).join('\n')).toMatch(err);
  });

  it('rejects templates that read a missing step or one that does not run before the node', () => {
    expect(issues(validateGraph([input, tool('a', { x: '{{steps.nope.output}}' })], [e('start', 'a')]))).toEqual([
      "node 'a': reads steps.nope, but there is no node 'nope'",
    ]);
    expect(issues(validateGraph([input, tool('a', { x: '{{steps.b.output}}' }), tool('b')], [e('start', 'a'), e('start', 'b')]))).toEqual([
      "node 'a': reads steps.b, which does not run before it",
    ]);
  });
});
