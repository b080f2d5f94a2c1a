import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { sql } from 'kysely';
import type { FastifyInstance } from 'fastify';
import { inject } from 'vitest';
import { buildApp } from '../src/app.ts';
import { backend, createTestDatabase, testConfig, TEST_SECRET, type TestDatabase } from './harness.ts';
import { TcpProxy } from './tcp-proxy.ts';
import { freePort } from './valkey-server.ts';

/**
 * The database is behind a TCP proxy that is not listening at boot. On PostgreSQL the proxy
 * forwards to 127.0.0.1:5432 and this file's database; embedded, to a PGlite (loaded from the
 * template) served over the wire protocol by pglite-socket. Either way the app talks `postgres`.
 */
let proxy: TcpProxy;
let app: FastifyInstance;
let pgDatabase: TestDatabase | null = null;
let socketServer: PGLiteSocketServer | null = null;
let pglite: PGlite | null = null;

beforeAll(async () => {
  let target: { host: string; port: number };
  let dbName: string;
  if (backend() === 'postgres') {
    pgDatabase = await createTestDatabase();
    const u = new URL(pgDatabase.url!);
    target = { host: u.hostname, port: Number(u.port || 5432) };
    dbName = u.pathname.slice(1);
  } else {
    const buf = await readFile(inject('pgliteTemplate'));
    pglite = await PGlite.create({ loadDataDir: new Blob([buf]), extensions: { vector } });
    socketServer = new PGLiteSocketServer({ db: pglite, port: 0, host: '127.0.0.1', maxConnections: 20 });
    await socketServer.start();
    const [host, port] = socketServer.getServerConn().split(':');
    target = { host: host!, port: Number(port) };
    dbName = 'postgres';
  }
  proxy = new TcpProxy(await freePort(), target);
  const url = `postgres://postgres@127.0.0.1:${proxy.port}/${dbName}`;
  app = await buildApp(testConfig(), {
    secret: TEST_SECRET,
    logger: false,
    workers: false,
    database: { kind: 'postgres', url, poolMin: 0, poolMax: 2, idleSeconds: 5 },
    dbRetry: { initialDelayMs: 20, maxDelayMs: 100 },
    plugins: [
      async (a) => {
        a.get('/test/static', { config: { public: true } }, async () => ({ ok: true }));
        a.get('/test/db', { config: { public: true } }, async () => {
          const r = await sql<{ n: number }>`select 1::int as n`.execute(a.db);
          return { n: r.rows[0]!.n };
        });
      },
    ],
  });
  await app.ready();
});

afterAll(async () => {
  await app?.close();
  await proxy?.stop();
  await socketServer?.stop();
  if (pglite && !pglite.closed) await pglite.close();
  await pgDatabase?.drop();
});

describe('database outage', () => {
  it('at boot: /healthz 200, /readyz 503, routes that need the DB 503; no restart needed once it is reachable', async () => {
    expect(proxy.listening).toBe(false);
    expect(app.database.ready).toBe(false);
    const health = await app.inject({ url: '/healthz' });
    expect(health.statusCode).toBe(200);
    const ready = await app.inject({ url: '/readyz' });
    expect(ready.statusCode).toBe(503);
    expect(ready.json()).toMatchObject({ status: 'not_ready', database: { kind: 'postgres', ok: false } });
    expect(ready.json().database.error).toBeTruthy();
    const needsDb = await app.inject({ url: '/test/db' });
    expect(needsDb.statusCode).toBe(503);
    expect(needsDb.json()).toEqual({ code: 'DATABASE_UNAVAILABLE', message: expect.any(String) });
    // under-pressure does not shed routes that do not need the database
    expect((await app.inject({ url: '/test/static' })).statusCode).toBe(200);
    expect((await app.inject({ url: '/' })).statusCode).toBe(200);

    await proxy.start();
    await app.database.whenReady();
    const after = await app.inject({ url: '/readyz' });
    expect(after.statusCode).toBe(200);
    expect(after.json()).toMatchObject({ status: 'ready', database: { ok: true, error: null } });
    expect((await app.inject({ url: '/test/db' })).json()).toEqual({ n: 1 });
  });

  it('later: /readyz 503 when the ping fails, DB routes 503 (not 500), health and pages stay 200; recovers', async () => {
    expect(app.database.ready).toBe(true);
    await proxy.stop();
    const ready = await app.inject({ url: '/readyz' });
    expect(ready.statusCode).toBe(503);
    expect(ready.json()).toMatchObject({ status: 'not_ready', database: { ok: false } });
    const needsDb = await app.inject({ url: '/test/db' });
    expect(needsDb.statusCode).toBe(503);
    expect(needsDb.json().code).toBe('DATABASE_UNAVAILABLE');
    expect((await app.inject({ url: '/healthz' })).statusCode).toBe(200);
    expect((await app.inject({ url: '/test/static' })).statusCode).toBe(200);

    await proxy.start();
    expect((await app.inject({ url: '/readyz' })).statusCode).toBe(200);
    expect((await app.inject({ url: '/test/db' })).json()).toEqual({ n: 1 });
  });
});
