import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '@cloudnow/shared';
import { buildTestApp, type TestApp } from '../../../test/harness.ts';
import { loginAs } from '../../../test/auth.ts';
import { createSandboxProvider } from '../../cloud/sandbox/index.ts';
import { findTool } from '../../cloud/catalogue/index.ts';
import { TEMPLATES } from './templates.ts';
import { waitForRun } from './executor-harness.ts';
import type { ToolRequest } from './node-handlers.ts';

let t: TestApp;
const calls: ToolRequest[] = [];

beforeAll(async () => {
  t = await buildTestApp();
  await t.app.workflows.ready;
  const sandbox = createSandboxProvider(t.db);
  // Stand-in for the tool gate (branch `gate`, not in main yet): the real catalogue tool, its input
  // schema and the sandbox tenancy — without the gate's policy, approvals and audit.
  t.app.workflows.configure({
    runTool: async (actor, req) => {
      calls.push(req);
      const def = findTool(req.tool);
      if (!def) throw new Error(`unknown tool ${req.tool}`);
      const args = def.input.parse(req.args);
      return def.execute({ actor, cloud: sandbox.forOrg(actor.orgId), signal: req.signal }, args);
    },
  });
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
