import { z } from 'zod';
import { LIMITS } from '@cloudnow/shared';
import { DOCUMENT_TYPES } from './documents.ts';
import { DOCUMENT_STATUSES } from './search.tables.ts';

/** What can be searched (the ingest contract's kinds). */
export const SEARCH_KINDS = ['chat', 'document', 'workflow', 'finding'] as const;

/** POST /api/v1/search body. */
export const searchBody = z.strictObject({
  query: z.string().trim().min(1, 'must not be empty').max(2000),
  kinds: z.array(z.enum(SEARCH_KINDS)).min(1).max(SEARCH_KINDS.length).optional(),
  limit: z.number().int().min(1).max(LIMITS.searchLimitMax).default(10),
  filters: z
    .strictObject({
      /** Only chunks of this source (a thread, document, workflow or finding id). */
      sourceId: z.string().min(1).max(200).optional(),
      /** Chat only: messages of this role. */
      role: z.enum(['user', 'assistant']).optional(),
    })
    .optional(),
});
export type SearchInput = z.infer<typeof searchBody>;

export const searchResult = z.object({
  /** The chunk id (`<kind>:<id>:<chunk>`; chat: `chat:<messageId>:<chunk>`). */
  id: z.string(),
  kind: z.enum(SEARCH_KINDS),
  sourceId: z.string(),
  title: z.string(),
  snippet: z.string(),
  /** Cosine similarity, 1 = identical. */
  score: z.number(),
  /** The web route of the source. */
  link: z.string(),
});
export type SearchResult = z.infer<typeof searchResult>;

export const searchResponse = z.object({ results: z.array(searchResult) });

/** POST /api/v1/search/documents body (JSON; `content` is base64 unless `encoding` is "text"). */
export const uploadBody = z.strictObject({
  name: z.string().trim().min(1).max(300),
  contentType: z.enum(DOCUMENT_TYPES),
  encoding: z.enum(['base64', 'text']).default('base64'),
  content: z.string(),
});
export type UploadInput = z.infer<typeof uploadBody>;

export const documentView = z.object({
  id: z.string(),
  name: z.string(),
  contentType: z.string(),
  sizeBytes: z.number().int(),
  status: z.enum(DOCUMENT_STATUSES),
  chunks: z.number().int(),
  error: z.string().nullable(),
  createdBy: z.string().nullable(),
  createdAt: z.string(),
  indexedAt: z.string().nullable(),
});
export type DocumentView = z.infer<typeof documentView>;

/** GET /api/v1/search/documents/:id adds the extracted text (first 100,000 characters) to the view. */
export const documentDetail = documentView.extend({ text: z.string(), textTruncated: z.boolean() });
