import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import http from 'node:http';
import { sql } from 'kysely';
import type { FastifyInstance } from 'fastify';
import { gracefulShutdown } from '../src/lib/shutdown.ts';
import { buildTestApp, type TestApp } from './harness.ts';

const N = 150;
let t: TestApp;
let entered = 0;
let allIn!: () => void;
const allInFlight = new Promise<void>((r) => (allIn = r));
let closeStarted!: () => void;
const closing = new Promise<void>((r) => (closeStarted = r));
let release!: () => void;
const gate = new Promise<void>((r) => (release = r));

/**
 * Test-only routes: a slow handler that waits ~300 ms (and until the test opens the gate, which it
 * does once Fastify's close has begun), then queries the database.
 */
async function slowRoutes(app: FastifyInstance): Promise<void> {
  app.addHook('preClose', async () => closeStarted());
  app.get('/test/slow', { config: { public: true, rateLimit: false } }, async () => {
    if (++entered === N) allIn();
    await Promise.all([new Promise((r) => setTimeout(r, 300)), gate]);
    const r = await sql<{ n: number }>`select 1::int as n`.execute(app.db);
    return { n: r.rows[0]!.n };
  });
}

interface Answer {
  status: number;
  connection: string | undefined;
  body: string;
}
function get(port: number, path: string, agent: http.Agent | false): Promise<Answer> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path, agent }, (res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, connection: res.headers.connection, body }));
      })
      .on('error', (err) => reject(new Error(`GET ${path}: ${err.message}`)));
  });
}

beforeAll(async () => {
  t = await buildTestApp({ plugins: [slowRoutes] });
});
afterAll(async () => {
  await t.app.close();
  await t.database.drop();
});

describe('graceful shutdown', () => {
  it(`drains ${N} slow in-flight requests (all 2xx), terminates streams, readyz says draining, no query after close`, async () => {
    const { app } = t;
    await app.listen({ port: 0, host: '127.0.0.1' });
    const port = (app.server.address() as { port: number }).port;

    // Call-through spies record the order the onClose hooks stop things in.
    const stopOrder: string[] = [];
    const spyOn = <T extends object>(target: T, method: keyof T & string, label: string): void => {
      const real = (target[method] as (...a: unknown[]) => Promise<void>).bind(target);
      vi.spyOn(target, method as never).mockImplementation((async (...args: unknown[]) => {
        stopOrder.push(`${label}:start`);
        await real(...args);
        stopOrder.push(`${label}:done`);
      }) as never);
    };
    spyOn(app.jobs, 'stop', 'jobs');
    spyOn(app.cache, 'close', 'cache');
    spyOn(app.events, 'close', 'events');
    spyOn(app.database, 'close', 'db');

    let terminal: string | null = null;
    app.lifecycle.track({ terminate: (reason) => (terminal = reason) });
    expect(app.lifecycle.openStreams).toBe(1);

    // Keep-alive sockets, as a load balancer would hold them.
    const agent = new http.Agent({ keepAlive: true, maxSockets: N });
    const requests = Array.from({ length: N }, () => get(port, '/test/slow', agent));
    await allInFlight;
    expect((await get(port, '/readyz', false)).status).toBe(200);

    let closeListener!: () => void;
    const holdOpen = new Promise<void>((r) => (closeListener = r));
    const shutdown = gracefulShutdown(app, 10_000, { holdOpen });
    expect(app.lifecycle.draining).toBe(true);
    expect(terminal).toBe('shutdown');
    expect(app.lifecycle.openStreams).toBe(0);

    // The drain window: still accepting, readyz 503 draining, responses close their connection.
    const readyz = await get(port, '/readyz', false);
    expect(readyz.status).toBe(503);
    expect(JSON.parse(readyz.body)).toMatchObject({ status: 'draining' });
    expect(readyz.connection).toBe('close');
    closeListener();

    await closing; // Fastify's close has begun: the listener is closing, the requests still in flight
    expect(stopOrder).toEqual([]);
    release();

    const answers = await Promise.all(requests);
    expect(answers.filter((a) => a.status < 200 || a.status >= 300)).toEqual([]);
    expect(answers.every((a) => JSON.parse(a.body).n === 1)).toBe(true);
    expect(await shutdown).toBe('closed');
    agent.destroy();

    expect(app.database.handle!.closed).toBe(true);
    expect(app.database.handle!.statementsAfterClose).toBe(0);
    // jobs stop before cache and events close, and the database closes last
    expect(stopOrder).toEqual([
      'jobs:start',
      'jobs:done',
      'cache:start',
      'cache:done',
      'events:start',
      'events:done',
      'db:start',
      'db:done',
    ]);
  });
});
