import { sql, type Kysely } from 'kysely';
import { enableTenantRls } from './_tenant.ts';

/** Tool gate: per-org tool policies, persisted approvals and the tool-execution audit trail. */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('tool_policies')
    .addColumn('org_id', 'text', (c) => c.primaryKey().references('orgs.id').onDelete('cascade'))
    .addColumn('include', 'jsonb', (c) => c.notNull().defaultTo(sql`'["*"]'::jsonb`))
    .addColumn('exclude', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('rules', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('updated_by', 'text')
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await enableTenantRls(db, 'tool_policies');

  await db.schema
    .createTable('tool_approvals')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('org_id', 'text', (c) => c.notNull().references('orgs.id').onDelete('cascade'))
    .addColumn('tool', 'text', (c) => c.notNull())
    .addColumn('args', 'jsonb', (c) => c.notNull())
    .addColumn('args_hash', 'text', (c) => c.notNull())
    .addColumn('risk', 'text', (c) => c.notNull())
    .addColumn('via', 'text', (c) => c.notNull())
    .addColumn('thread_id', 'text')
    .addColumn('requested_by', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('pending'))
    .addColumn('decided_by', 'text')
    .addColumn('decided_at', 'timestamptz')
    .addColumn('reason', 'text')
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('consumed_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('tool_approvals_status_check', sql`status in ('pending', 'approved', 'denied', 'expired')`)
    .execute();
  await db.schema.createIndex('tool_approvals_org_status_idx').on('tool_approvals').columns(['org_id', 'status', 'created_at']).execute();
  await db.schema
    .createIndex('tool_approvals_org_thread_idx')
    .on('tool_approvals')
    .columns(['org_id', 'thread_id', 'tool'])
    .where(sql.ref('thread_id'), 'is not', null)
    .execute();
  // The expiry sweep spans orgs (one UPDATE for every org), so this partial index leads with expires_at.
  await db.schema
    .createIndex('tool_approvals_pending_expiry_idx')
    .on('tool_approvals')
    .column('expires_at')
    .where(sql.ref('status'), '=', 'pending')
    .execute();
  await enableTenantRls(db, 'tool_approvals');

  await db.schema
    .createTable('tool_executions')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('org_id', 'text', (c) => c.notNull().references('orgs.id').onDelete('cascade'))
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('api_key_id', 'text')
    .addColumn('via', 'text', (c) => c.notNull())
    .addColumn('tool', 'text', (c) => c.notNull())
    .addColumn('args', 'jsonb', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('approval_id', 'uuid')
    .addColumn('approver_id', 'text')
    .addColumn('duration_ms', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('error_code', 'text')
    .addColumn('error', 'text')
    .addColumn('thread_id', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('tool_executions_org_created_idx').on('tool_executions').columns(['org_id', 'created_at']).execute();
  await db.schema
    .createIndex('tool_executions_org_thread_idx')
    .on('tool_executions')
    .columns(['org_id', 'thread_id', 'created_at'])
    .execute();
  await db.schema.createIndex('tool_executions_org_user_idx').on('tool_executions').columns(['org_id', 'user_id', 'created_at']).execute();
  await enableTenantRls(db, 'tool_executions');
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('tool_executions').execute();
  await db.schema.dropTable('tool_approvals').execute();
  await db.schema.dropTable('tool_policies').execute();
}
