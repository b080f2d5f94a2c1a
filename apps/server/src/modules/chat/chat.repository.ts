import { sql, type Selectable } from 'kysely';
import type { Executor } from '../../db/tenant.ts';
import { json } from '../../db/schema.ts';
import { toPage } from '../../db/database.ts';
import type { ChatMessagesTable, ChatThreadsTable, MessageRole, MessageStatus, StoredPart } from './chat.tables.ts';

/** Rows per INSERT / UPDATE statement: ⌈n/1000⌉ statements for n messages. */
export const MESSAGE_BATCH = 1000;

export type ThreadRow = Selectable<ChatThreadsTable>;
export type MessageRow = Selectable<ChatMessagesTable>;

/** A message to store, in the AI SDK UIMessage shape. */
export interface NewMessage {
  id: string;
  role: MessageRole;
  parts: StoredPart[];
  metadata?: Record<string, unknown>;
  status?: MessageStatus;
}

/** A change to a stored message; absent fields are left as they are, metadata is merged. */
export interface MessageUpdate {
  id: string;
  parts?: StoredPart[];
  metadata?: Record<string, unknown>;
  status?: MessageStatus;
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * Inserts (or replaces, on a re-sent id) messages of one thread: ONE multi-row statement per
 * 1000 messages. Ids already stored in another org or thread are left untouched.
 */
export async function saveMessages(ex: Executor, orgId: string, threadId: string, messages: readonly NewMessage[]): Promise<number> {
  let written = 0;
  for (const batch of chunks(messages, MESSAGE_BATCH)) {
    const result = await ex
      .insertInto('chat_messages')
      .values(
        batch.map((m) => ({
          id: m.id,
          org_id: orgId,
          thread_id: threadId,
          role: m.role,
          parts: json(m.parts),
          metadata: json(m.metadata ?? {}),
          status: m.status ?? 'complete',
          updated_at: sql<Date>`now()`,
        })),
      )
      .onConflict((oc) =>
        oc
          .column('id')
          .doUpdateSet((eb) => ({
            parts: eb.ref('excluded.parts'),
            metadata: eb.ref('excluded.metadata'),
            status: eb.ref('excluded.status'),
            updated_at: sql<Date>`now()`,
          }))
          .where('chat_messages.org_id', '=', orgId)
          .where('chat_messages.thread_id', '=', threadId),
      )
      .executeTakeFirst();
    written += Number(result.numInsertedOrUpdatedRows ?? 0n);
  }
  return written;
}

/**
 * Applies updates to stored messages of one org: ONE `UPDATE … FROM (VALUES …)` per 1000
 * updates; metadata is merged (`||`) in SQL, so no prior SELECT is needed. Returns rows changed.
 */
export async function updateMessages(ex: Executor, orgId: string, updates: readonly MessageUpdate[]): Promise<number> {
  let changed = 0;
  for (const batch of chunks(updates, MESSAGE_BATCH)) {
    const values = sql.join(
      batch.map(
        (u) =>
          sql`(${u.id}::text, ${u.parts ? json(u.parts) : null}::jsonb, ${u.metadata ? json(u.metadata) : null}::jsonb, ${u.status ?? null}::text)`,
      ),
    );
    const result = await sql`
      update chat_messages as m
         set parts = coalesce(v.parts, m.parts),
             metadata = m.metadata || coalesce(v.metadata, '{}'::jsonb),
             status = coalesce(v.status, m.status),
             updated_at = now()
        from (values ${values}) as v(id, parts, metadata, status)
       where m.id = v.id and m.org_id = ${orgId}`.execute(ex);
    changed += Number(result.numAffectedRows ?? 0n);
  }
  return changed;
}

/** The newest `limit` messages of a thread, oldest first (history is never loaded whole). */
export async function listMessages(ex: Executor, orgId: string, threadId: string, limit: number): Promise<MessageRow[]> {
  const rows = await ex
    .selectFrom('chat_messages')
    .selectAll()
    .where('org_id', '=', orgId)
    .where('thread_id', '=', threadId)
    .orderBy('seq', 'desc')
    .limit(limit)
    .execute();
  return rows.reverse();
}

/** Creates a thread. */
export async function insertThread(
  ex: Executor,
  t: { orgId: string; userId: string; title?: string; model?: string | null },
): Promise<ThreadRow> {
  return ex
    .insertInto('chat_threads')
    .values({ org_id: t.orgId, user_id: t.userId, ...(t.title ? { title: t.title } : {}), model: t.model ?? null })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** One thread of a user in an org, or undefined. */
export async function findThread(ex: Executor, orgId: string, userId: string, threadId: string): Promise<ThreadRow | undefined> {
  return ex
    .selectFrom('chat_threads')
    .selectAll()
    .where('org_id', '=', orgId)
    .where('user_id', '=', userId)
    .where('id', '=', threadId)
    .executeTakeFirst();
}

/** A page of a user's threads, newest first, with the total from the same query. */
export async function listThreads(
  ex: Executor,
  orgId: string,
  userId: string,
  page: { limit: number; offset: number; search?: string | undefined },
): Promise<{ items: ThreadRow[]; total: number }> {
  let q = ex
    .selectFrom('chat_threads')
    .selectAll()
    .select(sql<string>`count(*) over()`.as('total'))
    .where('org_id', '=', orgId)
    .where('user_id', '=', userId);
  if (page.search) q = q.where('title', 'ilike', `%${page.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  const rows = await q.orderBy('updated_at', 'desc').orderBy('id').limit(page.limit).offset(page.offset).execute();
  return toPage(rows);
}

/** Renames a thread; returns false when it is not the user's. */
export async function renameThread(ex: Executor, orgId: string, userId: string, threadId: string, title: string): Promise<boolean> {
  const r = await ex
    .updateTable('chat_threads')
    .set({ title, updated_at: sql<Date>`now()` })
    .where('org_id', '=', orgId)
    .where('user_id', '=', userId)
    .where('id', '=', threadId)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** Deletes a thread and (by cascade) its messages; returns false when it is not the user's. */
export async function deleteThread(ex: Executor, orgId: string, userId: string, threadId: string): Promise<boolean> {
  const r = await ex
    .deleteFrom('chat_threads')
    .where('org_id', '=', orgId)
    .where('user_id', '=', userId)
    .where('id', '=', threadId)
    .executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

/** Bumps a thread after a turn: message count and recency, in one statement. */
export async function touchThread(ex: Executor, orgId: string, threadId: string, added: number, model?: string): Promise<void> {
  await ex
    .updateTable('chat_threads')
    .set((eb) => ({
      message_count: eb('message_count', '+', added),
      updated_at: sql<Date>`now()`,
      ...(model ? { model } : {}),
    }))
    .where('org_id', '=', orgId)
    .where('id', '=', threadId)
    .execute();
}
