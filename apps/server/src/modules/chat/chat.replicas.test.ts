import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, createTestDatabase, type TestApp, type TestDatabase } from '../../../test/harness.ts';
import { loginAs } from '../../../test/auth.ts';
import { startTestValkey, type TestValkey } from '../../../test/valkey-server.ts';
import { listen, openChatSocket, parseStream, savedAssistant, slowModel, useModel, userMessage } from './chat.test-support.ts';

/** Two replicas on one database and one Valkey: a stop sent to B ends the generation running on A. */
describe('POST /api/chat/:threadId/stop across replicas', () => {
  let vk: TestValkey;
  let database: TestDatabase | undefined;
  let a: TestApp | undefined;
  let b: TestApp | undefined;
  const slow = slowModel({ n: 100, delayMs: 100 });
  beforeAll(async () => {
    vk = await startTestValkey();
    if (vk.skipReason) {
      console.warn(`cross-replica chat stop test skipped: ${vk.skipReason}`);
      return;
    }
    database = await createTestDatabase();
    const env = { VALKEY_URL: vk.url, VALKEY_PREFIX: `cn-test:chat-${randomUUID().slice(0, 8)}:` };
    a = await buildTestApp({ env, database });
    b = await buildTestApp({ env, database });
    useModel(a, slow.model);
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
    await database?.drop();
    await vk?.stop();
  });

  it('aborts the model call on the replica running it and saves the partial answer as aborted', async (ctx) => {
    if (!a || !b) return ctx.skip();
    const user = await loginAs(a);
    const port = await listen(a);
    const threadId = randomUUID();
    const client = openChatSocket(port, user.headers, { id: threadId, message: userMessage('a long answer please') });
    await client.started;
    await expect.poll(() => client.received().includes('"text-delta"'), { timeout: 10_000, interval: 10 }).toBe(true);

    const stop = await b.app.inject({ method: 'POST', url: `/api/chat/${threadId}/stop`, headers: user.headers });
    expect(stop.statusCode).toBe(202);
    const row = await savedAssistant(b, threadId);
    expect(row?.status).toBe('aborted');
    expect(slow.state.pulled).toBeLessThan(100);
    await expect.poll(() => parseStream(client.received()).some((c) => c.type === 'abort'), { timeout: 5_000 }).toBe(true);

    // another user of the org cannot stop it: the thread is not theirs
    const other = await loginAs(b, { org: user.org });
    expect((await b.app.inject({ method: 'POST', url: `/api/chat/${threadId}/stop`, headers: other.headers })).statusCode).toBe(404);
  });
});
