import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/harness.ts';
import { buildRouteApp, type RouteTestApp } from './route-harness.ts';
import type { CreateDefinitionInput } from './workflows.schemas.ts';

/** Reads SSE frames from a live HTTP stream. */
function sse(port: number, path: string, headers: Record<string, string>) {
  const frames: Array<{ event: string; data: Record<string, unknown> }> = [];
  let status = 0;
  let buf = '';
  let ended!: () => void;
  const end = new Promise<void>((r) => (ended = r));
  const req = http.get({ port, path, headers }, (res) => {
    status = res.statusCode ?? 0;
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => {
      buf += chunk;
      for (let i = buf.indexOf('\n\n'); i >= 0; i = buf.indexOf('\n\n')) {
        const raw = buf.slice(0, i);
        buf = buf.slice(i + 2);
        const event = /^event: (.*)$/m.exec(raw)?.[1] ?? 'message';
        const data = /^data: (.*)$/m.exec(raw)?.[1];
        frames.push({ event, data: data ? (JSON.parse(data) as Record<string, unknown>) : {} });
      }
    });
    res.on('end', ended);
    res.on('close', ended);
  });
  req.on('error', ended);
  return {
    frames,
    end,
    status: () => status,
    destroy: () => req.destroy(),
    until: (pred: (f: (typeof frames)[number]) => boolean) =>
      expect.poll(() => frames.some(pred), { timeout: 20_000, interval: 20 }).toBe(true),
  };
}

const gated: CreateDefinitionInput = {
  name: 'gated',
  nodes: [
    { id: 'start', type: 'input' },
    { id: 'gate', type: 'approval', config: {} },
    { id: 'go', type: 'tool', config: { tool: 'echo' } },
  ],
  edges: [
    { source: 'start', target: 'gate' },
    { source: 'gate', target: 'go' },
  ],
};

let t: RouteTestApp;
let port: number;

beforeAll(async () => {
  t = await buildRouteApp();
  t.tools.set('echo', (a) => a);
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  port = (t.app.server.address() as AddressInfo).port;
});
afterAll(async () => t.close());

async function suspendedRun(app: RouteTestApp, headers: Record<string, string>) {
  const d = (await app.app.inject({ method: 'POST', url: '/api/v1/workflows', headers, payload: gated })).json();
  const { runId } = (await app.app.inject({ method: 'POST', url: `/api/v1/workflows/${d.id}/run`, headers, payload: {} })).json();
  return runId as string;
}

describe('GET /api/v1/workflows/runs/:id/stream', () => {
  it('sends the current status, then step and status events to the end', async () => {
    const { actor, headers } = await t.login();
    const runId = await suspendedRun(t, headers);
    await expect.poll(async () => (await t.app.workflows.runs.currentStatus(actor, runId)).status, { timeout: 10_000 }).toBe('suspended');
    const baseline = t.app.events.listenerCount();
    const s = sse(port, `/api/v1/workflows/runs/${runId}/stream`, headers);
    await s.until((f) => f.event === 'status');
    expect(s.status()).toBe(200);
    expect(s.frames[0]).toMatchObject({ event: 'status', data: { runId, status: 'suspended' } });
    expect(t.app.events.listenerCount()).toBe(baseline + 2);
    await t.app.workflows.runs.approve(actor, runId);
    await s.end;
    const seen = s.frames.map((f) => `${f.event}:${String(f.data.nodeId ?? f.data.status ?? f.data.reason)}`);
    expect(seen[0]).toBe('status:suspended');
    expect(seen).toEqual(expect.arrayContaining(['step:gate', 'status:running', 'step:go', 'status:completed']));
    expect(seen.at(-1)).toBe('end:finished');
    expect(t.app.events.listenerCount()).toBe(baseline);
    expect(t.app.lifecycle.openStreams).toBe(0);
  });

  it('cleans up when the client disconnects', async () => {
    const { headers } = await t.login();
    const runId = await suspendedRun(t, headers);
    const baseline = t.app.events.listenerCount();
    const s = sse(port, `/api/v1/workflows/runs/${runId}/stream`, headers);
    await s.until((f) => f.event === 'status');
    expect(t.app.lifecycle.openStreams).toBe(1);
    s.destroy();
    await expect.poll(() => t.app.events.listenerCount(), { timeout: 5000 }).toBe(baseline);
    await expect.poll(() => t.app.lifecycle.openStreams, { timeout: 5000 }).toBe(0);
  });

  it("answers 404 for another org's run and for an unknown run, subscribing nothing", async () => {
    const owner = await t.login();
    const runId = await suspendedRun(t, owner.headers);
    const other = await t.login();
    const baseline = t.app.events.listenerCount();
    for (const id of [runId, randomUUID()]) {
      const r = await t.app.inject({ method: 'GET', url: `/api/v1/workflows/runs/${id}/stream`, headers: other.headers });
      expect(r.statusCode).toBe(404);
    }
    expect(t.app.events.listenerCount()).toBe(baseline);
  });

  it('ends idle streams with a timeout event', async () => {
    const { headers } = await t.login();
    const runId = await suspendedRun(t, headers);
    t.app.workflows.configure({ streamIdleMs: 150 });
    try {
      const s = sse(port, `/api/v1/workflows/runs/${runId}/stream`, headers);
      await s.end;
      expect(s.frames.at(-1)).toEqual({ event: 'end', data: { runId, reason: 'timeout' } });
    } finally {
      t.app.workflows.configure({ streamIdleMs: 300_000 });
    }
  });
});

describe('shutdown', () => {
  it('sends a terminal event to open streams when the server closes', async () => {
    const app2 = await buildRouteApp();
    await app2.app.listen({ port: 0, host: '127.0.0.1' });
    const p = (app2.app.server.address() as AddressInfo).port;
    const { headers } = await app2.login();
    const runId = await suspendedRun(app2, headers);
    const s = sse(p, `/api/v1/workflows/runs/${runId}/stream`, headers);
    await s.until((f) => f.event === 'status');
    await app2.close();
    await s.end;
    expect(s.frames.at(-1)).toEqual({ event: 'end', data: { runId, reason: 'shutdown' } });
  });
});

const WITH_VALKEY = Boolean(process.env.VALKEY_URL);
const NO_VALKEY = 'two processes share events through Valkey: this runs in the PostgreSQL + Valkey pass of .ci/run';

describe('across replicas (Valkey)', () => {
  let db: TestDatabase;
  let worker: RouteTestApp;
  let web: RouteTestApp;
  beforeAll(async () => {
    if (!WITH_VALKEY) return;
    db = await createTestDatabase();
    const env = { VALKEY_PREFIX: `cn-test:${randomUUID().slice(0, 8)}:` };
    worker = await buildRouteApp({ database: db, env, workers: true });
    web = await buildRouteApp({ database: db, env, workers: false });
    worker.tools.set('echo', (a) => a);
    await web.app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    await web?.close();
    await worker?.close();
    await db?.drop();
  });

  it('streams events of a run executed by another process', async (ctx) => {
    if (!WITH_VALKEY) ctx.skip(NO_VALKEY);
    const { actor, headers } = await web.login();
    const runId = await suspendedRun(web, headers);
    await expect.poll(async () => (await web.app.workflows.runs.get(actor, runId)).status, { timeout: 10_000 }).toBe('suspended');
    const s = sse((web.app.server.address() as AddressInfo).port, `/api/v1/workflows/runs/${runId}/stream`, headers);
    await s.until((f) => f.event === 'status');
    await web.app.workflows.runs.approve(actor, runId);
    await s.end;
    const seen = s.frames.map((f) => `${f.event}:${String(f.data.nodeId ?? f.data.status ?? f.data.reason)}`);
    expect(seen).toEqual(expect.arrayContaining(['step:go', 'status:completed', 'end:finished']));
    expect(worker.calls.map((c) => c.tool)).toEqual(['echo']);
    expect(web.calls).toHaveLength(0);
  });
});
