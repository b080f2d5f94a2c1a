import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countQueries } from '../../db/query-counter.ts';
import { buildRouteApp, type RouteTestApp } from './route-harness.ts';
import { linearWorkflow } from './test-support.ts';
import { waitForRun } from './executor-harness.ts';

let t: RouteTestApp;
let h: Record<string, string>;
let actor: Awaited<ReturnType<RouteTestApp['login']>>['actor'];

beforeAll(async () => {
  t = await buildRouteApp();
  ({ actor, headers: h } = await t.login());
  t.tools.set('list_instances', () => ({ items: [{ id: 'i1' }] }));
});
afterAll(async () => t.close());

const post = (url: string, payload?: object, headers = h) =>
  t.app.inject({ method: 'POST', url, headers, ...(payload ? { payload } : {}) });

describe('workflow routes', () => {
  it('creates, reads, updates, publishes, lists and deletes definitions', async () => {
    const c = await post('/api/v1/workflows', { ...linearWorkflow('Routes'), tags: ['x'] });
    expect(c.statusCode).toBe(201);
    const d = c.json();
    expect(d).toMatchObject({ name: 'Routes', status: 'draft', currentVersion: 1, tags: ['x'] });
    expect(d).not.toHaveProperty('org_id');
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/workflows/${d.id}`, headers: h })).json().nodes).toHaveLength(3);
    const u = await t.app.inject({ method: 'PUT', url: `/api/v1/workflows/${d.id}`, headers: h, payload: { name: 'Renamed' } });
    expect(u.json()).toMatchObject({ name: 'Renamed', currentVersion: 1 });
    expect((await post(`/api/v1/workflows/${d.id}/publish`)).json().status).toBe('published');
    const counted = await countQueries(() =>
      t.app.inject({ method: 'GET', url: '/api/v1/workflows?limit=10&status=published&search=renamed', headers: h }),
    );
    expect(counted.result.json()).toMatchObject({ total: 1, items: [{ id: d.id, nodeCount: 3, edgeCount: 2 }] });
    expect(counted.statements.filter((q) => /workflow_definitions/.test(q))).toHaveLength(1);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/workflows?limit=501', headers: h })).statusCode).toBe(400);
    expect((await t.app.inject({ method: 'DELETE', url: `/api/v1/workflows/${d.id}`, headers: h })).statusCode).toBe(204);
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/workflows/${d.id}`, headers: h })).statusCode).toBe(404);
  });

  it.each([
    ['a cycle', (w: ReturnType<typeof linearWorkflow>) => w.edges!.push({ source: 'out', target: 't0' }), /cycle: t0 → out → t0/],
    [
      'a dangling edge',
      (w: ReturnType<typeof linearWorkflow>) => w.edges!.push({ source: 't0', target: 'ghost' }),
      /edge t0 → ghost: dangling/,
    ],
    [
      'an unknown node type',
      (w: ReturnType<typeof linearWorkflow>) => (w.nodes[1]!.type = 'shell'),
      /node 't0': unknown node type 'shell'/,
    ],
    [
      'a bad template',
      (w: ReturnType<typeof linearWorkflow>) => ((w.nodes[1]!.config as { args: object }).args = { id: '{{steps.start.output' }),
      /node 't0': bad template/,
    ],
  ])('answers 400 naming the node for %s, writing nothing', async (_what, mutate, message) => {
    const w = linearWorkflow('Bad');
    mutate(w);
    const r = await post('/api/v1/workflows', w);
    expect(r.statusCode).toBe(400);
    expect(r.json()).toEqual({ code: 'WORKFLOW_INVALID', message: expect.stringMatching(message) });
  });

  it('names the field for schema errors', async () => {
    const r = await post('/api/v1/workflows', { name: 'x', nodes: [{ id: '1bad', type: 'input' }] });
    expect(r.statusCode).toBe(400);
    expect(r.json().message).toMatch(/nodes\.0\.id/);
  });

  it('runs: 202 with the run id at once, then the run and its steps; archived → 409; other org → 404', async () => {
    const d = (await post('/api/v1/workflows', linearWorkflow('Run'))).json();
    const r = await post(`/api/v1/workflows/${d.id}/run`, { input: { a: 1 } });
    expect(r.statusCode).toBe(202);
    const { runId } = r.json();
    await waitForRun(t.app, actor, runId);
    const got = (await t.app.inject({ method: 'GET', url: `/api/v1/workflows/runs/${runId}`, headers: h })).json();
    expect(got).toMatchObject({ id: runId, status: 'completed', input: { a: 1 }, output: { last: { items: [{ id: 'i1' }] } } });
    expect(got.steps.map((s: { nodeId: string }) => s.nodeId)).toEqual(['start', 't0', 'out']);
    expect(got).not.toHaveProperty('actor');
    const runs = (await t.app.inject({ method: 'GET', url: `/api/v1/workflows/runs?definitionId=${d.id}`, headers: h })).json();
    expect(runs).toMatchObject({ total: 1, items: [{ id: runId }] });

    await post(`/api/v1/workflows/${d.id}/archive`);
    expect((await post(`/api/v1/workflows/${d.id}/run`, {})).json()).toMatchObject({ code: 'WORKFLOW_ARCHIVED' });
    expect((await post(`/api/v1/workflows/${d.id}/run`, {})).statusCode).toBe(409);

    const other = await t.login();
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/workflows/runs/${runId}`, headers: other.headers })).statusCode).toBe(404);
    expect((await post(`/api/v1/workflows/runs/${runId}/approve`, {}, other.headers)).statusCode).toBe(404);
    expect((await post(`/api/v1/workflows/runs/${runId}/cancel`, undefined, other.headers)).statusCode).toBe(404);
    expect((await post(`/api/v1/workflows/runs/${runId}/approve`, {})).statusCode).toBe(409);
  });

  it('exports the status cache size and the bus listener count at /metrics', async () => {
    const m = await t.app.inject({ method: 'GET', url: '/metrics' });
    expect(m.body).toMatch(/^cloudnow_workflow_status_cache_entries [1-9]\d*$/m);
    expect(m.body).toMatch(/^cloudnow_event_bus_listeners \d+$/m);
  });

  it('answers 401 without credentials', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/workflows' })).statusCode).toBe(401);
  });

  it('enforces workflows:read / write / execute', async () => {
    const d = (await post('/api/v1/workflows', linearWorkflow('Perms'))).json();
    const viewer = await t.login({ role: 'viewer', org: { id: actor.orgId } });
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/workflows/${d.id}`, headers: viewer.headers })).statusCode).toBe(200);
    const w = await post('/api/v1/workflows', linearWorkflow('nope'), viewer.headers);
    expect(w.statusCode).toBe(403);
    expect(w.json()).toMatchObject({ code: 'FORBIDDEN', message: expect.stringContaining('workflows:write') });
    const x = await post(`/api/v1/workflows/${d.id}/run`, {}, viewer.headers);
    expect(x.statusCode).toBe(403);
    expect(x.json().message).toContain('workflows:execute');
  });
});
