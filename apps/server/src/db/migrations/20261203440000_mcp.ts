import { sql, type Kysely } from 'kysely';
import { enableTenantRls } from './_tenant.ts';

/** MCP servers an org connects to, and the tools/resources they were last seen to offer. */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('mcp_servers')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('org_id', 'text', (c) => c.notNull().references('orgs.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('transport', 'text', (c) => c.notNull().check(sql`transport in ('stdio', 'http', 'sse')`))
    .addColumn('command', 'text')
    .addColumn('args', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'::text[]`))
    .addColumn('url', 'text')
    .addColumn('secrets_sealed', 'text')
    .addColumn('enabled', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('disconnected'))
    .addColumn('last_error', 'text')
    .addColumn('tool_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('connected_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('mcp_servers_org_name_uq', ['org_id', 'name'])
    .execute();
  await enableTenantRls(db, 'mcp_servers');

  await db.schema
    .createTable('mcp_tools')
    .addColumn('org_id', 'text', (c) => c.notNull().references('orgs.id').onDelete('cascade'))
    .addColumn('server_id', 'uuid', (c) => c.notNull().references('mcp_servers.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('input_schema', 'jsonb', (c) => c.notNull())
    .addPrimaryKeyConstraint('mcp_tools_pk', ['org_id', 'server_id', 'name'])
    .execute();
  await enableTenantRls(db, 'mcp_tools');

  await db.schema
    .createTable('mcp_resources')
    .addColumn('org_id', 'text', (c) => c.notNull().references('orgs.id').onDelete('cascade'))
    .addColumn('server_id', 'uuid', (c) => c.notNull().references('mcp_servers.id').onDelete('cascade'))
    .addColumn('uri', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('mime_type', 'text')
    .addPrimaryKeyConstraint('mcp_resources_pk', ['org_id', 'server_id', 'uri'])
    .execute();
  await enableTenantRls(db, 'mcp_resources');
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('mcp_resources').execute();
  await db.schema.dropTable('mcp_tools').execute();
  await db.schema.dropTable('mcp_servers').execute();
}
