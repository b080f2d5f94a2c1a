import { sql, type Kysely } from 'kysely';

/**
 * Identity providers (OIDC) for SSO. Portal-level, not tenant-owned: a provider is needed before
 * anyone is signed in (the sign-in page, the callback) and one provider can feed several orgs
 * through `tenant_org_map`, so it has no org_id and no RLS; portal admins manage it.
 * `client_secret` holds a sealed envelope (lib/crypto.ts), never plaintext.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('idp_providers')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('slug', 'text', (c) => c.notNull().unique())
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('discovery_url', 'text')
    .addColumn('authorization_url', 'text')
    .addColumn('token_url', 'text')
    .addColumn('userinfo_url', 'text')
    .addColumn('jwks_url', 'text')
    .addColumn('client_id', 'text', (c) => c.notNull())
    .addColumn('client_secret', 'text')
    .addColumn('scopes', 'jsonb', (c) => c.notNull().defaultTo(sql`'["openid","email","profile"]'::jsonb`))
    .addColumn('pkce', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('admin_groups', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('operator_groups', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('groups_claim', 'text', (c) => c.notNull().defaultTo('groups'))
    .addColumn('tenant_claim', 'text')
    .addColumn('tenant_org_map', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('default_org_id', 'text', (c) => c.references('orgs.id').onDelete('set null'))
    .addColumn('enabled', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint(
      'idp_providers_endpoints',
      sql`discovery_url is not null or (authorization_url is not null and token_url is not null)`,
    )
    .execute();
  // The sign-in page and every replica's auth reload read the enabled ones, in a stable order.
  await db.schema.createIndex('idp_providers_enabled_idx').on('idp_providers').columns(['enabled', 'created_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('idp_providers').execute();
}
