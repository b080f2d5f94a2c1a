import { sql, type Kysely } from 'kysely';
import { enableTenantRls } from './_tenant.ts';

/** Chat: threads and messages (AI SDK UIMessage shape: id, role, parts, metadata, status). */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('chat_threads')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('org_id', 'text', (c) => c.notNull().references('orgs.id').onDelete('cascade'))
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull().defaultTo('New conversation'))
    .addColumn('model', 'text')
    .addColumn('metadata', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('message_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createIndex('chat_threads_org_user_updated_idx')
    .on('chat_threads')
    .columns(['org_id', 'user_id', 'updated_at desc'])
    .execute();
  // Metadata filters on threads (the review's JSON_VALUE finding): an expression index per key in use.
  await sql`create index chat_threads_org_meta_kind_idx on chat_threads (org_id, (metadata->>'kind'))`.execute(db);
  await enableTenantRls(db, 'chat_threads');

  await db.schema
    .createTable('chat_messages')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull().references('orgs.id').onDelete('cascade'))
    .addColumn('thread_id', 'uuid', (c) => c.notNull().references('chat_threads.id').onDelete('cascade'))
    .addColumn('seq', 'bigserial', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('system', 'user', 'assistant')`))
    .addColumn('parts', 'jsonb', (c) => c.notNull())
    .addColumn('metadata', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('status', 'text', (c) =>
      c
        .notNull()
        .defaultTo('complete')
        .check(sql`status in ('complete', 'streaming', 'aborted', 'error')`),
    )
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('chat_messages_org_thread_seq_idx').on('chat_messages').columns(['org_id', 'thread_id', 'seq']).execute();
  await enableTenantRls(db, 'chat_messages');
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('chat_messages').execute();
  await db.schema.dropTable('chat_threads').execute();
}
