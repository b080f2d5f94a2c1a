import createError from '@fastify/error';

/** Semantic search on a PostgreSQL without pgvector: 503 naming the extension. */
export const VectorExtensionMissing = createError(
  'VECTOR_EXTENSION_MISSING',
  'Semantic search needs the pgvector extension ("vector"), which is not installed on this database; install pgvector and restart',
  503,
);
export const DocumentNotFound = createError<[string]>('DOCUMENT_NOT_FOUND', 'Document %s not found', 404);
export const DocumentTooLarge = createError<[number]>('DOCUMENT_TOO_LARGE', 'content: the document is larger than %d bytes', 413);
export const DocumentUnreadable = createError<[string]>('DOCUMENT_UNREADABLE', 'content: %s', 400);
