import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import type { Actor } from '@cloudnow/shared';
import { buildTestApp, type TestApp } from '../../../test/harness.ts';
import { loginAs } from '../../../test/auth.ts';
import { findTool } from '../../cloud/catalogue/index.ts';
import { TEMPLATES } from './templates.ts';
import { waitForRun } from './executor-harness.ts';

let t: TestApp;

beforeAll(async () => {
  t = await buildTestApp();
  await t.app.workflows.ready;
});
afterAll(async () => t.close());

describe('workflow templates', () => {
  it('lists seven templates that each use only catalogue tools', () => {
    expect(TEMPLATES).toHaveLength(7);
    for (const tpl of TEMPLATES) {
      for (const n of tpl.definition.nodes) {
        const c = n.config as
          { tool?: string; compensate?: { tool: string }; body?: { tool: string }; branches?: Array<{ tool: string }> } | undefined;
        for (const name of [c?.tool, c?.compensate?.tool, c?.body?.tool, ...(c?.branches ?? []).map((b) => b.tool)].filter(Boolean))
          expect(findTool(name!), `${tpl.id}: ${name}`).toBeDefined();
      }
    }
  });

  it.each(TEMPLATES.map((tpl) => [tpl.id]))('%s instantiates over HTTP and runs to completion on the sandbox', async (id) => {
    const login = await loginAs(t);
    const actor: Actor = login.actor;
    // The real tool gate runs every step on the sandbox; an admin of the org approves what it asks for.
    const approver = (await loginAs(t, { role: 'admin', org: { id: actor.orgId } })).actor;
    const approved: string[] = [];
    const off = t.app.events.subscribe('approval.requested', (e) => {
      if (e.orgId !== actor.orgId) return;
      approved.push(e.tool);
      void t.app.approvals.decide(approver, e.approvalId, 'approved');
    });
    onTestFinished(off);
    const gateBefore = t.app.tools.gate.stats().workflow;
    const created = await t.app.inject({ method: 'POST', url: `/api/v1/workflows/templates/${id}`, headers: login.headers });
    expect(created.statusCode).toBe(201);
    const run = await t.app.inject({
      method: 'POST',
      url: `/api/v1/workflows/${created.json().id}/run`,
      headers: login.headers,
      payload: {},
    });
    expect(run.statusCode).toBe(202);
    const runId = run.json().runId as string;
    let r = await waitForRun(t.app, actor, runId, ['suspended', 'completed', 'failed', 'cancelled']);
    while (r.status === 'suspended') {
      await t.app.workflows.runs.approve(actor, runId);
      r = await waitForRun(t.app, actor, runId, ['suspended', 'completed', 'failed', 'cancelled']);
    }
    expect({ status: r.status, error: r.error }).toEqual({ status: 'completed', error: null });
    expect(r.output).toBeTruthy();
    if (id === 'provision-web-server') expect(approved).toContain('launch_instance');
    const toolSteps = r.steps.filter(
      (s) => s.status === 'completed' && ['tool', 'loop', 'parallel'].includes(s.node_type) && s.iteration === 0,
    ).length;
    expect(t.app.tools.gate.stats().workflow - gateBefore).toBeGreaterThanOrEqual(toolSteps);
    expect(r.steps.filter((s) => s.iteration === 0).every((s) => s.status === 'completed' || s.status === 'skipped')).toBe(true);
  });

  it('lists the templates over HTTP and 404s an unknown one', async () => {
    const login = await loginAs(t, { role: 'viewer' });
    const list = await t.app.inject({ method: 'GET', url: '/api/v1/workflows/templates', headers: login.headers });
    expect(list.json().items.map((x: { id: string }) => x.id)).toEqual(TEMPLATES.map((x) => x.id));
    const op = await loginAs(t);
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/workflows/templates/nope', headers: op.headers })).statusCode).toBe(404);
  });
});
