import { sql, type Kysely } from 'kysely';
import { enableTenantRls } from './_tenant.ts';

/**
 * Workflows: definitions with immutable versions (a run pins one), runs, their steps (one row per
 * node execution, unique per (run, node, iteration) — the exactly-once guard), and cron schedules.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('workflow_definitions')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('org_id', 'text', (c) => c.notNull().references('orgs.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('status', 'text', (c) =>
      c
        .notNull()
        .defaultTo('draft')
        .check(sql`status in ('draft', 'published', 'archived')`),
    )
    .addColumn('tags', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'::text[]`))
    .addColumn('current_version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createIndex('workflow_definitions_org_updated_idx')
    .on('workflow_definitions')
    .columns(['org_id', 'updated_at desc', 'id'])
    .execute();
  await db.schema.createIndex('workflow_definitions_org_status_idx').on('workflow_definitions').columns(['org_id', 'status']).execute();
  await enableTenantRls(db, 'workflow_definitions');

  await db.schema
    .createTable('workflow_versions')
    .addColumn('org_id', 'text', (c) => c.notNull().references('orgs.id').onDelete('cascade'))
    .addColumn('definition_id', 'uuid', (c) => c.notNull().references('workflow_definitions.id').onDelete('cascade'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('nodes', 'jsonb', (c) => c.notNull())
    .addColumn('edges', 'jsonb', (c) => c.notNull())
    .addColumn('input_schema', 'jsonb')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('workflow_versions_pk', ['org_id', 'definition_id', 'version'])
    .execute();
  await enableTenantRls(db, 'workflow_versions');

  await db.schema
    .createTable('workflow_runs')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('org_id', 'text', (c) => c.notNull().references('orgs.id').onDelete('cascade'))
    .addColumn('definition_id', 'uuid', (c) => c.notNull().references('workflow_definitions.id').onDelete('cascade'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) =>
      c
        .notNull()
        .defaultTo('pending')
        .check(sql`status in ('pending', 'running', 'suspended', 'completed', 'failed', 'cancelled')`),
    )
    .addColumn('trigger', 'text', (c) => c.notNull().defaultTo('manual'))
    .addColumn('started_by', 'text', (c) => c.notNull())
    .addColumn('actor', 'jsonb', (c) => c.notNull())
    .addColumn('input', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('output', 'jsonb')
    .addColumn('error', 'text')
    .addColumn('suspended_node', 'text')
    .addColumn('steps_executed', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('max_steps', 'integer', (c) => c.notNull())
    .addColumn('deadline_at', 'timestamptz', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('finished_at', 'timestamptz')
    .execute();
  await db.schema.createIndex('workflow_runs_org_created_idx').on('workflow_runs').columns(['org_id', 'created_at desc', 'id']).execute();
  await db.schema
    .createIndex('workflow_runs_org_definition_idx')
    .on('workflow_runs')
    .columns(['org_id', 'definition_id', 'created_at desc'])
    .execute();
  await enableTenantRls(db, 'workflow_runs');

  await db.schema
    .createTable('workflow_run_steps')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('org_id', 'text', (c) => c.notNull().references('orgs.id').onDelete('cascade'))
    .addColumn('run_id', 'uuid', (c) => c.notNull().references('workflow_runs.id').onDelete('cascade'))
    .addColumn('node_id', 'text', (c) => c.notNull())
    .addColumn('iteration', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('node_type', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) =>
      c
        .notNull()
        .defaultTo('pending')
        .check(sql`status in ('pending', 'running', 'completed', 'failed', 'skipped', 'suspended', 'cancelled', 'compensated')`),
    )
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('output', 'jsonb')
    .addColumn('error', 'text')
    .addColumn('heartbeat_at', 'timestamptz')
    .addColumn('seq', 'bigserial', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('started_at', 'timestamptz')
    .addColumn('finished_at', 'timestamptz')
    .execute();
  // The exactly-once guard: one row per node execution; a re-delivered job finds it completed.
  await db.schema
    .createIndex('workflow_run_steps_unique_idx')
    .on('workflow_run_steps')
    .columns(['org_id', 'run_id', 'node_id', 'iteration'])
    .unique()
    .execute();
  // The recovery sweep looks for running steps whose worker stopped heartbeating.
  await sql`create index workflow_run_steps_stale_idx on workflow_run_steps (heartbeat_at) where status = 'running'`.execute(db);
  await enableTenantRls(db, 'workflow_run_steps');

  await db.schema
    .createTable('workflow_schedules')
    .addColumn('org_id', 'text', (c) => c.notNull().references('orgs.id').onDelete('cascade'))
    .addColumn('definition_id', 'uuid', (c) => c.notNull().references('workflow_definitions.id').onDelete('cascade'))
    .addColumn('cron', 'text', (c) => c.notNull())
    .addColumn('timezone', 'text', (c) => c.notNull().defaultTo('UTC'))
    .addColumn('enabled', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('input', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('created_by', 'text', (c) => c.notNull())
    // The actor scheduled runs act as (a snapshot of who created the schedule).
    .addColumn('actor', 'jsonb', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('workflow_schedules_pk', ['org_id', 'definition_id'])
    .execute();
  await enableTenantRls(db, 'workflow_schedules');
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('workflow_schedules').execute();
  await db.schema.dropTable('workflow_run_steps').execute();
  await db.schema.dropTable('workflow_runs').execute();
  await db.schema.dropTable('workflow_versions').execute();
  await db.schema.dropTable('workflow_definitions').execute();
}
