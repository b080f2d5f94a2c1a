import type { ColumnType, Generated } from 'kysely';
import type { CreatedAt } from '../../db/schema.ts';

export interface VectorIndexesTable {
  name: string;
  dimension: number;
  embedder: string;
  created_at: CreatedAt;
}

export const DOCUMENT_STATUSES = ['pending', 'indexed', 'failed'] as const;
export type DocumentStatus = (typeof DOCUMENT_STATUSES)[number];

/** An uploaded document: its extracted text (the bytes are not kept) and its indexing status. */
export interface SearchDocumentsTable {
  id: Generated<string>;
  org_id: string;
  name: string;
  content_type: string;
  size_bytes: number;
  content: string;
  status: ColumnType<DocumentStatus, DocumentStatus | undefined, DocumentStatus>;
  chunks: ColumnType<number, number | undefined, number>;
  error: string | null;
  created_by: string | null;
  created_at: CreatedAt;
  indexed_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

declare module '../../db/schema.ts' {
  interface DB {
    vector_indexes: VectorIndexesTable;
    search_documents: SearchDocumentsTable;
  }
}
