import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Actor } from '@cloudnow/shared';
import { Unauthorized } from '../../errors.ts';

/** `{ code, message }`: the body of every 4xx these modules answer. */
export const ErrorSchema = z.object({ code: z.string(), message: z.string() });

/** The 4xx statuses the tool, approval and audit routes may answer. */
export const errorResponses = {
  400: ErrorSchema,
  401: ErrorSchema,
  403: ErrorSchema,
  404: ErrorSchema,
  409: ErrorSchema,
  410: ErrorSchema,
  413: ErrorSchema,
} as const;

/** limit/offset with the given default and maximum. */
export function pageQuery(def: number, max: number) {
  return z.object({
    limit: z.coerce.number().int().min(1).max(max).default(def),
    offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
  });
}

/** The request's actor; the auth plugin sets it on every non-public route (401 otherwise). */
export function actorOf(req: FastifyRequest): Actor {
  if (!req.actor) throw new Unauthorized();
  return req.actor;
}

/** An AbortSignal that fires when the client goes away before the response is written. */
export function requestSignal(reply: FastifyReply): AbortSignal {
  const ac = new AbortController();
  reply.raw.once('close', () => {
    if (!reply.raw.writableFinished) ac.abort(new Error('client disconnected'));
  });
  return ac.signal;
}

/** A Date (or ISO string) as an ISO string; null stays null. */
export function iso(d: Date | string | null): string | null {
  return d === null ? null : new Date(d).toISOString();
}
