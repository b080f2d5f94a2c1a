import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { createEventBus, waitForSubscriptions } from './events.ts';
import { captureLogger } from '../../test/logger.ts';
import { buildTestApp, createTestDatabase, type TestApp, type TestDatabase } from '../../test/harness.ts';
import { startTestValkey, type TestValkey } from '../../test/valkey-server.ts';

declare module './events.ts' {
  interface EventMap {
    'test.ping': { n: number; from: string };
    'test.other': { s: string };
  }
}

describe('event bus (in process)', () => {
  it('delivers typed payloads to subscribers of that event only; unsubscribe stops delivery', async () => {
    const { log } = captureLogger();
    const bus = createEventBus({ log });
    expect(bus.mode).toBe('memory');
    const pings: number[] = [];
    const others: string[] = [];
    const off = bus.subscribe('test.ping', (p) => pings.push(p.n));
    bus.subscribe('test.other', (p) => others.push(p.s));
    await bus.publish('test.ping', { n: 1, from: 'a' });
    await bus.publish('test.other', { s: 'x' });
    expect(pings).toEqual([1]);
    expect(others).toEqual(['x']);
    expect(bus.listenerCount()).toBe(2);
    off();
    off(); // idempotent
    expect(bus.listenerCount()).toBe(1);
    await bus.publish('test.ping', { n: 2, from: 'a' });
    expect(pings).toEqual([1]);
    await bus.close();
  });

  it('a throwing subscriber does not stop the others', async () => {
    const { log, lines } = captureLogger();
    const bus = createEventBus({ log });
    const seen: number[] = [];
    bus.subscribe('test.ping', () => {
      throw new Error('bad subscriber');
    });
    bus.subscribe('test.ping', (p) => seen.push(p.n));
    await bus.publish('test.ping', { n: 7, from: 'a' });
    expect(seen).toEqual([7]);
    expect(lines.some((l) => l.msg.includes('a subscriber threw'))).toBe(true);
  });

  it('caps listeners: warns once at 80 %, throws LISTENER_CAP_REACHED past the cap', async () => {
    const { log, lines } = captureLogger();
    const bus = createEventBus({ log, cap: 10 });
    const offs: Array<() => void> = [];
    for (let i = 0; i < 7; i++) offs.push(bus.subscribe('test.ping', () => {}));
    expect(lines.filter((l) => l.msg.includes('80 %'))).toHaveLength(0);
    offs.push(bus.subscribe('test.other', () => {}));
    expect(lines.filter((l) => l.msg.includes('80 %'))).toHaveLength(1);
    offs.push(
      bus.subscribe('test.ping', () => {}),
      bus.subscribe('test.ping', () => {}),
    );
    expect(bus.listenerCount()).toBe(10);
    expect(() => bus.subscribe('test.ping', () => {})).toThrow(expect.objectContaining({ code: 'LISTENER_CAP_REACHED', statusCode: 503 }));
    expect(bus.listenerCount()).toBe(10);
    offs.pop()!();
    expect(() => offs.push(bus.subscribe('test.ping', () => {}))).not.toThrow();
    expect(lines.filter((l) => l.msg.includes('80 %'))).toHaveLength(1);
  });
});

describe('event bus and cache across two instances on one Valkey', () => {
  let server: TestValkey;
  let shared: TestDatabase;
  let a: TestApp;
  let b: TestApp;

  beforeAll(async () => {
    server = await startTestValkey();
    if (server.skipReason) {
      console.info(`events.test: two-instance tests skipped — ${server.skipReason}`);
      return;
    }
    shared = await createTestDatabase();
    const env = { VALKEY_URL: server.url, VALKEY_PREFIX: `cn-events-test:${randomUUID().slice(0, 8)}:` };
    a = await buildTestApp({ database: shared, env, workers: false });
    b = await buildTestApp({ database: shared, env, workers: false });
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
    await shared?.drop();
    await server?.stop();
  });

  it('each instance sees the events the other publishes', async (ctx) => {
    if (server.skipReason) return ctx.skip();
    expect(a.app.events.mode).toBe('valkey');
    expect(b.app.events.mode).toBe('valkey');
    const onB = new Promise<{ n: number; from: string }>((resolve) => {
      const off = b.app.events.subscribe('test.ping', (p) => {
        off();
        resolve(p);
      });
    });
    const onA = new Promise<{ n: number; from: string }>((resolve) => {
      const off = a.app.events.subscribe('test.ping', (p) => {
        off();
        resolve(p);
      });
    });
    await waitForSubscriptions(b.app.valkey!.sub);
    await waitForSubscriptions(a.app.valkey!.sub);
    await a.app.events.publish('test.ping', { n: 1, from: 'a' });
    expect(await onB).toEqual({ n: 1, from: 'a' });
    expect(await onA).toEqual({ n: 1, from: 'a' });

    const backOnA = new Promise<string>((resolve) => {
      const off = a.app.events.subscribe('test.other', (p) => {
        off();
        resolve(p.s);
      });
    });
    await waitForSubscriptions(a.app.valkey!.sub);
    await b.app.events.publish('test.other', { s: 'from b' });
    expect(await backOnA).toBe('from b');

    // the last local unsubscribe drops the Valkey channel subscription too
    await waitForSubscriptions(a.app.valkey!.sub);
    const channel = `${a.app.valkey!.prefix}events:test.other`;
    const [, subscribers] = (await a.app.valkey!.pub.client.pubsub('NUMSUB', channel)) as [string, number];
    expect(subscribers).toBe(0);
  });

  it('cache.del on one instance clears the other instance L1', async (ctx) => {
    if (server.skipReason) return ctx.skip();
    await a.app.cache.set('settings', 'shared-key', { v: 1 });
    await b.app.cache.set('settings', 'shared-key', { v: 1 });
    let loadsOnB = 0;
    // B's L1 holds it: no load
    expect(await b.app.cache.getOrFetch('settings', 'shared-key', async () => ({ v: ++loadsOnB }))).toEqual({ v: 1 });
    expect(loadsOnB).toBe(0);

    const invalidatedOnB = new Promise<void>((resolve) => {
      const off = b.app.events.subscribe('cache.invalidate', (p) => {
        if (p.key !== 'shared-key') return;
        off();
        resolve();
      });
    });
    await waitForSubscriptions(b.app.valkey!.sub);
    await a.app.cache.del('settings', 'shared-key');
    await invalidatedOnB;
    expect(await b.app.cache.getOrFetch('settings', 'shared-key', async () => ({ v: 100 + ++loadsOnB }))).toEqual({ v: 101 });
    expect(loadsOnB).toBe(1);
  });

  it('delPrefix on one instance clears the prefix on the other', async (ctx) => {
    if (server.skipReason) return ctx.skip();
    await b.app.cache.set('models', 'org9:a', 1);
    await b.app.cache.set('models', 'org9:b', 2);
    await b.app.cache.set('models', 'org8:a', 3);
    const invalidatedOnB = new Promise<void>((resolve) => {
      const off = b.app.events.subscribe('cache.invalidate', (p) => {
        if (!p.prefix || p.key !== 'org9:') return;
        off();
        resolve();
      });
    });
    await waitForSubscriptions(b.app.valkey!.sub);
    await a.app.cache.delPrefix('models', 'org9:');
    await invalidatedOnB;
    expect(await b.app.cache.get('models', 'org9:a')).toBeUndefined();
    expect(await b.app.cache.get('models', 'org9:b')).toBeUndefined();
    expect(await b.app.cache.get('models', 'org8:a')).toBe(3);
  });
});
