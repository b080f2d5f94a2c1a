import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/harness.ts';
import { loginAs, type Login } from '../../../test/auth.ts';
import { postChat, rowCounts, userMessage } from './chat.test-support.ts';

let t: TestApp;
let me: Login;

beforeAll(async () => {
  t = await buildTestApp();
  me = await loginAs(t);
});
afterAll(async () => t.close());

const text = (s: string) => [{ type: 'text', text: s }];

describe('POST /api/chat refuses bad input with a 4xx naming the field, writing nothing', () => {
  it.each([
    ['no message at all', {}, 400, /^messages: required/],
    ['an empty messages array', { messages: [] }, 400, /^messages: must contain at least 1 message/],
    [
      'more than 100 messages',
      { messages: Array.from({ length: 101 }, (_, i) => userMessage(`m${i}`)) },
      400,
      /^messages: must contain at most 100 messages/,
    ],
    ['an unknown role', { message: { id: 'x', role: 'robot', parts: text('hi') } }, 400, /^message\.role: must be user or assistant/],
    ['a system message from the client', { message: { id: 'x', role: 'system', parts: text('hi') } }, 400, /^message\.role/],
    ['a message without parts', { message: { id: 'x', role: 'user', parts: [] } }, 400, /^message\.parts/],
    [
      'a text part without text',
      { message: { id: 'x', role: 'user', parts: [{ type: 'text' }] } },
      400,
      /^message\.parts\.0\.text: must be a string/,
    ],
    [
      'a tool part without a call id',
      { message: { id: 'x', role: 'assistant', parts: [{ type: 'tool-list_instances', state: 'input-available' }] } },
      400,
      /^message\.parts\.0\.toolCallId/,
    ],
    ['a malformed file part', { message: { id: 'x', role: 'user', parts: [{ type: 'file', mediaType: 42 }] } }, 400, /^messages: /],
    ['a thread id that is not a UUID', { id: 'abc', message: userMessage('hi') }, 400, /^id: must be a UUID/],
    ['an unknown model', { message: userMessage('hi'), model: 'nope:gpt-9' }, 400, /^model: "nope:gpt-9" is not an enabled model/],
    [
      'input over 50,000 characters',
      { message: userMessage('x'.repeat(50_001)) },
      400,
      /^messages: 50001 characters in total, over the limit of 50000/,
    ],
  ])('%s', async (_what, payload, status, message) => {
    const before = await rowCounts(t, me.org.id);
    const r = await postChat(t, me.headers, payload);
    expect(r.status).toBe(status);
    expect(r.json()).toEqual({ code: expect.any(String), message: expect.stringMatching(message) });
    expect(await rowCounts(t, me.org.id)).toEqual(before);
  });

  it('a disabled model', async () => {
    const admin = await loginAs(t, { role: 'admin' });
    const payload = {
      id: 'lab',
      name: 'Lab',
      type: 'openai-compatible',
      baseUrl: 'https://vllm.example.com/v1',
      models: ['m1'],
      enabled: false,
    };
    expect((await t.app.inject({ method: 'POST', url: '/api/admin/ai-providers', headers: admin.headers, payload })).statusCode).toBe(201);
    const before = await rowCounts(t, me.org.id);
    const r = await postChat(t, me.headers, { message: userMessage('hi'), model: 'lab:m1' });
    expect(r.status).toBe(400);
    expect(r.json().message).toMatch(/^model: /);
    expect(await rowCounts(t, me.org.id)).toEqual(before);
  });

  it('a thread of another org (404, and neither org gains a row)', async () => {
    const stranger = await loginAs(t);
    const id = randomUUID();
    expect((await postChat(t, stranger.headers, { id, message: userMessage('theirs') })).status).toBe(200);
    const mine = await rowCounts(t, me.org.id);
    const theirs = await rowCounts(t, stranger.org.id);
    const r = await postChat(t, me.headers, { id, message: userMessage('let me in') });
    expect(r.status).toBe(404);
    expect(r.json()).toEqual({ code: 'THREAD_NOT_FOUND', message: `Thread ${id} not found` });
    expect(await rowCounts(t, me.org.id)).toEqual(mine);
    expect(await rowCounts(t, stranger.org.id)).toEqual(theirs);
    expect((await t.app.inject({ url: `/api/chat/threads/${id}`, headers: me.headers })).statusCode).toBe(404);
  });
});
