import { sql, type Kysely } from 'kysely';
import { enableTenantRls } from './_tenant.ts';

/** CloudAdvisor: analysis runs (one active per org and domain) and findings (one row per fingerprint). */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('advisor_runs')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('org_id', 'text', (c) => c.notNull().references('orgs.id').onDelete('cascade'))
    .addColumn('domain', 'text', (c) => c.notNull().check(sql`domain in ('cost', 'rightsizing', 'security', 'availability')`))
    .addColumn('status', 'text', (c) =>
      c
        .notNull()
        .defaultTo('queued')
        .check(sql`status in ('queued', 'running', 'completed', 'failed')`),
    )
    .addColumn('trigger', 'text', (c) => c.notNull().defaultTo('manual'))
    .addColumn('summary', 'text')
    .addColumn('stats', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('error', 'text')
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('finished_at', 'timestamptz')
    .execute();
  await db.schema.createIndex('advisor_runs_org_created_idx').on('advisor_runs').columns(['org_id', 'domain', 'created_at']).execute();
  // One queued or running analysis per org and domain, enforced by the database on every replica.
  await sql`create unique index advisor_runs_one_active_idx on advisor_runs (org_id, domain) where status in ('queued', 'running')`.execute(
    db,
  );
  await enableTenantRls(db, 'advisor_runs');

  await db.schema
    .createTable('findings')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('org_id', 'text', (c) => c.notNull().references('orgs.id').onDelete('cascade'))
    .addColumn('fingerprint', 'text', (c) => c.notNull())
    .addColumn('domain', 'text', (c) => c.notNull())
    .addColumn('rule', 'text', (c) => c.notNull())
    .addColumn('severity', 'text', (c) => c.notNull().check(sql`severity in ('critical', 'high', 'medium', 'low', 'info')`))
    .addColumn('confidence', 'real', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('impact', 'text', (c) => c.notNull())
    .addColumn('recommendation', 'text', (c) => c.notNull())
    .addColumn('monthly_saving', sql`numeric(12, 2)`, (c) => c.notNull().defaultTo(0))
    .addColumn('resources', 'jsonb', (c) => c.notNull())
    .addColumn('charlie_prompt', 'text', (c) => c.notNull())
    .addColumn('evidence', 'jsonb', (c) => c.notNull())
    .addColumn('status', 'text', (c) =>
      c
        .notNull()
        .defaultTo('open')
        .check(sql`status in ('open', 'acknowledged', 'resolved', 'dismissed')`),
    )
    .addColumn('status_note', 'text')
    .addColumn('last_run_id', 'uuid', (c) => c.notNull())
    .addColumn('first_seen_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('last_seen_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('resolved_at', 'timestamptz')
    .addUniqueConstraint('findings_org_fingerprint_uq', ['org_id', 'fingerprint'])
    .execute();
  await db.schema
    .createIndex('findings_org_domain_status_idx')
    .on('findings')
    .columns(['org_id', 'domain', 'status', 'severity'])
    .execute();
  await enableTenantRls(db, 'findings');
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('findings').execute();
  await db.schema.dropTable('advisor_runs').execute();
}
