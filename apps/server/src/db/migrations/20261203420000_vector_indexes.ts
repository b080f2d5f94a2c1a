import { sql, type Kysely } from 'kysely';

/**
 * The registry of vector indexes. Each index's own table (`vec_<name>`, with the index's
 * dimension) is created on first use where pgvector exists, so a server without the extension
 * still migrates and boots.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('vector_indexes')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('dimension', 'integer', (c) => c.notNull())
    .addColumn('embedder', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('vector_indexes').execute();
}
