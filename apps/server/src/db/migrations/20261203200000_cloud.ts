import { sql, type Kysely } from 'kysely';
import { enableTenantRls } from './_tenant.ts';

/**
 * The sandbox tenancy: one row per simulated resource, owned by an org. `state` is the stored
 * lifecycle state; a pending transition (STOPPING → STOPPED) is `transition_to` + `transition_at`,
 * applied on read when `transition_at` has passed, so it needs no timer and survives restarts.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('cloud_sandbox_resources')
    .addColumn('org_id', 'text', (c) => c.notNull().references('orgs.id').onDelete('cascade'))
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('compartment_id', 'text')
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('transition_to', 'text')
    .addColumn('transition_at', 'timestamptz')
    .addColumn('data', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('cloud_sandbox_resources_pk', ['org_id', 'id'])
    .execute();
  // Lists are by kind (optionally compartment); buckets are also looked up by name.
  await db.schema
    .createIndex('cloud_sandbox_resources_kind_idx')
    .on('cloud_sandbox_resources')
    .columns(['org_id', 'kind', 'compartment_id', 'name'])
    .execute();
  await db.schema
    .createIndex('cloud_sandbox_resources_bucket_name_idx')
    .on('cloud_sandbox_resources')
    .columns(['org_id', 'name'])
    .unique()
    .where(sql.ref('kind'), '=', 'bucket')
    .execute();
  await enableTenantRls(db, 'cloud_sandbox_resources');
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('cloud_sandbox_resources').execute();
}
