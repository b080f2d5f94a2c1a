import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '@cloudnow/shared';
import { countQueries } from '../../db/query-counter.ts';
import { createSecretBox } from '../../lib/crypto.ts';
import { buildTestApp, TEST_SECRET, type TestApp } from '../../../test/harness.ts';
import { createOrg } from '../../../test/factories.ts';
import { loginAs } from '../../../test/auth.ts';
import { createWebhooksService, type WebhooksService } from './webhooks.service.ts';
import { SIGNATURE_HEADER, signWebhook, verifyWebhook } from './webhooks.signature.ts';

interface Received {
  headers: IncomingMessage['headers'];
  body: string;
}

let t: TestApp;
let service: WebhooksService;
let server: Server;
let failuresLeft = 0;
const received: Received[] = [];
let url = '';

const box = createSecretBox(TEST_SECRET);

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      if (failuresLeft > 0) {
        failuresLeft--;
        res.statusCode = 503;
        return res.end('down');
      }
      received.push({ headers: req.headers, body });
      res.end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  // The app's own webhook module delivers (its workers), allowed to reach the local receiver.
  t = await buildTestApp({ env: { WEBHOOK_RETRY_DELAY_SECONDS: '1' }, urlGuard: { allowHttpHosts: ['127.0.0.1'] } });
  service = t.app.webhooks;
});
afterAll(async () => {
  await t.close();
  await new Promise<void>((r) => server.close(() => r()));
});

async function actorInNewOrg(): Promise<Actor> {
  const org = await createOrg(t.db);
  return { userId: 'u1', orgId: org.id, role: 'admin', permissions: ['admin:all'], via: 'session' };
}

async function until(check: () => boolean | Promise<boolean>, timeoutMs = 40_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('webhook subscriptions', () => {
  it.each([
    'http://127.0.0.1:9/x',
    'https://127.0.0.1/x',
    'https://169.254.169.254/latest/meta-data',
    'http://example.com/hook',
    'https://localhost/x',
  ])('refuses %s at save time and writes nothing', async (bad) => {
    const guarded = createWebhooksService({
      db: () => t.app.db,
      jobs: t.app.jobs,
      box,
      resolve: async () => [{ address: '93.184.216.34', family: 4 }],
    });
    const actor = await actorInNewOrg();
    await expect(guarded.create(actor, { url: bad, eventTypes: ['tool.executed'] })).rejects.toMatchObject({
      statusCode: 400,
      message: expect.stringContaining('url'),
    });
    expect((await guarded.list(actor, { limit: 10, offset: 0 })).total).toBe(0);
  });

  it('shows the signing secret once and stores it sealed', async () => {
    const actor = await actorInNewOrg();
    const created = await service.create(actor, { url, eventTypes: ['tool.executed'] });
    expect(created.secret).toMatch(/^whsec_/);
    const listed = await service.list(actor, { limit: 10, offset: 0 });
    expect(listed.total).toBe(1);
    expect(JSON.stringify(listed)).not.toContain(created.secret);
    const row = await t.db
      .selectFrom('webhook_subscriptions')
      .select('secret_sealed')
      .where('id', '=', created.id)
      .executeTakeFirstOrThrow();
    expect(row.secret_sealed).not.toContain(created.secret);
    expect(row.secret_sealed.startsWith('v1:')).toBe(true);
  });
});

describe('delivery', () => {
  it('delivers every event at least once after the receiver recovers, signed and logged per attempt', async () => {
    const actor = await actorInNewOrg();
    const sub = await service.create(actor, { url, eventTypes: ['tool.executed', 'workflow.completed'] });
    await service.create(actor, { url, eventTypes: ['finding.created'] });
    received.length = 0;
    failuresLeft = 4;
    const events = await Promise.all([1, 2, 3].map((n) => service.emit(actor.orgId, 'tool.executed', { n })));
    await until(() => events.every((e) => received.some((r) => r.headers['x-cloudnow-delivery'] === e.id)));
    // The receiver answers before the attempt is logged: wait for the log too.
    await until(
      async () =>
        (await service.deliveries(actor, sub.id, { limit: 100, offset: 0 })).items.filter((d) => d.status === 'succeeded').length === 3,
    );
    for (const r of received.filter((x) => events.some((e) => e.id === x.headers['x-cloudnow-delivery']))) {
      expect(verifyWebhook(sub.secret, r.headers[SIGNATURE_HEADER] as string, r.body)).toBe(true);
      expect(JSON.parse(r.body)).toMatchObject({ type: 'tool.executed', data: { n: expect.any(Number) } });
    }
    const log = await service.deliveries(actor, sub.id, { limit: 100, offset: 0 });
    expect(log.items.filter((d) => d.status === 'failed')).toHaveLength(4);
    expect(log.items.filter((d) => d.status === 'succeeded')).toHaveLength(3);
    expect(Math.max(...log.items.map((d) => d.attempt))).toBeGreaterThan(1);
    expect((await service.get(actor, sub.id)).consecutiveFailures).toBe(0);
  });

  it('pauses a subscription after 10 consecutive failures, then skips it', async () => {
    const actor = await actorInNewOrg();
    const dead = await service.create(actor, { url: url.replace('/hook', '/dead'), eventTypes: ['tool.executed'] });
    failuresLeft = 1000;
    try {
      const event = { id: randomUUID(), type: 'tool.executed' as const, timestamp: new Date().toISOString(), data: {} };
      for (let i = 0; i < 10; i++) await expect(service.deliver(actor.orgId, dead.id, event)).rejects.toThrow(/503/);
      const after = await service.get(actor, dead.id);
      expect(after).toMatchObject({ status: 'paused', consecutiveFailures: 10, pausedReason: expect.stringContaining('10 consecutive') });
      expect(await service.deliver(actor.orgId, dead.id, event)).toBe('skipped');
      expect((await service.update(actor, dead.id, { status: 'active' })).consecutiveFailures).toBe(0);
    } finally {
      failuresLeft = 0;
    }
  });

  it('redelivers a logged delivery', async () => {
    const actor = await actorInNewOrg();
    const sub = await service.create(actor, { url, eventTypes: ['approval.decided'] });
    const event = await service.emit(actor.orgId, 'approval.decided', { ok: true });
    await until(async () => (await service.deliveries(actor, sub.id, { limit: 10, offset: 0 })).total === 1);
    const [first] = (await service.deliveries(actor, sub.id, { limit: 10, offset: 0 })).items;
    await service.redeliver(actor, sub.id, first!.id);
    await until(async () => (await service.deliveries(actor, sub.id, { limit: 10, offset: 0 })).total === 2);
    expect(received.filter((r) => r.headers['x-cloudnow-delivery'] === event.id)).toHaveLength(2);
    await expect(service.redeliver(await actorInNewOrg(), sub.id, first!.id)).rejects.toMatchObject({ statusCode: 404 });
  });
});

describe('events from the rest of the portal', () => {
  it('forwards tool.executed from a real tool run through the gate, once', async () => {
    const op = await loginAs(t, { role: 'admin' });
    const sub = await service.create(op.actor, { url, eventTypes: ['tool.executed'] });
    const run = await t.app.inject({
      method: 'POST',
      url: '/api/v1/tools/list_compartments/execute',
      headers: op.headers,
      payload: { args: {} },
    });
    expect(run.statusCode).toBe(200);
    await until(async () =>
      (await service.deliveries(op.actor, sub.id, { limit: 10, offset: 0 })).items.some((d) => d.status === 'succeeded'),
    );
    const mine = received.filter(
      (r) => r.headers['x-cloudnow-event'] === 'tool.executed' && JSON.parse(r.body).data.orgId === op.actor.orgId,
    );
    expect(mine).toHaveLength(1);
    expect(JSON.parse(mine[0]!.body)).toMatchObject({
      type: 'tool.executed',
      data: { tool: 'list_compartments', via: 'api', status: 'ok' },
    });
    expect(verifyWebhook(sub.secret, mine[0]!.headers[SIGNATURE_HEADER] as string, mine[0]!.body)).toBe(true);
  });
});

describe('signatures', () => {
  it('verifies genuine deliveries and rejects tampered or replayed ones', () => {
    const body = JSON.stringify({ id: 'e1' });
    const now = Math.floor(Date.now() / 1000);
    const header = signWebhook('whsec_x', body, now);
    expect(verifyWebhook('whsec_x', header, body)).toBe(true);
    expect(verifyWebhook('whsec_x', header, body + ' ')).toBe(false);
    expect(verifyWebhook('whsec_other', header, body)).toBe(false);
    expect(verifyWebhook('whsec_x', signWebhook('whsec_x', body, now - 3600), body)).toBe(false);
    expect(verifyWebhook('whsec_x', undefined, body)).toBe(false);
  });
});

describe('key rotation', () => {
  it('re-seals all secrets (and legacy plaintext ones) with ONE UPDATE … FROM (VALUES …) per batch of 200', async () => {
    const org = await createOrg(t.db);
    const oldSecret = 'previous-secret-previous-secret-previous-secret';
    const oldBox = createSecretBox(oldSecret);
    const ids = Array.from({ length: 450 }, () => randomUUID());
    await t.db
      .insertInto('webhook_subscriptions')
      .values(
        ids.map((id, i) => ({
          id,
          org_id: org.id,
          url,
          event_types: ['tool.executed'],
          created_by: 'u',
          secret_sealed: i % 3 === 0 ? `legacy-plain-${i}` : oldBox.seal(`whsec_${i}`, `webhook:${id}:signing-secret`),
        })),
      )
      .execute();
    const rotating = createWebhooksService({
      db: () => t.app.db,
      jobs: t.app.jobs,
      box: createSecretBox(TEST_SECRET, { previous: [oldSecret] }),
    });
    const counted = await countQueries(() => rotating.rotateAllSecrets());
    const updates = counted.statements.filter((s) => /^update webhook_subscriptions as s set secret_sealed/.test(s.trim()));
    expect(counted.result.resealed).toBeGreaterThanOrEqual(450);
    expect(updates.length).toBe(counted.result.batches);
    const rows = await t.db.selectFrom('webhook_subscriptions').select(['id', 'secret_sealed']).where('id', 'in', ids).execute();
    const byId = new Map(rows.map((r) => [r.id, r.secret_sealed]));
    ids.forEach((id, i) =>
      expect(box.open(byId.get(id)!, `webhook:${id}:signing-secret`)).toBe(i % 3 === 0 ? `legacy-plain-${i}` : `whsec_${i}`),
    );
    expect(updates.length).toBe(3);
  });
});
