import { z } from 'zod';
import { LIMITS } from '@cloudnow/shared';

/** `?limit&offset` for every list: limit default 50, max 500. */
export const pageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(LIMITS.pageMax).default(LIMITS.pageDefault),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});

/** A page's envelope: the items plus the total from the same query. */
export function pageSchema<T extends z.ZodType>(item: T) {
  return z.object({ total: z.number().int(), limit: z.number().int(), offset: z.number().int(), items: z.array(item) });
}

/** The error body every 4xx/5xx carries. */
export const errorSchema = z.object({ code: z.string(), message: z.string() });
