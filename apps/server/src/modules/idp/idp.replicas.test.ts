import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestApp, type TestDatabase } from '../../../test/harness.ts';
import { loginAs } from '../../../test/auth.ts';
import type { EventMap } from '../../plugins/events.ts';
import { buildIdpTestApp, testValkey, type IdpTestApp } from './idp.test-support.ts';

/** Two replicas on one database and one Valkey: an admin change on one is live on the other. */
describe('IdP changes reach every replica', () => {
  let vk: Awaited<ReturnType<typeof testValkey>>;
  let database: TestDatabase | undefined;
  let a: IdpTestApp | undefined;
  let b: IdpTestApp | undefined;
  beforeAll(async () => {
    vk = await testValkey();
    if ('skip' in vk) {
      console.warn(`cross-replica IdP test skipped: ${vk.skip}`);
      return;
    }
    database = await createTestDatabase();
    const env = { VALKEY_URL: vk.url, VALKEY_PREFIX: `cn-test:idp-${randomUUID().slice(0, 8)}:` };
    a = await buildIdpTestApp({ env, database });
    b = await buildIdpTestApp({ env, database });
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
    await database?.drop();
    if (vk && 'stop' in vk) await vk.stop();
  });

  it('invalidates the provider list and signals a reload on the other replica', async (ctx) => {
    if (!a || !b) return ctx.skip();
    expect(a.app.cache.mode).toBe('valkey');
    const list = async (t: IdpTestApp) =>
      ((await t.app.inject({ url: '/api/auth/providers' })).json().providers as Array<{ label: string }>).map((p) => p.label);
    expect(await list(b)).toEqual([]); // warm B's cache (L1 + Valkey) with the empty list
    const changes: Array<EventMap['idp.changed']> = [];
    const arrived = new Promise<void>((resolve) =>
      b!.app.idp.onChanged((c) => {
        changes.push(c);
        resolve();
      }),
    );
    const created = await a.app.inject({
      method: 'POST',
      url: '/api/admin/idp',
      headers: (await loginAs(a as TestApp, { role: 'admin' })).headers,
      payload: {
        slug: 'replica-sso',
        label: 'Replica SSO',
        authorizationUrl: 'https://idp.example.com/authorize',
        tokenUrl: 'https://idp.example.com/token',
        clientId: 'c',
      },
    });
    expect(created.statusCode).toBe(201);
    await arrived;
    expect(changes[0]).toMatchObject({ slug: 'replica-sso', action: 'created' });
    // B's L1 entry is dropped by the invalidation message, which travels the same channel order
    expect(await list(b)).toEqual(['Replica SSO']);
    expect((await b.app.idp.genericOAuthConfigs()).map((c) => c.providerId)).toEqual(['replica-sso']);
    // B's Better Auth instance was rebuilt with the provider: sign-in starts there without a restart
    await b.app.idp.authSettled();
    const start = await b.app.inject({
      method: 'POST',
      url: '/api/auth/sign-in/social',
      payload: { provider: 'replica-sso', callbackURL: '/' },
    });
    expect(start.statusCode).toBe(200);
    expect(new URL((start.json() as { url: string }).url).origin).toBe('https://idp.example.com');
  });
});
