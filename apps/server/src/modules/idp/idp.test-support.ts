import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import type { Config } from '../../config.ts';
import type { DB } from '../../db/schema.ts';
import { buildApp, type AppOptions } from '../../app.ts';
import { TEST_SECRET, createTestDatabase, keepContextInInject, testConfig, type TestDatabase } from '../../../test/harness.ts';
import type { ResolvedAddress } from '../../lib/ssrf.ts';
import { startTestValkey } from '../../../test/valkey-server.ts';

/**
 * Test support for the IdP and limits tests (not a test itself): the real app (real auth plugin,
 * sign in with `loginAs` from test/auth.ts) with a fake DNS resolver and 127.0.0.1 allowed through
 * the SSRF guard for local stand-ins.
 */
export interface IdpTestApp {
  app: FastifyInstance;
  db: Kysely<DB>;
  config: Config;
  database: TestDatabase;
  close(): Promise<void>;
}

const roomy = { max: 100_000, windowMs: 60_000 };
/** Layer-2 limits out of the way of functional tests (limits.test.ts tests the limits). */
const ROOMY_LIMITS = { chat: roomy, streams: roomy, api: roomy, public: roomy, auth: roomy, setup: roomy };

/** Hosts the fake resolver knows; everything else does not resolve. */
export const FAKE_DNS: Record<string, string[]> = {
  'idp.example.com': ['93.184.216.34'],
  'login.example.org': ['93.184.216.35', '2606:2800:220:1:248:1893:25c8:1946'],
  'evil.example.com': ['10.0.0.7'],
  'rebind.example.com': ['93.184.216.36', '169.254.169.254'],
};

export async function fakeResolve(host: string): Promise<ResolvedAddress[]> {
  const found = FAKE_DNS[host];
  if (!found) throw new Error('ENOTFOUND');
  return found.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
}

/** The app on a fresh (or shared) database with the stand-in actor and the fake resolver. */
export async function buildIdpTestApp(
  opts: {
    env?: Record<string, string>;
    database?: TestDatabase;
    allowHttpHosts?: string[];
    /** Adds stand-in routes or hooks before the app is readied. */
    beforeReady?: (app: FastifyInstance) => Promise<void> | void;
  } & Omit<Partial<AppOptions>, 'database'> = {},
): Promise<IdpTestApp> {
  const own = !opts.database;
  const database = opts.database ?? (await createTestDatabase());
  const config = testConfig(opts.env);
  const app = await buildApp(config, {
    secret: TEST_SECRET,
    logger: false,
    workers: false,
    database: database.settings,
    urlGuard: { allowHttpHosts: opts.allowHttpHosts ?? ['127.0.0.1'], resolve: fakeResolve },
    limits: opts.limits ?? ROOMY_LIMITS,
  });
  await opts.beforeReady?.(app);
  await app.ready();
  await app.database.whenReady();
  keepContextInInject(app);
  return {
    app,
    db: app.db,
    config,
    database,
    async close() {
      await app.close();
      if (own) await database.drop();
    },
  };
}

/** A local HTTP server answering with `handler`; `url` is its base. */
export async function localServer(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<{ url: string; server: Server; close(): Promise<void> }> {
  const server = createServer(handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    server,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/** A Valkey for cross-instance tests: VALKEY_URL, else a redis-server this test starts, else none. */
export async function testValkey(): Promise<{ url: string; stop(): Promise<void> } | { skip: string }> {
  const v = await startTestValkey();
  return v.skipReason ? { skip: v.skipReason } : { url: v.url, stop: v.stop };
}
