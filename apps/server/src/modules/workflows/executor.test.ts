import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MockLanguageModelV4 } from 'ai/test';
import { buildExecutorApp, type ExecutorTestApp } from './executor-harness.ts';
import { actorInNewOrg } from './test-support.ts';
import type { Actor } from '@cloudnow/shared';
import type { CreateDefinitionInput } from './workflows.schemas.ts';

let t: ExecutorTestApp;
let actor: Actor;

beforeAll(async () => {
  t = await buildExecutorApp();
  actor = await actorInNewOrg(t.db);
  t.tools.set('launch_instance', (a) => ({ id: `ocid1.instance.${String(a.name)}`, count: 2 }));
  t.tools.set('get_instance', (a) => ({ id: a.id, state: 'RUNNING' }));
  t.tools.set('echo', (a) => a);
});
afterAll(async () => t.close());

const edges = (...pairs: Array<[string, string, ('true' | 'false')?]>) =>
  pairs.map(([source, target, branch]) => ({ source, target, ...(branch ? { branch } : {}) }));

async function run(def: CreateDefinitionInput, input: Record<string, unknown> = {}, who = actor) {
  const d = await t.app.workflows.definitions.create(who, def);
  const started = await t.app.workflows.runs.start(who, d.id, input);
  return { d, started, done: () => t.waitFor(who, started.id) };
}

describe('durable executor', () => {
  it('starts at once, then runs the nodes in workers with args templated from earlier outputs', async () => {
    t.calls.length = 0;
    const { started, done } = await run(
      {
        name: 'launch',
        nodes: [
          { id: 'start', type: 'input' },
          { id: 'launch', type: 'tool', config: { tool: 'launch_instance', args: { name: '{{input.name}}' } } },
          { id: 'check', type: 'tool', config: { tool: 'get_instance', args: { id: '{{steps.launch.output.id}}' } } },
          {
            id: 'out',
            type: 'output',
            config: {
              mapping: { id: '{{steps.check.output.id}}', n: '{{steps.launch.output.count}}', text: 'state {{steps.check.output.state}}' },
            },
          },
        ],
        edges: edges(['start', 'launch'], ['launch', 'check'], ['check', 'out']),
      },
      { name: 'web1' },
    );
    expect(started.status).toBe('running');
    const r = await done();
    expect(r.status).toBe('completed');
    expect(r.output).toEqual({ id: 'ocid1.instance.web1', n: 2, text: 'state RUNNING' });
    expect(t.calls.map((c) => [c.tool, c.args, c.via])).toEqual([
      ['launch_instance', { name: 'web1' }, 'workflow'],
      ['get_instance', { id: 'ocid1.instance.web1' }, 'workflow'],
    ]);
    expect(r.steps.map((s) => [s.node_id, s.status, s.attempts])).toEqual([
      ['start', 'completed', 1],
      ['launch', 'completed', 1],
      ['check', 'completed', 1],
      ['out', 'completed', 1],
    ]);
    const log = await t.db
      .selectFrom('event_log')
      .select('type')
      .where('org_id', '=', actor.orgId)
      .where('payload', '@>', JSON.stringify({ runId: r.id }) as never)
      .execute();
    expect(log.map((l) => l.type).sort()).toEqual(['workflow.completed', 'workflow.started']);
  });

  it('takes the condition branch and skips the other, then joins', async () => {
    t.calls.length = 0;
    const def = (name: string): CreateDefinitionInput => ({
      name,
      nodes: [
        { id: 'start', type: 'input' },
        { id: 'big', type: 'condition', config: { expression: 'input.size > 10' } },
        { id: 'yes', type: 'tool', config: { tool: 'echo', args: { branch: 'yes' } } },
        { id: 'yes2', type: 'tool', config: { tool: 'echo', args: { branch: 'yes2' } } },
        { id: 'no', type: 'tool', config: { tool: 'echo', args: { branch: 'no' } } },
        { id: 'out', type: 'output', config: { mapping: { yes: '{{exists(steps.yes2.output)}}', no: '{{exists(steps.no.output)}}' } } },
      ],
      edges: edges(['start', 'big'], ['big', 'yes', 'true'], ['yes', 'yes2'], ['big', 'no', 'false'], ['yes2', 'out'], ['no', 'out']),
    });
    const r = await (await run(def('cond-false'), { size: 3 })).done();
    expect(r.status).toBe('completed');
    expect(r.output).toEqual({ yes: false, no: true });
    expect(Object.fromEntries(r.steps.map((s) => [s.node_id, s.status]))).toMatchObject({
      big: 'completed',
      yes: 'skipped',
      yes2: 'skipped',
      no: 'completed',
      out: 'completed',
    });
    expect(t.calls.map((c) => c.args.branch)).toEqual(['no']);
  });

  it('retries a failing node per its policy and records the attempts', async () => {
    let n = 0;
    t.tools.set('flaky', () => {
      if (++n < 3) throw new Error(`flaky failure ${n}`);
      return { ok: true };
    });
    const r = await (
      await run({
        name: 'retry',
        nodes: [
          { id: 'start', type: 'input' },
          { id: 'f', type: 'tool', config: { tool: 'flaky' }, retry: { attempts: 3, backoffMs: 0, jitter: 0 } },
        ],
        edges: edges(['start', 'f']),
      })
    ).done();
    expect(r.status).toBe('completed');
    expect(r.steps.find((s) => s.node_id === 'f')).toMatchObject({ status: 'completed', attempts: 3, output: { ok: true } });
  });

  it('fails after the last attempt and runs compensations newest first', async () => {
    t.calls.length = 0;
    t.tools.set('create_vcn', () => ({ id: 'vcn1' }));
    t.tools.set('create_subnet', () => ({ id: 'sub1' }));
    t.tools.set('delete_vcn', (a) => ({ deleted: a.id }));
    t.tools.set('delete_subnet', (a) => ({ deleted: a.id }));
    t.tools.set('broken', () => {
      throw new Error('quota exceeded');
    });
    const r = await (
      await run({
        name: 'saga',
        nodes: [
          { id: 'start', type: 'input' },
          { id: 'vcn', type: 'tool', config: { tool: 'create_vcn', compensate: { tool: 'delete_vcn', args: { id: '{{result.id}}' } } } },
          {
            id: 'subnet',
            type: 'tool',
            config: {
              tool: 'create_subnet',
              args: { vcn: '{{steps.vcn.output.id}}' },
              compensate: { tool: 'delete_subnet', args: { id: '{{steps.subnet.output.id}}' } },
            },
          },
          { id: 'boom', type: 'tool', config: { tool: 'broken' }, retry: { attempts: 2, backoffMs: 0, jitter: 0 } },
        ],
        edges: edges(['start', 'vcn'], ['vcn', 'subnet'], ['subnet', 'boom']),
      })
    ).done();
    expect(r.status).toBe('failed');
    expect(r.error).toBe('node boom failed: quota exceeded');
    await expect
      .poll(async () => (await t.app.workflows.runs.get(actor, r.id)).steps.filter((s) => s.status === 'compensated').length, {
        timeout: 15_000,
      })
      .toBe(2);
    expect(t.calls.map((c) => c.tool)).toEqual(['create_vcn', 'create_subnet', 'broken', 'broken', 'delete_subnet', 'delete_vcn']);
    expect(t.calls.slice(-2).map((c) => c.args)).toEqual([{ id: 'sub1' }, { id: 'vcn1' }]);
  });

  it('runs an ai-step through the model port', async () => {
    const model = new MockLanguageModelV4({
      doGenerate: {
        content: [{ type: 'text', text: '{"summary":"2 instances"}' }],
        finishReason: { unified: 'stop', raw: 'stop' },
        usage: { inputTokens: { total: 3, noCache: 3, cacheRead: 0, cacheWrite: 0 }, outputTokens: { total: 5, text: 5, reasoning: 0 } },
        warnings: [],
      },
    });
    const asked: string[] = [];
    t.app.workflows.configure({ model: (id) => (asked.push(id), model) });
    const r = await (
      await run(
        {
          name: 'ai',
          nodes: [
            { id: 'start', type: 'input' },
            {
              id: 'ai',
              type: 'ai-step',
              config: { model: 'mock:json', prompt: 'Summarise {{input.items}} for {{input.who}}', output: 'json' },
            },
            { id: 'out', type: 'output', config: { mapping: { s: '{{steps.ai.output.object.summary}}' } } },
          ],
          edges: edges(['start', 'ai'], ['ai', 'out']),
        },
        { items: [1, 2], who: 'ops' },
      )
    ).done();
    expect(r.status).toBe('completed');
    expect(r.output).toEqual({ s: '2 instances' });
    expect(asked).toEqual(['mock:json']);
    expect(JSON.stringify(model.doGenerateCalls[0]!.prompt)).toContain('Summarise [1,2] for ops');
  });

  it('loops sequentially with a break condition, and in parallel under the concurrency cap', async () => {
    let live = 0;
    let peak = 0;
    t.tools.set('slow_echo', async (a) => {
      peak = Math.max(peak, ++live);
      await new Promise((r) => setTimeout(r, 30));
      live--;
      return a;
    });
    const loopDef = (name: string, config: Record<string, unknown>): CreateDefinitionInput => ({
      name,
      nodes: [
        { id: 'start', type: 'input' },
        {
          id: 'each',
          type: 'loop',
          config: { items: '{{input.items}}', body: { tool: 'slow_echo', args: { v: '{{item}}', i: '{{index}}' } }, ...config },
        },
      ],
      edges: edges(['start', 'each']),
    });
    const seq = await (await run(loopDef('seq', { breakWhen: 'result.v >= 3' }), { items: [1, 2, 3, 4, 5] })).done();
    expect(seq.steps.find((s) => s.node_id === 'each')!.output).toEqual({
      results: [
        { v: 1, i: 0 },
        { v: 2, i: 1 },
        { v: 3, i: 2 },
      ],
      count: 3,
      stopped: true,
      truncated: false,
      filtered: 0,
    });
    expect(seq.steps.filter((s) => s.node_id === 'each' && s.iteration > 0).map((s) => s.status)).toEqual([
      'completed',
      'completed',
      'completed',
    ]);

    const items = Array.from({ length: 12 }, (_, i) => i);
    const par = await (await run(loopDef('par', { mode: 'parallel', concurrency: 3, maxIterations: 10 }), { items })).done();
    const out = par.steps.find((s) => s.node_id === 'each')!.output as { results: Array<{ v: number }>; count: number; truncated: boolean };
    expect(out.results.map((x) => x.v)).toEqual(items.slice(0, 10));
    expect(out.truncated).toBe(true);

    const filtered = await (await run(loopDef('filtered', { filter: 'item % 2 == 0' }), { items: [1, 2, 3, 4] })).done();
    expect(filtered.steps.find((s) => s.node_id === 'each')!.output).toMatchObject({
      results: [
        { v: 2, i: 0 },
        { v: 4, i: 1 },
      ],
      count: 2,
      filtered: 2,
    });
    expect(peak).toBe(3);
  });

  it('runs parallel branches: all (collecting errors), any, and fail', async () => {
    t.tools.set('nope', () => {
      throw new Error('branch down');
    });
    const par = (name: string, config: Record<string, unknown>): CreateDefinitionInput => ({
      name,
      nodes: [
        { id: 'start', type: 'input' },
        { id: 'fan', type: 'parallel', config },
      ],
      edges: edges(['start', 'fan']),
    });
    const branches = [
      { tool: 'echo', args: { b: 1 }, name: 'one' },
      { tool: 'nope', name: 'two' },
    ];
    const all = await (await run(par('all', { branches, errors: 'collect' }))).done();
    expect(all.steps.find((s) => s.node_id === 'fan')!.output).toEqual({
      results: [{ b: 1 }, null],
      errors: [{ branch: 'two', error: 'branch down' }],
    });
    const any = await (await run(par('any', { branches, merge: 'any' }))).done();
    expect(any.steps.find((s) => s.node_id === 'fan')!.output).toEqual({ winner: 'one', result: { b: 1 }, errors: [] });
    const fail = await (await run(par('fail', { branches }))).done();
    expect(fail).toMatchObject({ status: 'failed', error: 'node fan failed: branch two failed: branch down' });
  });

  it('fails a run that exceeds its step budget', async () => {
    t.app.workflows.configure({ budgets: { maxSteps: 2, wallMs: 60_000 } });
    try {
      const r = await (
        await run({
          name: 'budget',
          nodes: [
            { id: 'start', type: 'input' },
            { id: 'a', type: 'tool', config: { tool: 'echo' } },
            { id: 'b', type: 'tool', config: { tool: 'echo' } },
          ],
          edges: edges(['start', 'a'], ['a', 'b']),
        })
      ).done();
      expect(r).toMatchObject({ status: 'failed', error: 'step budget of 2 exceeded' });
      expect(r.steps.find((s) => s.node_id === 'b')!.status).toBe('cancelled');
    } finally {
      t.app.workflows.configure({ budgets: { maxSteps: 500, wallMs: 3_600_000 } });
    }
  });

  it('does not re-execute a completed step when its job is delivered again', async () => {
    t.calls.length = 0;
    const { started, done } = await run({
      name: 'once',
      nodes: [
        { id: 'start', type: 'input' },
        { id: 'a', type: 'tool', config: { tool: 'echo', args: { x: 1 } } },
      ],
      edges: edges(['start', 'a']),
    });
    await done();
    expect(t.calls).toHaveLength(1);
    await t.app.workflows.executor.handleNodeJob({ orgId: actor.orgId, runId: started.id, nodeId: 'a' });
    await t.app.workflows.executor.handleNodeJob({ orgId: actor.orgId, runId: started.id, nodeId: 'start' });
    expect(t.calls).toHaveLength(1);
    expect((await t.app.workflows.runs.get(actor, started.id)).steps.find((s) => s.node_id === 'a')!.attempts).toBe(1);
  });

  it('refuses to run an archived workflow (409) and hides other orgs’ runs (404)', async () => {
    const d = await t.app.workflows.definitions.create(actor, { name: 'old', nodes: [{ id: 'start', type: 'input' }] });
    await t.app.workflows.definitions.setStatus(actor, d.id, 'archived');
    await expect(t.app.workflows.runs.start(actor, d.id, {})).rejects.toMatchObject({ statusCode: 409, code: 'WORKFLOW_ARCHIVED' });
    await t.app.workflows.definitions.setStatus(actor, d.id, 'published');
    const r = await t.app.workflows.runs.start(actor, d.id, {});
    const stranger = await actorInNewOrg(t.db);
    await expect(t.app.workflows.runs.get(stranger, r.id)).rejects.toMatchObject({ statusCode: 404 });
    await expect(t.app.workflows.runs.cancel(stranger, r.id)).rejects.toMatchObject({ statusCode: 404 });
    await expect(t.app.workflows.runs.approve(stranger, r.id)).rejects.toMatchObject({ statusCode: 404 });
    await expect(t.app.workflows.runs.start(stranger, d.id, {})).rejects.toMatchObject({ statusCode: 404 });
  });
});
