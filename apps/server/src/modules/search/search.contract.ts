/**
 * The search indexer's queue, shared by the modules that hand it text (chat, documents, workflows,
 * findings) and the search module that works it. A job names its source, never carries the text:
 * the worker loads the current text and re-indexes that source, so a job run twice (pg-boss is
 * at-least-once) leaves the same index.
 */
export const SEARCH_INGEST_QUEUE = 'search.ingest';

/** What can be searched. */
export type SearchKind = 'chat' | 'document' | 'workflow' | 'finding';

/** One source to (re-)index. `itemIds` narrows a source to some of its rows (a chat turn's messages). */
export interface SearchIngestJob {
  orgId: string;
  kind: SearchKind;
  /** Thread id, document id, workflow id or finding id. */
  sourceId: string;
  itemIds?: string[];
}

declare module '../../plugins/jobs.ts' {
  interface JobMap {
    'search.ingest': SearchIngestJob;
  }
}
