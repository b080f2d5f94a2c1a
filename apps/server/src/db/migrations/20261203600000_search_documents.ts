import { sql, type Kysely } from 'kysely';
import { enableTenantRls } from './_tenant.ts';

/**
 * Documents uploaded for semantic search: the extracted text (the original bytes are not kept),
 * its indexing status, per org under row-level security.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('search_documents')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('org_id', 'text', (c) => c.notNull().references('orgs.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('content_type', 'text', (c) => c.notNull())
    .addColumn('size_bytes', 'integer', (c) => c.notNull())
    .addColumn('content', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) =>
      c
        .notNull()
        .defaultTo('pending')
        .check(sql`status in ('pending', 'indexed', 'failed')`),
    )
    .addColumn('chunks', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('error', 'text')
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('indexed_at', 'timestamptz')
    .execute();
  await db.schema.createIndex('search_documents_org_created_idx').on('search_documents').columns(['org_id', 'created_at']).execute();
  await enableTenantRls(db, 'search_documents');
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('search_documents').execute();
}
