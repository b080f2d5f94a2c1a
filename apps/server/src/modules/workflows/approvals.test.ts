import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '@cloudnow/shared';
import { buildExecutorApp, type ExecutorTestApp } from './executor-harness.ts';
import { actorInNewOrg } from './test-support.ts';
import type { CreateDefinitionInput } from './workflows.schemas.ts';

let t: ExecutorTestApp;
let actor: Actor;

beforeAll(async () => {
  t = await buildExecutorApp();
  actor = await actorInNewOrg(t.db);
  t.tools.set('echo', (a) => a);
});
afterAll(async () => t.close());

const gated = (name: string, approval: Record<string, unknown> = {}): CreateDefinitionInput => ({
  name,
  nodes: [
    { id: 'start', type: 'input' },
    { id: 'gate', type: 'approval', config: { message: 'Launch?', ...approval } },
    { id: 'go', type: 'tool', config: { tool: 'echo', args: { approved: '{{steps.gate.output.approved}}' } } },
  ],
  edges: [
    { source: 'start', target: 'gate' },
    { source: 'gate', target: 'go' },
  ],
});

async function suspended(def: CreateDefinitionInput) {
  const d = await t.app.workflows.definitions.create(actor, def);
  const r = await t.app.workflows.runs.start(actor, d.id, {});
  const s = await t.waitFor(actor, r.id, ['suspended']);
  return s;
}

describe('approval nodes', () => {
  it('suspend the run; approving resumes it and runs what follows', async () => {
    const s = await suspended(gated('approve'));
    expect(s).toMatchObject({ status: 'suspended', suspended_node: 'gate' });
    expect(s.steps.find((x) => x.node_id === 'go')).toBeUndefined();
    const events = await t.db
      .selectFrom('event_log')
      .select('type')
      .where('org_id', '=', actor.orgId)
      .where('payload', '@>', JSON.stringify({ runId: s.id }) as never)
      .execute();
    expect(events.map((e) => e.type)).toContain('workflow.suspended');

    const resumed = await t.app.workflows.runs.approve(actor, s.id, 'looks fine');
    expect(resumed.status).toBe('running');
    const done = await t.waitFor(actor, s.id);
    expect(done.status).toBe('completed');
    expect(done.steps.find((x) => x.node_id === 'gate')!.output).toMatchObject({ approved: true, by: actor.userId, comment: 'looks fine' });
    expect(done.steps.find((x) => x.node_id === 'go')!.output).toEqual({ approved: true });
  });

  it('approving a run that is not suspended is a 409', async () => {
    const s = await suspended(gated('twice'));
    await t.app.workflows.runs.approve(actor, s.id);
    await expect(t.app.workflows.runs.approve(actor, s.id)).rejects.toMatchObject({ statusCode: 409, code: 'WORKFLOW_RUN_NOT_SUSPENDED' });
    await t.waitFor(actor, s.id);
    await expect(t.app.workflows.runs.approve(actor, s.id)).rejects.toMatchObject({ statusCode: 409 });
  });

  it('only listed approvers may approve', async () => {
    const s = await suspended(gated('restricted', { approvers: ['admin'] }));
    await expect(t.app.workflows.runs.approve(actor, s.id)).rejects.toMatchObject({ statusCode: 403, code: 'WORKFLOW_NOT_APPROVER' });
    const admin: Actor = { ...actor, userId: 'someone-else', role: 'admin' };
    expect((await t.app.workflows.runs.approve(admin, s.id)).status).toBe('running');
  });

  it('rejecting ends the run cancelled with the reason; only listed approvers, only while suspended', async () => {
    const s = await suspended(gated('reject'));
    const r = await t.app.workflows.runs.reject(actor, s.id, 'not during business hours');
    expect(r).toMatchObject({ status: 'cancelled', error: expect.stringContaining('not during business hours') });
    const done = await t.waitFor(actor, s.id);
    expect(done.steps.find((x) => x.node_id === 'go')).toBeUndefined();
    await expect(t.app.workflows.runs.reject(actor, s.id)).rejects.toMatchObject({ statusCode: 409 });

    const guarded = await suspended(gated('reject-restricted', { approvers: ['admin'] }));
    await expect(t.app.workflows.runs.reject(actor, guarded.id)).rejects.toMatchObject({ statusCode: 403, code: 'WORKFLOW_NOT_APPROVER' });
    expect((await t.waitFor(actor, guarded.id, ['suspended'])).status).toBe('suspended');
  });

  it('cancel ends a suspended run; cancelling it again is a 409', async () => {
    const s = await suspended(gated('cancel'));
    const c = await t.app.workflows.runs.cancel(actor, s.id);
    expect(c.status).toBe('cancelled');
    expect((await t.app.workflows.runs.get(actor, s.id)).steps.find((x) => x.node_id === 'gate')!.status).toBe('cancelled');
    await expect(t.app.workflows.runs.cancel(actor, s.id)).rejects.toMatchObject({ statusCode: 409, code: 'WORKFLOW_RUN_FINISHED' });
    await expect(t.app.workflows.runs.approve(actor, s.id)).rejects.toMatchObject({ statusCode: 409 });
  });

  it('a timed-out approval continues unapproved or cancels the run, per the node', async () => {
    const cont = await suspended(gated('timeout-continue', { timeoutSeconds: 1, onTimeout: 'continue' }));
    const done = await t.waitFor(actor, cont.id);
    expect(done.status).toBe('completed');
    expect(done.steps.find((x) => x.node_id === 'go')!.output).toEqual({ approved: false });

    const canc = await suspended(gated('timeout-cancel', { timeoutSeconds: 1 }));
    const ended = await t.waitFor(actor, canc.id);
    expect(ended).toMatchObject({ status: 'cancelled', error: 'approval gate timed out' });
  });

  it('cancel stops a running run before its next node', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    t.tools.set('hold', async () => {
      await gate;
      return { held: true };
    });
    const d = await t.app.workflows.definitions.create(actor, {
      name: 'cancel-running',
      nodes: [
        { id: 'start', type: 'input' },
        { id: 'hold', type: 'tool', config: { tool: 'hold' } },
        { id: 'after', type: 'tool', config: { tool: 'echo' } },
      ],
      edges: [
        { source: 'start', target: 'hold' },
        { source: 'hold', target: 'after' },
      ],
    });
    const r = await t.app.workflows.runs.start(actor, d.id, {});
    await expect
      .poll(async () => (await t.app.workflows.runs.get(actor, r.id)).steps.find((s) => s.node_id === 'hold')?.status, { timeout: 15_000 })
      .toBe('running');
    await t.app.workflows.runs.cancel(actor, r.id);
    release();
    // Wait until every job of this run has been handled (the held one included), then look.
    await expect
      .poll(async () => (await t.app.jobs.boss.findJobs('workflows.node', { data: { runId: r.id } })).map((j) => j.state).join(','), {
        timeout: 10_000,
      })
      .toBe('completed,completed');
    const after = await t.app.workflows.runs.get(actor, r.id);
    expect(after.status).toBe('cancelled');
    expect(after.steps.map((s) => [s.node_id, s.status])).toEqual([
      ['start', 'completed'],
      ['hold', 'cancelled'],
    ]);
  });
});
