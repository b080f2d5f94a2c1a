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

/** A stored message as history: the UIMessage fields, oldest first. */
export interface HistoryMessage {
  id: string;
  role: MessageRole;
  parts: StoredPart[];
  metadata: Record<string, unknown>;
  status: MessageStatus;
  createdAt: string;
}

/** What one turn needs to start: the org's name, and the thread with its newest messages when it is the user's. */
export interface TurnContext {
  orgName: string;
  thread: ThreadRow | null;
  history: HistoryMessage[];
}

/**
 * The org name, the user's thread and its newest `limit` messages (oldest first) in ONE query: the
 * thread and a lateral `json_agg` of its messages hang off the org row, so the row exists even when
 * the thread does not (yet, or not for this user).
 */
export async function loadTurnContext(
  ex: Executor,
  orgId: string,
  userId: string,
  threadId: string,
  limit: number,
): Promise<TurnContext | undefined> {
  const result = await sql<{ org_name: string; thread: ThreadRow | null; history: HistoryMessage[] | null }>`
    select o.name as org_name,
           case when t.id is null then null else to_jsonb(t) end as thread,
           h.history
      from orgs o
      left join chat_threads t on t.org_id = o.id and t.id = ${threadId}::uuid and t.user_id = ${userId}
      left join lateral (
        select json_agg(json_build_object('id', m.id, 'role', m.role, 'parts', m.parts, 'metadata', m.metadata,
                                          'status', m.status, 'createdAt', m.created_at) order by m.seq) as history
          from (select * from chat_messages
                 where org_id = o.id and thread_id = t.id
                 order by seq desc limit ${limit}) m
      ) h on t.id is not null
     where o.id = ${orgId}`.execute(ex);
  const row = result.rows[0];
  if (!row) return undefined;
  const thread = row.thread
    ? { ...row.thread, created_at: new Date(row.thread.created_at), updated_at: new Date(row.thread.updated_at) }
    : null;
  return { orgName: row.org_name, thread, history: row.history ?? [] };
}

/**
 * Creates a thread with a client-chosen id; undefined when that id is taken (by any user or org —
 * the unique index sees every row, RLS or not), so a foreign thread id is never adopted.
 */
export async function insertThreadIfAbsent(
  ex: Executor,
  t: { id: string; orgId: string; userId: string; title: string; model: string | null },
): Promise<ThreadRow | undefined> {
  return ex
    .insertInto('chat_threads')
    .values({ id: t.id, org_id: t.orgId, user_id: t.userId, title: t.title, model: t.model })
    .onConflict((oc) => oc.column('id').doNothing())
    .returningAll()
    .executeTakeFirst();
}

/**
 * Deletes the messages of a thread stored after `messageId` (a regenerated answer replaces them)
 * in one statement; returns how many went.
 */
export async function deleteMessagesAfter(ex: Executor, orgId: string, threadId: string, messageId: string): Promise<number> {
  const r = await sql`
    delete from chat_messages
     where org_id = ${orgId} and thread_id = ${threadId}::uuid
       and seq > (select seq from chat_messages where org_id = ${orgId} and thread_id = ${threadId}::uuid and id = ${messageId})`.execute(
    ex,
  );
  return Number(r.numAffectedRows ?? 0n);
}
