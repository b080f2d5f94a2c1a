import { sql, type Selectable } from 'kysely';
import type { Executor } from '../../db/tenant.ts';
import { toPage } from '../../db/database.ts';
import type { SearchDocumentsTable } from './search.tables.ts';
import '../chat/chat.tables.ts';
import '../findings/findings.tables.ts';
import '../workflows/workflows.tables.ts';

export type DocumentRow = Selectable<SearchDocumentsTable>;
/** A document without its text (lists and views). */
export type DocumentMeta = Omit<DocumentRow, 'content'>;

/** Messages one chat ingestion job reads at most (a whole-thread re-index takes the newest). */
export const CHAT_MESSAGES_MAX = 2000;

const META = [
  'id',
  'org_id',
  'name',
  'content_type',
  'size_bytes',
  'status',
  'chunks',
  'error',
  'created_by',
  'created_at',
  'indexed_at',
] as const;

export async function insertDocument(
  ex: Executor,
  d: { orgId: string; name: string; contentType: string; sizeBytes: number; content: string; createdBy: string },
): Promise<DocumentMeta> {
  return ex
    .insertInto('search_documents')
    .values({
      org_id: d.orgId,
      name: d.name,
      content_type: d.contentType,
      size_bytes: d.sizeBytes,
      content: d.content,
      created_by: d.createdBy,
    })
    .returning(META)
    .executeTakeFirstOrThrow();
}

/** A page of the org's documents, newest first, with the total from the same query. */
export async function listDocuments(ex: Executor, orgId: string, page: { limit: number; offset: number }) {
  const rows = await ex
    .selectFrom('search_documents')
    .select(META)
    .select(sql<string>`count(*) over()`.as('total'))
    .where('org_id', '=', orgId)
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
  return toPage(rows);
}

export async function findDocument(ex: Executor, orgId: string, id: string): Promise<DocumentRow | undefined> {
  return ex.selectFrom('search_documents').selectAll().where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst();
}

export async function deleteDocument(ex: Executor, orgId: string, id: string): Promise<boolean> {
  const r = await ex.deleteFrom('search_documents').where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

export async function setDocumentIndexed(
  ex: Executor,
  orgId: string,
  id: string,
  r: { status: 'indexed' | 'failed'; chunks: number; error: string | null },
): Promise<void> {
  await ex
    .updateTable('search_documents')
    .set({ status: r.status, chunks: r.chunks, error: r.error, indexed_at: sql<Date>`now()` })
    .where('org_id', '=', orgId)
    .where('id', '=', id)
    .execute();
}

/** A thread's title and owner, then its messages (some of them, or the newest CHAT_MESSAGES_MAX): two queries. */
export async function loadChat(
  ex: Executor,
  orgId: string,
  threadId: string,
  messageIds?: readonly string[],
): Promise<{ title: string; userId: string; messages: Array<{ id: string; role: string; parts: unknown }> } | undefined> {
  const thread = await ex
    .selectFrom('chat_threads')
    .select(['title', 'user_id'])
    .where('org_id', '=', orgId)
    .where('id', '=', threadId)
    .executeTakeFirst();
  if (!thread) return undefined;
  let q = ex.selectFrom('chat_messages').select(['id', 'role', 'parts']).where('org_id', '=', orgId).where('thread_id', '=', threadId);
  if (messageIds) q = q.where('id', 'in', messageIds.length ? [...messageIds] : ['']);
  const rows = await q.orderBy('seq', 'desc').limit(CHAT_MESSAGES_MAX).execute();
  return { title: thread.title, userId: thread.user_id, messages: rows.reverse() };
}

/** A workflow definition's searchable text: name, description, tags and its current nodes. */
export async function loadWorkflow(ex: Executor, orgId: string, id: string) {
  return ex
    .selectFrom('workflow_definitions as d')
    .innerJoin('workflow_versions as v', (j) =>
      j.onRef('v.definition_id', '=', 'd.id').onRef('v.version', '=', 'd.current_version').onRef('v.org_id', '=', 'd.org_id'),
    )
    .select(['d.name', 'd.description', 'd.tags', 'v.nodes'])
    .where('d.org_id', '=', orgId)
    .where('d.id', '=', id)
    .executeTakeFirst();
}

/** A finding's searchable text. */
export async function loadFinding(ex: Executor, orgId: string, id: string) {
  return ex
    .selectFrom('findings')
    .select(['title', 'summary', 'recommendation', 'domain', 'severity'])
    .where('org_id', '=', orgId)
    .where('id', '=', id)
    .executeTakeFirst();
}

/** Ids of the findings an advisor run saw (bounded by what one run may write). */
export async function findingIdsOfRun(ex: Executor, orgId: string, runId: string): Promise<string[]> {
  const rows = await ex
    .selectFrom('findings')
    .select('id')
    .where('org_id', '=', orgId)
    .where('last_run_id', '=', runId)
    .limit(4000)
    .execute();
  return rows.map((r) => r.id);
}
