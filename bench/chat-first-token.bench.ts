/**
 * Chat first-token latency: the portal's overhead before the first token — auth, validation,
 * guardrails, model resolution, the thread/history load and the user-message save, the tool set,
 * streamText and the UI message stream — measured over real HTTP with the built-in offline model
 * (which adds no latency of its own), p50 and p99, at 1 and 50 concurrent streams, on PGlite and
 * (when reachable) PostgreSQL. Run: `npm run bench chat-first-token`.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { loadavg } from 'node:os';
import pg from 'pg';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../apps/server/src/app.ts';
import { parseConfig } from '../apps/server/src/config.ts';
import type { DatabaseSettings } from '../apps/server/src/db/database.ts';
import { setupBypass } from '../apps/server/src/modules/auth/auth.instance.ts';
import { invalidateMemberships } from '../apps/server/src/modules/orgs/memberships.ts';
import { round, type BenchResult, type Row } from './lib.ts';

const PG_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
const SECRET = 'bench-secret-bench-secret-bench-secret-0123456789';
const PLAN = [
  { concurrency: 1, turnsPerStream: 100 },
  { concurrency: 50, turnsPerStream: 6 },
];
const WARMUP_TURNS = 5;

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** One turn over HTTP: ms until the first text delta arrives, and until the stream ends. */
function turn(port: number, agent: http.Agent, cookie: string, threadId: string): Promise<{ firstToken: number; total: number }> {
  const body = JSON.stringify({ id: threadId, message: { id: randomUUID(), role: 'user', parts: [{ type: 'text', text: 'hello' }] } });
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        port,
        host: '127.0.0.1',
        method: 'POST',
        path: '/api/chat',
        agent,
        headers: { cookie, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        if (res.statusCode !== 200) reject(new Error(`POST /api/chat answered ${res.statusCode}`));
        let firstToken = -1;
        let seen = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          if (firstToken >= 0) return;
          seen += chunk;
          if (seen.includes('"type":"text-delta"')) firstToken = performance.now() - started;
        });
        res.on('end', () => resolve({ firstToken, total: performance.now() - started }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** A user (real Better Auth sign-up) who operates a fresh org; returns the session cookie. */
async function signIn(app: FastifyInstance): Promise<string> {
  const orgId = randomUUID();
  await app.db
    .insertInto('orgs')
    .values({ id: orgId, name: 'Bench', slug: `bench-${orgId.slice(0, 8)}` })
    .execute();
  const email = `bench-${orgId.slice(0, 8)}@example.com`;
  const created = await setupBypass.run(true, () =>
    app.auth.api.signUpEmail({ body: { email, password: 'correct-horse-battery', name: 'bench' }, returnHeaders: true }),
  );
  const userId = created.response.user.id;
  await app.db.insertInto('org_members').values({ id: randomUUID(), org_id: orgId, user_id: userId, role: 'operator' }).execute();
  await invalidateMemberships(app.cache, userId);
  return created.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
}

async function benchBackend(backend: string, database: DatabaseSettings, env: Record<string, string>): Promise<Row[]> {
  const config = parseConfig({
    CLOUDNOW_SECRET: SECRET,
    LOG_LEVEL: 'silent',
    RATE_LIMIT_PER_IP: '10000000',
    PRESSURE_MAX_EVENT_LOOP_DELAY_MS: '0',
    ...env,
  });
  const app: FastifyInstance = await buildApp(config, {
    secret: SECRET,
    logger: false,
    workers: false,
    database,
    limits: { chat: { max: 1_000_000, windowMs: 60_000 } },
  });
  await app.ready();
  await app.database.whenReady();
  await app.listen({ port: 0, host: '127.0.0.1' });
  const port = (app.server.address() as AddressInfo).port;
  const rows: Row[] = [];
  try {
    const cookie = await signIn(app);
    for (const { concurrency, turnsPerStream } of PLAN) {
      const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
      const threads = Array.from({ length: concurrency }, () => randomUUID());
      // Warm-up: creates the threads (first-message path) and fills every cache a turn reads.
      for (const id of threads.slice(0, 1)) for (let i = 0; i < WARMUP_TURNS; i++) await turn(port, agent, cookie, id);
      await Promise.all(threads.map((id) => turn(port, agent, cookie, id)));
      const first: number[] = [];
      const total: number[] = [];
      const started = performance.now();
      await Promise.all(
        threads.map(async (id) => {
          for (let i = 0; i < turnsPerStream; i++) {
            const r = await turn(port, agent, cookie, id);
            first.push(r.firstToken);
            total.push(r.total);
          }
        }),
      );
      const elapsed = performance.now() - started;
      agent.destroy();
      rows.push({
        backend,
        concurrency,
        turns: first.length,
        firstTokenP50Ms: round(percentile(first, 50)),
        firstTokenP99Ms: round(percentile(first, 99)),
        turnP50Ms: round(percentile(total, 50)),
        turnsPerSec: round((first.length / elapsed) * 1000, 1),
      });
    }
  } finally {
    await app.close();
  }
  return rows;
}

async function postgresDatabase(): Promise<{ url: string; drop(): Promise<void> } | null> {
  const admin = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 2000 });
  try {
    await admin.connect();
  } catch {
    return null;
  }
  const name = `cloudnow_bench_${randomUUID().slice(0, 8)}`;
  await admin.query(`create database ${name}`);
  await admin.end();
  const u = new URL(PG_URL);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: PG_URL });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

export default async function chatFirstToken(): Promise<BenchResult> {
  const rows = await benchBackend('pglite', { kind: 'pglite', dataDir: null }, {});
  const pgdb = await postgresDatabase();
  if (pgdb) {
    try {
      rows.push(
        ...(await benchBackend(
          'postgres',
          { kind: 'postgres', url: pgdb.url, poolMin: 2, poolMax: 20, idleSeconds: 5 },
          { DATABASE_URL: pgdb.url },
        )),
      );
    } finally {
      await pgdb.drop();
    }
  }
  return {
    title: 'Portal overhead before the first token (offline model, real HTTP, keep-alive), p50/p99 in ms',
    rows,
    meta: {
      plan: PLAN,
      loadAverage1m: round(loadavg()[0]!, 1),
      postgres: pgdb ? 'measured' : `skipped: ${PG_URL} not reachable`,
      notes:
        'Each stream is its own thread (one generation per thread at a time). The offline model streams at once, so ' +
        'first-token time is the portal: auth (cached session), validation, guardrails, model resolution (cached), one ' +
        'transaction loading org + thread + history and saving the user message, the tool set, streamText and the SSE encoder. ' +
        'turnP50Ms includes the closing transaction (assistant save, thread touch, search job). 2 shared CPU cores.',
    },
  };
}
