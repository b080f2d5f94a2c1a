import { api, type Page } from './client.ts';

/** Types of search (`/api/v1/search`, documents under `/api/v1/search/documents`). */

export const SEARCH_KINDS = ['chat', 'document', 'workflow', 'finding'] as const;
export type SearchKind = (typeof SEARCH_KINDS)[number];
export const KIND_LABEL: Record<SearchKind, string> = {
  chat: 'Conversations',
  document: 'Documents',
  workflow: 'Workflows',
  finding: 'Findings',
};

export interface SearchResult {
  id: string;
  kind: SearchKind;
  sourceId: string;
  title: string;
  snippet: string;
  score: number;
  link: string;
}

export const DOCUMENT_TYPES = ['text/plain', 'text/markdown', 'application/pdf'] as const;
export type DocumentType = (typeof DOCUMENT_TYPES)[number];

export interface DocumentView {
  id: string;
  name: string;
  contentType: string;
  sizeBytes: number;
  status: 'pending' | 'indexed' | 'failed';
  chunks: number;
  error: string | null;
  createdBy: string | null;
  createdAt: string;
  indexedAt: string | null;
}
export interface DocumentDetail extends DocumentView {
  text: string;
  textTruncated: boolean;
}

export const searchApi = {
  search: (query: string, kinds: SearchKind[], limit = 20) =>
    api.post<{ results: SearchResult[] }>('/api/v1/search', { query, limit, ...(kinds.length ? { kinds } : {}) }),
  documents: (limit: number, offset: number) => api.get<Page<DocumentView>>('/api/v1/search/documents', { limit, offset }),
  document: (id: string) => api.get<DocumentDetail>(`/api/v1/search/documents/${id}`),
  upload: (body: { name: string; contentType: DocumentType; encoding: 'base64' | 'text'; content: string }) =>
    api.post<DocumentView>('/api/v1/search/documents', body),
  remove: (id: string) => api.del(`/api/v1/search/documents/${id}`),
};

/** The upload type of a file, from its MIME type or its extension. */
export function documentType(file: File): DocumentType | null {
  if ((DOCUMENT_TYPES as readonly string[]).includes(file.type)) return file.type as DocumentType;
  const ext = file.name.toLowerCase().split('.').pop();
  return ext === 'md' || ext === 'markdown'
    ? 'text/markdown'
    : ext === 'txt' || ext === 'text'
      ? 'text/plain'
      : ext === 'pdf'
        ? 'application/pdf'
        : null;
}

/** A file as base64 (chunked, so large files do not overflow the argument list). */
export async function toBase64(file: File): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin);
}
