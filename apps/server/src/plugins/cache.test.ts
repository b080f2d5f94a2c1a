import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { Valkey } from 'iovalkey';
import { createCache, type Cache } from './cache.ts';
import { createEventBus } from './events.ts';
import { ValkeyConnection } from '../lib/valkey.ts';
import { captureLogger } from '../../test/logger.ts';
import { startTestValkey, type TestValkey } from '../../test/valkey-server.ts';

let server: TestValkey;
const connections: ValkeyConnection[] = [];

beforeAll(async () => {
  server = await startTestValkey();
  if (server.skipReason) console.info(`cache.test: Valkey mode skipped — ${server.skipReason}`);
});
afterAll(async () => {
  await Promise.all(connections.map((c) => c.disconnect()));
  await server.stop();
});

type Mode = 'memory' | 'valkey';

async function makeCache(mode: Mode, maxEntries?: number): Promise<Cache> {
  const { log } = captureLogger();
  const bus = createEventBus({ log });
  let valkey: Valkey | null = null;
  if (mode === 'valkey') {
    const conn = new ValkeyConnection(server.url, 'cache-test', log);
    connections.push(conn);
    valkey = await conn.connect();
  }
  return createCache({ valkey, prefix: `cn-cache-test:${randomUUID().slice(0, 8)}:`, bus, log, ...(maxEntries ? { maxEntries } : {}) });
}

const deferred = <T>(): { promise: Promise<T>; resolve: (v: T) => void } => {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
};

describe.each<Mode>(['memory', 'valkey'])('cache (%s)', (mode) => {
  const skip = (): boolean => mode === 'valkey' && server.skipReason !== null;

  it('single-flight: 100 concurrent misses call the loader once', async (ctx) => {
    if (skip()) return ctx.skip();
    const cache = await makeCache(mode);
    expect(cache.mode).toBe(mode);
    let calls = 0;
    const gate = deferred<void>();
    const loader = async (): Promise<{ n: number }> => {
      calls++;
      await gate.promise;
      return { n: 42 };
    };
    const all = Promise.all(Array.from({ length: 100 }, () => cache.getOrFetch('models', 'k1', loader, 60)));
    gate.resolve();
    const values = await all;
    expect(calls).toBe(1);
    expect(values.every((v) => v.n === 42)).toBe(true);
    // a later call is a hit, still no second load
    expect(await cache.getOrFetch('models', 'k1', loader, 60)).toEqual({ n: 42 });
    expect(calls).toBe(1);
    expect(cache.stats().misses).toBe(1);
    await cache.close();
  });

  it('a del during a load wins: the value loaded before it is not stored', async (ctx) => {
    if (skip()) return ctx.skip();
    const cache = await makeCache(mode);
    const gate = deferred<void>();
    const started = deferred<void>();
    let loads = 0;
    const slow = cache.getOrFetch('settings', 'race', async () => {
      loads++;
      started.resolve();
      await gate.promise;
      return 'old';
    });
    await started.promise;
    await cache.del('settings', 'race'); // the row changed meanwhile
    // a caller after the invalidation does not join the stale load
    const fresh = cache.getOrFetch('settings', 'race', async () => {
      loads++;
      return 'new';
    });
    gate.resolve();
    expect(await slow).toBe('old');
    expect(await fresh).toBe('new');
    expect(loads).toBe(2);
    expect(await cache.getOrFetch('settings', 'race', async () => 'loaded again')).toBe('new');
    await cache.close();
  });

  it('a failing loader is not cached and does not poison the key', async (ctx) => {
    if (skip()) return ctx.skip();
    const cache = await makeCache(mode);
    await expect(cache.getOrFetch('models', 'bad', () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await cache.getOrFetch('models', 'bad', async () => 'ok')).toBe('ok');
    await cache.close();
  });

  it('del drops one key; delPrefix drops a namespace prefix only', async (ctx) => {
    if (skip()) return ctx.skip();
    const cache = await makeCache(mode);
    await cache.set('settings', 'org1:a', 1);
    await cache.set('settings', 'org1:b', 2);
    await cache.set('settings', 'org2:a', 3);
    await cache.set('models', 'org1:a', 4);
    await cache.del('settings', 'org1:a');
    expect(await cache.get('settings', 'org1:a')).toBeUndefined();
    expect(await cache.get('settings', 'org1:b')).toBe(2);
    await cache.delPrefix('settings', 'org1:');
    expect(await cache.get('settings', 'org1:b')).toBeUndefined();
    expect(await cache.get('settings', 'org2:a')).toBe(3);
    expect(await cache.get('models', 'org1:a')).toBe(4);
    let loads = 0;
    await cache.getOrFetch('settings', 'org1:b', async () => ++loads);
    expect(loads).toBe(1);
    await cache.close();
  });
});

describe('cache TTL', () => {
  it('memory: an entry expires after its TTL and the loader runs again', async () => {
    const cache = await makeCache('memory');
    let loads = 0;
    const loader = async (): Promise<number> => ++loads;
    expect(await cache.getOrFetch('x', 'k', loader, 0.05)).toBe(1);
    expect(await cache.getOrFetch('x', 'k', loader, 0.05)).toBe(1);
    await new Promise((r) => setTimeout(r, 80));
    expect(await cache.getOrFetch('x', 'k', loader, 0.05)).toBe(2);
    await cache.close();
  });

  it('valkey: the remote key carries the TTL (fractional TTLs rounded up, never dropped)', async (ctx) => {
    if (server.skipReason) return ctx.skip();
    const prefix = `cn-cache-ttl:${randomUUID().slice(0, 8)}:`;
    const { log } = captureLogger();
    const conn = new ValkeyConnection(server.url, 'ttl', log);
    connections.push(conn);
    const client = await conn.connect();
    const cache = createCache({ valkey: client, prefix, bus: createEventBus({ log }), log });
    await cache.set('x', 'k', 'v', 30);
    const ttl = await client.pttl(`${prefix}cache:x:k`);
    expect(ttl).toBeGreaterThan(29_000);
    expect(ttl).toBeLessThanOrEqual(30_000);
    await cache.set('x', 'frac', 'v', 1.5);
    expect(await client.pttl(`${prefix}cache:x:frac`)).toBeGreaterThan(0);
    expect(cache.stats().errors).toBe(0);
    await cache.close();
  });
});

describe('cache bounds and failure', () => {
  it('memory mode never holds more than maxEntries', async () => {
    const cache = await makeCache('memory', 20);
    for (let i = 0; i < 200; i++) {
      await cache.set('x', `k${i}`, i);
      expect(cache.stats().size).toBeLessThanOrEqual(20);
    }
    expect(cache.stats().size).toBe(20);
    expect(await cache.get('x', 'k199')).toBe(199);
    expect(await cache.get('x', 'k0')).toBeUndefined();
    await cache.close();
  });

  it('fails open when Valkey errors: the loader answers and errors are counted and logged', async () => {
    const { log, lines } = captureLogger();
    // A client whose connection is gone: every command rejects at once.
    const dead = new Valkey('redis://127.0.0.1:1', { lazyConnect: true, enableOfflineQueue: false, retryStrategy: () => null });
    dead.on('error', () => {});
    const cache = createCache({ valkey: dead, prefix: 'cn-dead:', bus: createEventBus({ log }), log });
    let loads = 0;
    expect(await cache.getOrFetch('x', 'k', async () => ++loads)).toBe(1);
    expect(loads).toBe(1);
    await cache.del('x', 'k');
    await cache.delPrefix('x', '');
    const errors = cache.stats().errors;
    expect(errors).toBeGreaterThanOrEqual(4); // get, set, del, delPrefix
    expect(lines.some((l) => l.msg.includes('failing open'))).toBe(true);
    expect(await cache.getOrFetch('x', 'k', async () => ++loads)).toBe(2);
    dead.disconnect();
    await cache.close();
  });
});
