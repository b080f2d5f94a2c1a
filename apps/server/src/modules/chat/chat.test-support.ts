import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { simulateReadableStream, type UIMessage } from 'ai';
import { MockLanguageModelV4 } from 'ai/test';
import type { LanguageModelV4, LanguageModelV4StreamPart } from '@ai-sdk/provider';
import type { TestApp } from '../../../test/harness.ts';

/** A parsed UI message stream chunk. */
export type Chunk = { type: string } & Record<string, unknown>;

/** The chunks of an SSE UI message stream body (`data: {json}` frames, `[DONE]` dropped). */
export function parseStream(body: string): Chunk[] {
  return body
    .split('\n\n')
    .map((f) => f.trim())
    .filter((f) => f.startsWith('data: ') && f !== 'data: [DONE]')
    .map((f) => JSON.parse(f.slice(6)) as Chunk);
}

/** The concatenated text deltas of a stream. */
export const streamedText = (chunks: Chunk[]): string =>
  chunks
    .filter((c) => c.type === 'text-delta')
    .map((c) => c.delta as string)
    .join('');

/** A user UI message with one text part. */
export const userMessage = (text: string, id = `u-${randomUUID()}`): UIMessage => ({ id, role: 'user', parts: [{ type: 'text', text }] });

/** POST /api/chat through `app.inject` (the whole stream is buffered). */
export async function postChat(t: TestApp, headers: Record<string, string>, payload: object) {
  const r = await t.app.inject({ method: 'POST', url: '/api/chat', headers, payload });
  return {
    status: r.statusCode,
    headers: r.headers,
    body: r.body,
    chunks: r.statusCode === 200 ? parseStream(r.body) : [],
    json: () => r.json(),
  };
}

/** Rows of a thread's messages and the org's threads, for "nothing written" assertions. */
export async function rowCounts(t: TestApp, orgId: string): Promise<{ threads: number; messages: number }> {
  const threads = await t.db
    .selectFrom('chat_threads')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('org_id', '=', orgId)
    .executeTakeFirstOrThrow();
  const messages = await t.db
    .selectFrom('chat_messages')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('org_id', '=', orgId)
    .executeTakeFirstOrThrow();
  return { threads: Number(threads.n), messages: Number(messages.n) };
}

/** Listens on port 0 (real sockets, for disconnect and benchmark tests); returns the port and a closer. */
export async function listen(t: TestApp): Promise<number> {
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  return (t.app.server.address() as AddressInfo).port;
}

/**
 * POSTs a chat turn over a real socket and resolves once the first `bytes` of body arrived; the
 * caller then destroys the socket (a client that goes away mid-stream).
 */
export function openChatSocket(port: number, headers: Record<string, string>, payload: object) {
  const body = JSON.stringify(payload);
  let received = '';
  let firstBytes!: () => void;
  const started = new Promise<void>((r) => (firstBytes = r));
  const req = http.request({
    port,
    host: '127.0.0.1',
    method: 'POST',
    path: '/api/chat',
    headers: { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
  });
  req.on('response', (res) => {
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => {
      received += chunk;
      firstBytes();
    });
    res.on('error', () => {});
  });
  req.on('error', () => {});
  req.end(body);
  return { started, received: () => received, destroy: () => req.destroy() };
}

/** A slow mock model: `n` text deltas, `delayMs` apart; `pulled` counts the parts the consumer pulled. */
export function slowModel(opts: { n?: number; delayMs?: number; text?: (i: number) => string } = {}) {
  const n = opts.n ?? 50;
  const text = opts.text ?? ((i: number) => `word${i} `);
  const state = { pulled: 0 };
  const usage = {
    inputTokens: { total: 1, noCache: 1, cacheRead: 0, cacheWrite: 0 },
    outputTokens: { total: n, text: n, reasoning: 0 },
  };
  const model = new MockLanguageModelV4({
    doStream: async () => {
      const parts: LanguageModelV4StreamPart[] = [
        { type: 'stream-start', warnings: [] },
        { type: 'text-start', id: 't' },
        ...Array.from({ length: n }, (_, i): LanguageModelV4StreamPart => ({ type: 'text-delta', id: 't', delta: text(i) })),
        { type: 'text-end', id: 't' },
        { type: 'finish', finishReason: { unified: 'stop', raw: 'stop' }, usage },
      ];
      const reader = simulateReadableStream({ chunks: parts, initialDelayInMs: 0, chunkDelayInMs: opts.delayMs ?? 100 }).getReader();
      const stream = new ReadableStream<LanguageModelV4StreamPart>(
        {
          async pull(controller) {
            state.pulled++;
            const { done, value } = await reader.read();
            if (done) controller.close();
            else controller.enqueue(value);
          },
          cancel: (reason) => reader.cancel(reason),
        },
        { highWaterMark: 0 },
      );
      return { stream };
    },
  });
  return { model, state };
}

/** Makes every turn of `t` use `model` (the LLM is the process edge tests may mock); returns the undo. */
export function useModel(t: TestApp, model: LanguageModelV4): () => void {
  const original = t.app.models.resolve;
  t.app.models.resolve = async (id: string) => ({ ...(await original.call(t.app.models, id)), model });
  return () => {
    t.app.models.resolve = original;
  };
}

/** Waits until the thread's newest assistant message is saved; returns it. */
export async function savedAssistant(t: TestApp, threadId: string) {
  let row: { status: string; parts: Array<{ type: string; text?: string }> } | undefined;
  for (let i = 0; i < 200 && !row; i++) {
    row = await t.db
      .selectFrom('chat_messages')
      .select(['status', 'parts'])
      .where('thread_id', '=', threadId)
      .where('role', '=', 'assistant')
      .orderBy('seq', 'desc')
      .executeTakeFirst();
    if (!row) await new Promise((r) => setTimeout(r, 25));
  }
  return row;
}
