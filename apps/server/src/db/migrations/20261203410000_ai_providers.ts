import { sql, type Kysely } from 'kysely';

/**
 * AI providers: portal-wide (the model list is served to the public sign-in and chat pages),
 * managed by admins. API keys are stored sealed (AES-256-GCM envelope), never in plain text.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('ai_providers')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) =>
      c.notNull().check(sql`type in ('oci', 'openai-compatible', 'openai', 'anthropic', 'google', 'azure', 'offline')`),
    )
    .addColumn('base_url', 'text')
    .addColumn('region', 'text')
    .addColumn('api_key_sealed', 'text')
    .addColumn('models', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'::text[]`))
    .addColumn('default_model', 'text')
    .addColumn('options', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('enabled', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('seeded_from_env', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('ai_providers').execute();
}
