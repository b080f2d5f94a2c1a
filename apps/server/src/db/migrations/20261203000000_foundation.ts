import { sql, type Kysely } from 'kysely';
import { APP_ROLE, enableTenantRls } from './_tenant.ts';

/** Foundation: the app role, pgvector where available, orgs and the event outbox. */
export async function up(db: Kysely<any>): Promise<void> {
  const available = await sql<{ n: number }>`select count(*)::int as n from pg_available_extensions where name = 'vector'`.execute(db);
  if ((available.rows[0]?.n ?? 0) > 0) {
    await sql`create extension if not exists vector`.execute(db);
  }
  await sql
    .raw(
      `do $$ begin
      if not exists (select 1 from pg_roles where rolname = '${APP_ROLE}') then
        create role ${APP_ROLE} nologin;
      end if;
    end $$`,
    )
    .execute(db);
  // The connecting user must be able to SET ROLE to the app role (a no-op for superusers).
  await sql
    .raw(
      `do $$ begin
      if not pg_has_role(current_user, '${APP_ROLE}', 'member') then
        execute format('grant ${APP_ROLE} to %I', current_user);
      end if;
    end $$`,
    )
    .execute(db);
  await sql.raw(`grant usage on schema public to ${APP_ROLE}`).execute(db);
  await sql.raw(`alter default privileges in schema public grant select, insert, update, delete on tables to ${APP_ROLE}`).execute(db);
  await sql.raw(`alter default privileges in schema public grant usage, select on sequences to ${APP_ROLE}`).execute(db);

  await db.schema
    .createTable('orgs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('slug', 'text', (c) => c.notNull().unique())
    .addColumn('logo', 'text')
    .addColumn('metadata', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('event_log')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('org_id', 'text', (c) => c.notNull().references('orgs.id').onDelete('cascade'))
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('payload', 'jsonb', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('event_log_org_created_idx').on('event_log').columns(['org_id', 'created_at']).execute();
  await enableTenantRls(db, 'event_log');
  await sql.raw(`grant select, insert, update, delete on all tables in schema public to ${APP_ROLE}`).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('event_log').execute();
  await db.schema.dropTable('orgs').execute();
}
