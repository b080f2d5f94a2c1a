import type { Kysely, Transaction } from 'kysely';
import type { Actor } from '@cloudnow/shared';
import type { DB } from '../../db/schema.ts';
import { withTenant } from '../../db/tenant.ts';
import type { Jobs } from '../../plugins/jobs.ts';
import type { Embedder } from './embedder.ts';
import { indexNameFor } from './embedders.ts';
import { decodeContent, extractDocumentText } from './documents.ts';
import { SEARCH_INGEST_QUEUE, type SearchIngestJob, type SearchKind } from './search.contract.ts';
import { DocumentNotFound, DocumentTooLarge, VectorExtensionMissing } from './search.errors.ts';
import { sourceKey } from './search.indexer.ts';
import * as repo from './search.repository.ts';
import type { DocumentView, SearchInput, SearchResult, UploadInput } from './search.schemas.ts';
import type { VectorHit, VectorStore } from './vector-store.ts';

/** Characters of a document's text its detail view returns. */
const DETAIL_TEXT_MAX = 100_000;
const SNIPPET = 240;

export interface SearchDeps {
  db: () => Kysely<DB>;
  jobs: Pick<Jobs, 'sendMany'>;
  store: VectorStore;
  embedder: () => Promise<Embedder>;
  vectorAvailable: () => boolean;
  /** Largest document upload in bytes (decoded). */
  documentMaxBytes: number;
}

/** The web route of a source. */
export function linkOf(kind: SearchKind, sourceId: string): string {
  const id = encodeURIComponent(sourceId);
  switch (kind) {
    case 'chat':
      return `/chat/${id}`;
    case 'document':
      return `/search/documents/${id}`;
    case 'workflow':
      return `/workflows/${id}`;
    case 'finding':
      return `/advisor/findings/${id}`;
  }
}

/** Up to SNIPPET characters of `content` around the first query word it contains. */
export function snippetOf(content: string, query: string): string {
  const text = content.replace(/\s+/g, ' ').trim();
  if (text.length <= SNIPPET) return text;
  const lower = text.toLowerCase();
  const words = query
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 2);
  const at = words.map((w) => lower.indexOf(w)).filter((i) => i >= 0);
  const hit = at.length ? Math.min(...at) : 0;
  const start = Math.max(0, Math.min(hit - 60, text.length - SNIPPET));
  return `${start > 0 ? '…' : ''}${text.slice(start, start + SNIPPET).trim()}${start + SNIPPET < text.length ? '…' : ''}`;
}

function view(d: repo.DocumentMeta): DocumentView {
  return {
    id: d.id,
    name: d.name,
    contentType: d.content_type,
    sizeBytes: d.size_bytes,
    status: d.status,
    chunks: d.chunks,
    error: d.error,
    createdBy: d.created_by,
    createdAt: new Date(d.created_at).toISOString(),
    indexedAt: d.indexed_at ? new Date(d.indexed_at).toISOString() : null,
  };
}

function result(hit: VectorHit, query: string): SearchResult {
  const m = hit.metadata as { kind: SearchKind; sourceId: string; title?: string };
  return {
    id: hit.id,
    kind: m.kind,
    sourceId: m.sourceId,
    title: m.title ?? '',
    snippet: snippetOf(hit.content, query),
    score: Math.round(hit.score * 10_000) / 10_000,
    link: linkOf(m.kind, m.sourceId),
  };
}

/**
 * Semantic search over the org's chats, documents, workflows and findings, and the documents
 * people upload for it. Queries need pgvector (503 VECTOR_EXTENSION_MISSING without it); a
 * document is stored and its ingestion job enqueued in ONE transaction. Chat hits are the
 * caller's own threads only (chats are private to their user; the rest is org-wide).
 */
export function createSearchService(deps: SearchDeps) {
  const db = deps.db;
  const requireVector = (): void => {
    if (!deps.vectorAvailable()) throw new VectorExtensionMissing();
  };

  return {
    /** Enqueues sources for (re-)indexing in one statement, inside `tx` when given. */
    async enqueue(items: readonly SearchIngestJob[], opts: { tx?: Transaction<DB> } = {}): Promise<void> {
      await deps.jobs.sendMany(
        SEARCH_INGEST_QUEUE,
        items.map((data) => ({ data })),
        opts,
      );
    },

    async search(actor: Actor, input: SearchInput): Promise<SearchResult[]> {
      requireVector();
      const embedder = await deps.embedder();
      const index = indexNameFor(embedder);
      await deps.store.ensureIndex(index, embedder.dimension, embedder.id);
      const [vector] = await embedder.embed([input.query]);
      const where: Record<string, string> = {};
      if (input.filters?.sourceId) where.sourceId = input.filters.sourceId;
      if (input.filters?.role) where.role = input.filters.role;
      const hits = await deps.store.query(actor.orgId, index, vector!, {
        limit: input.limit,
        ...(input.kinds ? { kinds: input.kinds } : {}),
        where,
        ownedBy: { userId: actor.userId, kinds: ['chat'] },
      });
      return hits.map((h) => result(h, input.query));
    },

    /** Stores a document's text and enqueues its indexing in the same transaction (201). */
    async upload(actor: Actor, input: UploadInput): Promise<DocumentView> {
      const bytes = decodeContent(input.content, input.encoding);
      if (bytes.length > deps.documentMaxBytes) throw new DocumentTooLarge(deps.documentMaxBytes);
      const text = await extractDocumentText(input.contentType, bytes);
      return withTenant(db(), actor.orgId, async (tx) => {
        const d = await repo.insertDocument(tx, {
          orgId: actor.orgId,
          name: input.name,
          contentType: input.contentType,
          sizeBytes: bytes.length,
          content: text,
          createdBy: actor.userId,
        });
        await deps.jobs.sendMany(SEARCH_INGEST_QUEUE, [{ data: { orgId: actor.orgId, kind: 'document', sourceId: d.id } }], { tx });
        return view(d);
      });
    },

    async listDocuments(actor: Actor, page: { limit: number; offset: number }) {
      const r = await withTenant(db(), actor.orgId, (tx) => repo.listDocuments(tx, actor.orgId, page));
      return { items: r.items.map(view), total: r.total, limit: page.limit, offset: page.offset };
    },

    async getDocument(actor: Actor, id: string) {
      const d = await withTenant(db(), actor.orgId, (tx) => repo.findDocument(tx, actor.orgId, id));
      if (!d) throw new DocumentNotFound(id);
      return { ...view(d), text: d.content.slice(0, DETAIL_TEXT_MAX), textTruncated: d.content.length > DETAIL_TEXT_MAX };
    },

    /** Deletes a document and, in the same transaction, its vectors (where pgvector exists). */
    async removeDocument(actor: Actor, id: string): Promise<void> {
      const embedder = deps.vectorAvailable() ? await deps.embedder() : null;
      if (embedder) await deps.store.ensureIndex(indexNameFor(embedder), embedder.dimension, embedder.id);
      await withTenant(db(), actor.orgId, async (tx) => {
        if (!(await repo.deleteDocument(tx, actor.orgId, id))) throw new DocumentNotFound(id);
        if (embedder) await deps.store.deleteBySource(actor.orgId, indexNameFor(embedder), sourceKey('document', id), tx);
      });
    },
  };
}

export type SearchService = ReturnType<typeof createSearchService>;
