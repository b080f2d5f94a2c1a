import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Valkey } from 'iovalkey';
import { ValkeyConnection } from './valkey.ts';
import { captureLogger } from '../../test/logger.ts';
import { startTestValkey, type TestValkey } from '../../test/valkey-server.ts';

let server: TestValkey;
beforeAll(async () => {
  server = await startTestValkey();
  if (server.skipReason) console.info(`valkey.test: skipped — ${server.skipReason}`);
});
afterAll(async () => server.stop());

const EVENTS = ['ready', 'error', 'end'] as const;

describe('ValkeyConnection handler hygiene', () => {
  it('10 connect/disconnect cycles: one handler per lifecycle event while connected, none after', async (ctx) => {
    if (server.skipReason) return ctx.skip();
    const { log } = captureLogger();
    const conn = new ValkeyConnection(server.url, 'hygiene', log);
    const clients: Valkey[] = [];
    for (let cycle = 0; cycle < 10; cycle++) {
      const client = await conn.connect();
      clients.push(client);
      expect(await client.ping()).toBe('PONG');
      for (const e of EVENTS) {
        expect(conn.listenerCount(e), `${e} while connected, cycle ${cycle}`).toBe(1);
        expect(client.listenerCount(e), `${e} on the client, cycle ${cycle}`).toBe(1);
      }
      // connect() again while connected is a no-op, not a second set of handlers
      expect(await conn.connect()).toBe(client);
      expect(client.listenerCount('error')).toBe(1);
      await conn.disconnect();
      expect(conn.connected).toBe(false);
      for (const e of EVENTS) {
        expect(conn.listenerCount(e)).toBe(0);
        expect(client.listenerCount(e), `${e} left on the old client, cycle ${cycle}`).toBe(0);
      }
    }
    // every cycle had its own client, and every one is closed
    expect(new Set(clients).size).toBe(10);
    expect(clients.map((c) => c.status).filter((s) => s !== 'end' && s !== 'close')).toEqual([]);
  });

  it('a server-side kill and automatic reconnect keeps exactly one handler per event', async (ctx) => {
    if (server.skipReason) return ctx.skip();
    const { log } = captureLogger();
    const conn = new ValkeyConnection(server.url, 'reconnect', log);
    const client = await conn.connect();
    for (let i = 0; i < 3; i++) {
      const id = await client.client('ID');
      const ready = new Promise<void>((r) => client.once('ready', () => r()));
      const admin = (await new ValkeyConnection(server.url, 'admin', log).connect()) as Valkey;
      await admin.client('KILL', 'ID', String(id));
      admin.disconnect();
      await ready;
      expect(await client.ping()).toBe('PONG');
      for (const e of EVENTS) expect(conn.listenerCount(e)).toBe(1);
    }
    await conn.disconnect();
    for (const e of EVENTS) expect(client.listenerCount(e)).toBe(0);
  });
});
