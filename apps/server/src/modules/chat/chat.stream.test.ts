import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/harness.ts';
import { loginAs, type Login } from '../../../test/auth.ts';
import { listen, openChatSocket, parseStream, savedAssistant, slowModel, useModel, userMessage } from './chat.test-support.ts';

let t: TestApp;
let me: Login;
let port: number;
const slow = slowModel({ n: 50, delayMs: 100 });

beforeAll(async () => {
  t = await buildTestApp({ env: { CHAT_TIMEOUT_MS: '1500' } });
  me = await loginAs(t);
  useModel(t, slow.model);
  port = await listen(t);
});
afterAll(async () => t.close());

const textOf = (row: { parts: Array<{ type: string; text?: string }> }) => row.parts.find((p) => p.type === 'text')?.text ?? '';

describe('chat stream teardown (real socket, slow model)', () => {
  it('a client disconnect aborts the model call: at most one more chunk is generated, and the partial answer is saved aborted', async () => {
    const threadId = randomUUID();
    const closed = new Promise<void>((resolve) => t.app.server.once('connection', (socket) => socket.once('close', () => resolve())));
    const client = openChatSocket(port, me.headers, { id: threadId, message: userMessage('tell me a long story') });
    await client.started;
    await expect.poll(() => client.received().includes('"text-delta"'), { timeout: 10_000, interval: 10 }).toBe(true);
    client.destroy();
    await closed;
    const atClose = slow.state.pulled;
    const row = await savedAssistant(t, threadId);
    await new Promise((r) => setTimeout(r, 500)); // five chunk intervals: a model still generating would show here
    expect(slow.state.pulled - atClose).toBeLessThanOrEqual(1);
    expect(slow.state.pulled).toBeLessThan(50);
    expect(row?.status).toBe('aborted');
    expect(textOf(row!)).toMatch(/^word0 /);
    expect(t.app.lifecycle.openStreams).toBe(0);
  });

  it('POST /api/chat/:threadId/stop ends a running generation (embedded: one process)', async () => {
    const threadId = randomUUID();
    const client = openChatSocket(port, me.headers, { id: threadId, message: userMessage('another long story') });
    await client.started;
    const stop = await t.app.inject({ method: 'POST', url: `/api/chat/${threadId}/stop`, headers: me.headers });
    expect(stop.statusCode).toBe(202);
    expect(stop.json()).toEqual({ threadId, requested: true });
    const row = await savedAssistant(t, threadId);
    expect(row?.status).toBe('aborted');
    await expect.poll(() => parseStream(client.received()).some((c) => c.type === 'abort'), { timeout: 5_000 }).toBe(true);
  });

  it('ends a generation at the server-side limit (CHAT_TIMEOUT_MS) and saves it aborted', async () => {
    const threadId = randomUUID();
    const started = Date.now();
    const r = await t.app.inject({
      method: 'POST',
      url: '/api/chat',
      headers: me.headers,
      payload: { id: threadId, message: userMessage('endless') },
    });
    expect(Date.now() - started).toBeLessThan(4_000);
    expect(parseStream(r.body).some((c) => c.type === 'abort')).toBe(true);
    expect((await savedAssistant(t, threadId))?.status).toBe('aborted');
  });

  it('answers 409 to a second turn while the thread is generating', async () => {
    const threadId = randomUUID();
    const client = openChatSocket(port, me.headers, { id: threadId, message: userMessage('first') });
    await client.started;
    const second = await t.app.inject({
      method: 'POST',
      url: '/api/chat',
      headers: me.headers,
      payload: { id: threadId, message: userMessage('second') },
    });
    expect(second.statusCode).toBe(409);
    expect(second.json()).toMatchObject({ code: 'CHAT_BUSY' });
    client.destroy();
    await savedAssistant(t, threadId);
  });

  // Last: the app is draining afterwards.
  it('shutdown (drain) aborts a running generation and saves it aborted', async () => {
    const threadId = randomUUID();
    const client = openChatSocket(port, me.headers, { id: threadId, message: userMessage('keep talking') });
    await client.started;
    expect(t.app.lifecycle.openStreams).toBe(1);
    t.app.lifecycle.beginDrain();
    expect((await savedAssistant(t, threadId))?.status).toBe('aborted');
    await expect.poll(() => t.app.lifecycle.openStreams).toBe(0);
  });
});
