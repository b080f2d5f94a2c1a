import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildRouteApp, type RouteTestApp } from './route-harness.ts';
import { linearWorkflow } from './test-support.ts';

let t: RouteTestApp;
let h: Record<string, string>;

beforeAll(async () => {
  t = await buildRouteApp();
  ({ headers: h } = await t.login());
  t.tools.set('list_instances', () => ({ items: [] }));
});
afterAll(async () => t.close());

const schema = {
  type: 'object',
  properties: { count: { type: 'integer', minimum: 1 }, region: { type: 'string', default: 'eu-frankfurt-1' } },
  required: ['count'],
};

describe('workflow input schema', () => {
  it('rejects a run whose input fails the schema, naming the field, and runs a valid one', async () => {
    const c = await t.app.inject({
      method: 'POST',
      url: '/api/v1/workflows',
      headers: h,
      payload: { ...linearWorkflow('Typed'), inputSchema: schema },
    });
    expect(c.statusCode).toBe(201);
    const id = c.json().id as string;
    const bad = await t.app.inject({ method: 'POST', url: `/api/v1/workflows/${id}/run`, headers: h, payload: { input: { count: 0 } } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toMatch(/^input\.count:/);
    const missing = await t.app.inject({ method: 'POST', url: `/api/v1/workflows/${id}/run`, headers: h, payload: { input: {} } });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().message).toContain('input.count');
    const ok = await t.app.inject({ method: 'POST', url: `/api/v1/workflows/${id}/run`, headers: h, payload: { input: { count: 2 } } });
    expect(ok.statusCode).toBe(202);
  });

  it('refuses an input schema zod cannot enforce, naming inputSchema', async () => {
    const r = await t.app.inject({
      method: 'POST',
      url: '/api/v1/workflows',
      headers: h,
      payload: { ...linearWorkflow('Broken'), inputSchema: { type: 'no-such-type' } },
    });
    expect(r.statusCode).toBe(400);
    expect(r.json().message).toContain('inputSchema');
  });
});
