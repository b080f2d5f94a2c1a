import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the stand-in received. */
export interface StandInRequest {
  path: string;
  auth: string | undefined;
  body: Record<string, unknown>;
}

/**
 * A local OpenAI-compatible chat-completions endpoint (the outbound edge of provider tests):
 * answers `POST /v1/chat/completions` with `reply` when the bearer key matches `key`, a 401 in
 * OpenAI's error shape otherwise.
 */
export async function startOpenAiStandIn(opts: { key: string; reply?: string }): Promise<{
  baseUrl: string;
  requests: StandInRequest[];
  close(): Promise<void>;
}> {
  const requests: StandInRequest[] = [];
  const server: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString()));
    req.on('end', () => {
      const body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
      if (requests.length < 1000) requests.push({ path: req.url ?? '', auth: req.headers.authorization, body });
      res.setHeader('content-type', 'application/json');
      if (req.url !== '/v1/chat/completions') return void res.writeHead(404).end(JSON.stringify({ error: { message: 'not found' } }));
      if (req.headers.authorization !== `Bearer ${opts.key}`)
        return void res
          .writeHead(401)
          .end(JSON.stringify({ error: { message: 'Incorrect API key provided', type: 'invalid_request_error' } }));
      res.end(
        JSON.stringify({
          id: 'cmpl-1',
          object: 'chat.completion',
          created: Math.floor(Date.now() / 1000),
          model: body.model,
          choices: [{ index: 0, message: { role: 'assistant', content: opts.reply ?? 'OK' }, finish_reason: 'stop' }],
          usage: { prompt_tokens: 5, completion_tokens: 1, total_tokens: 6 },
        }),
      );
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
    requests,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
