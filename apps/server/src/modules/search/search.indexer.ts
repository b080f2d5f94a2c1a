import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { withTenant } from '../../db/tenant.ts';
import { chunkText, type ChunkOptions } from './chunker.ts';
import type { Embedder } from './embedder.ts';
import { indexNameFor } from './embedders.ts';
import type { SearchIngestJob, SearchKind } from './search.contract.ts';
import * as repo from './search.repository.ts';
import type { VectorItem, VectorStore } from './vector-store.ts';

/** One piece of a source to index: its text and the metadata its chunks carry. */
interface Piece {
  /** Chunk ids are `<idPrefix>:<chunk index>`: deterministic, so re-ingestion replaces. */
  idPrefix: string;
  text: string;
  metadata: Record<string, unknown>;
}

/** What a source currently says: its title, its pieces, and (chat) which messages it narrows to. */
interface SourceText {
  title: string;
  pieces: Piece[];
  /** Only these messages' chunks are replaced (a chat turn), not the whole source. */
  within?: { key: 'messageId'; values: string[] };
  document?: boolean;
}

/** The `source` metadata value of a source: what re-ingestion deletes by. */
export const sourceKey = (kind: SearchKind, sourceId: string): string => `${kind}:${sourceId}`;

/** The text of a UIMessage's text parts. */
function messageText(parts: unknown): string {
  if (!Array.isArray(parts)) return '';
  return parts
    .filter((p): p is { type: 'text'; text: string } => !!p && p.type === 'text' && typeof p.text === 'string')
    .map((p) => p.text)
    .join('\n');
}

/** Loads a source's current text (undefined: the source is gone, so its vectors go too). */
async function load(tx: Parameters<typeof repo.findDocument>[0], job: SearchIngestJob): Promise<SourceText | undefined> {
  const { orgId, sourceId } = job;
  const base = { kind: job.kind, source: sourceKey(job.kind, sourceId), sourceId };
  switch (job.kind) {
    case 'chat': {
      const chat = await repo.loadChat(tx, orgId, sourceId, job.itemIds);
      if (!chat) return undefined;
      const pieces = chat.messages
        .filter((m) => m.role === 'user' || m.role === 'assistant')
        .map((m) => ({
          idPrefix: `chat:${m.id}`,
          text: messageText(m.parts),
          metadata: { ...base, title: chat.title, userId: chat.userId, threadId: sourceId, messageId: m.id, role: m.role },
        }));
      return { title: chat.title, pieces, ...(job.itemIds ? { within: { key: 'messageId' as const, values: job.itemIds } } : {}) };
    }
    case 'document': {
      const d = await repo.findDocument(tx, orgId, sourceId);
      if (!d) return undefined;
      return {
        title: d.name,
        document: true,
        pieces: [{ idPrefix: `document:${d.id}`, text: d.content, metadata: { ...base, title: d.name, contentType: d.content_type } }],
      };
    }
    case 'workflow': {
      const w = await repo.loadWorkflow(tx, orgId, sourceId);
      if (!w) return undefined;
      const nodes = (w.nodes as Array<{ id: string; type: string; name?: string; config?: Record<string, unknown> }>).map((n) =>
        [n.name ?? n.id, typeof n.config?.tool === 'string' ? n.config.tool : n.type].join(' — '),
      );
      const text = [w.name, w.description, w.tags.length ? `Tags: ${w.tags.join(', ')}` : '', ...nodes].filter(Boolean).join('\n');
      return { title: w.name, pieces: [{ idPrefix: `workflow:${sourceId}`, text, metadata: { ...base, title: w.name } }] };
    }
    case 'finding': {
      const f = await repo.loadFinding(tx, orgId, sourceId);
      if (!f) return undefined;
      const text = [f.title, f.summary, f.recommendation].join('\n');
      return {
        title: f.title,
        pieces: [{ idPrefix: `finding:${sourceId}`, text, metadata: { ...base, title: f.title, domain: f.domain, severity: f.severity } }],
      };
    }
  }
}

export interface IndexerDeps {
  db: () => Kysely<DB>;
  store: Pick<VectorStore, 'ensureIndex' | 'upsert' | 'deleteBySource'>;
  embedder: () => Promise<Embedder>;
  chunk?: ChunkOptions;
}

/**
 * The search.ingest worker: loads the source's current text under the org's tenant context,
 * chunks and embeds it (outside any transaction: a provider call may be slow), then in ONE
 * tenant transaction deletes the source's vectors (or, for a chat turn, its messages') and
 * upserts the new chunks in ⌈n/500⌉ statements. Chunk ids are deterministic, so a job run twice
 * leaves the same rows; a source that no longer exists just loses its vectors.
 */
export function createIndexer(deps: IndexerDeps) {
  return {
    async ingest(job: SearchIngestJob): Promise<{ chunks: number }> {
      const embedder = await deps.embedder();
      const index = indexNameFor(embedder);
      await deps.store.ensureIndex(index, embedder.dimension, embedder.id);
      const source = await withTenant(deps.db(), job.orgId, (tx) => load(tx, job));
      const chunks: Array<Omit<VectorItem, 'vector'>> = [];
      for (const p of source?.pieces ?? [])
        for (const c of chunkText(p.text, deps.chunk))
          chunks.push({ id: `${p.idPrefix}:${c.index}`, content: c.content, metadata: { ...p.metadata, kind: job.kind, chunk: c.index } });
      const vectors = chunks.length ? await embedder.embed(chunks.map((c) => c.content)) : [];
      await withTenant(deps.db(), job.orgId, async (tx) => {
        await deps.store.deleteBySource(job.orgId, index, sourceKey(job.kind, job.sourceId), tx, source?.within);
        await deps.store.upsert(
          job.orgId,
          index,
          chunks.map((c, i) => ({ ...c, vector: vectors[i]! })),
          tx,
        );
        if (source?.document)
          await repo.setDocumentIndexed(tx, job.orgId, job.sourceId, { status: 'indexed', chunks: chunks.length, error: null });
      });
      return { chunks: chunks.length };
    },
  };
}

export type Indexer = ReturnType<typeof createIndexer>;
