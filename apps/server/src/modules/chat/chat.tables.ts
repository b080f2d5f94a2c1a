import type { ColumnType, Generated } from 'kysely';
import type { CreatedAt, Json, Timestamp } from '../../db/schema.ts';

/** A UIMessage part as stored (the AI SDK's part objects, kept verbatim). */
export type StoredPart = { type: string } & Record<string, unknown>;

export type MessageRole = 'system' | 'user' | 'assistant';
export type MessageStatus = 'complete' | 'streaming' | 'aborted' | 'error';

export interface ChatThreadsTable {
  id: Generated<string>;
  org_id: string;
  user_id: string;
  title: ColumnType<string, string | undefined, string>;
  model: string | null;
  metadata: ColumnType<Record<string, unknown>, string | undefined, string>;
  message_count: ColumnType<number, number | undefined, number>;
  created_at: CreatedAt;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface ChatMessagesTable {
  id: string;
  org_id: string;
  thread_id: string;
  seq: Generated<string>;
  role: MessageRole;
  parts: Json<StoredPart[]>;
  metadata: ColumnType<Record<string, unknown>, string | undefined, string>;
  status: ColumnType<MessageStatus, MessageStatus | undefined, MessageStatus>;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

declare module '../../db/schema.ts' {
  interface DB {
    chat_threads: ChatThreadsTable;
    chat_messages: ChatMessagesTable;
  }
}
