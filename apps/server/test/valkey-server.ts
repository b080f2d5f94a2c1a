import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { Valkey } from 'iovalkey';

/** A Valkey/Redis server for a test file: VALKEY_URL's, or a private `redis-server` it started. */
export interface TestValkey {
  url: string;
  /** Why there is no server (null when there is one). */
  skipReason: string | null;
  stop(): Promise<void>;
}

/** A TCP port that was free a moment ago (bind to 0, read the port, close). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (!address || typeof address !== 'object') throw new Error('no port');
  return address.port;
}

/**
 * Uses VALKEY_URL when set; otherwise starts `redis-server` (or `valkey-server`) on a free port
 * with persistence off, so Valkey-only tests run in the embedded pass too.
 */
export async function startTestValkey(): Promise<TestValkey> {
  if (process.env.VALKEY_URL) return { url: process.env.VALKEY_URL, skipReason: null, stop: async () => {} };
  const binary = ['valkey-server', 'redis-server'].find((b) => spawnSync('which', [b]).status === 0);
  if (!binary) {
    return { url: '', skipReason: 'VALKEY_URL is unset and neither valkey-server nor redis-server is on PATH', stop: async () => {} };
  }
  const port = await freePort();
  const child: ChildProcess = spawn(binary, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: 'ignore',
  });
  const url = `redis://127.0.0.1:${port}`;
  const probe = new Valkey(url, { lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
  probe.on('error', () => {});
  for (let i = 0; ; i++) {
    try {
      await probe.connect();
      await probe.ping();
      break;
    } catch {
      if (i > 100) throw new Error(`${binary} did not start on port ${port}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  probe.disconnect();
  return {
    url,
    skipReason: null,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
