import type { FastifyReply, FastifyRequest } from 'fastify';

/** Copies Fastify's (Node's) request headers into Web `Headers`. */
export function toWebHeaders(headers: FastifyRequest['headers']): Headers {
  const out = new Headers();
  for (const [k, v] of Object.entries(headers)) {
    if (v === undefined) continue;
    if (Array.isArray(v)) for (const item of v) out.append(k, item);
    else out.set(k, String(v));
  }
  return out;
}

/**
 * Converts a Fastify request into a Web `Request` for Better Auth: the public URL, the headers,
 * and the body (re-serialised JSON, or the raw string for form posts such as OIDC form_post).
 */
export function toWebRequest(req: FastifyRequest, baseURL: string): Request {
  const headers = toWebHeaders(req.headers);
  const init: RequestInit = { method: req.method, headers };
  if (req.method !== 'GET' && req.method !== 'HEAD' && req.body !== undefined && req.body !== null) {
    init.body = typeof req.body === 'string' ? req.body : JSON.stringify(req.body);
    if (typeof req.body !== 'string') headers.set('content-type', 'application/json');
    headers.delete('content-length');
  }
  return new Request(new URL(req.url, baseURL), init);
}

/** Sends a Web `Response` through Fastify: status, every header, every Set-Cookie, the body. */
export async function sendWebResponse(reply: FastifyReply, res: Response): Promise<FastifyReply> {
  reply.code(res.status);
  res.headers.forEach((value, key) => {
    if (key !== 'set-cookie' && key !== 'content-length') reply.header(key, value);
  });
  const cookies = res.headers.getSetCookie();
  if (cookies.length > 0) reply.header('set-cookie', cookies);
  const text = res.body ? await res.text() : '';
  return reply.send(text);
}
