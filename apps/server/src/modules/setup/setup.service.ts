import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import type { z } from 'zod';
import type { Cache } from '../../plugins/cache.ts';
import type { DB } from '../../db/schema.ts';
import { withTenant } from '../../db/tenant.ts';
import { Conflict } from '../../errors.ts';
import type { AuthManager } from '../../plugins/auth.ts';
import { recordAdminChange, type SetupActor } from '../admin-audit/admin-audit.service.ts';
import { setupBypass } from '../auth/auth.instance.ts';
import { invalidateMemberships } from '../orgs/memberships.ts';
import { insertMember, insertOrg } from '../orgs/orgs.repository.ts';
import type { SettingsService } from '../settings/settings.service.ts';
import type { aiChoiceBody, aiTestBody, createAdminBody } from './setup.schemas.ts';
import type { SetupToken } from './setup.token.ts';

/** What the setup services need. */
export interface SetupDeps {
  db: () => Kysely<DB>;
  cache: Pick<Cache, 'getOrFetch' | 'del'>;
  settings: SettingsService;
  auth: Pick<AuthManager, 'api'>;
  token: SetupToken;
}

/** The first admin (oldest admin membership of the default org), if any. */
async function firstAdmin(deps: SetupDeps): Promise<SetupActor | null> {
  const orgId = await deps.settings.get('portal.default_org_id');
  if (!orgId) return null;
  const row = await deps
    .db()
    .selectFrom('org_members')
    .select('user_id')
    .where('org_id', '=', orgId)
    .where('role', '=', 'admin')
    .orderBy('created_at')
    .limit(1)
    .executeTakeFirst();
  return row ? { userId: row.user_id, orgId, via: 'setup' } : null;
}

/** Booleans only: what the wizard shows. */
export async function setupStatus(deps: SetupDeps) {
  const s = await deps.settings.all();
  return {
    setupComplete: s['setup.completed'],
    adminCreated: s['portal.default_org_id'] !== null,
    aiProviderConfigured: s['setup.ai_provider'] !== null,
  };
}

/** What the wizard can pre-fill: kinds and presence flags, never values of secrets or env variables. */
export function detectEnv(info: { database: 'pglite' | 'postgres'; vector: boolean; cache: 'memory' | 'valkey'; publicUrl: string }) {
  return { ...info, ociConfigFile: existsSync(join(homedir(), '.oci', 'config')), nodeVersion: process.version };
}

/**
 * Creates the first admin account (through Better Auth, bypassing the sign-up policy) and its org,
 * makes that org the default for later sign-ups, and audits it. 409 once an admin exists. Returns
 * Better Auth's Set-Cookie headers: the admin is signed in.
 */
export async function createAdmin(deps: SetupDeps, input: z.infer<typeof createAdminBody>) {
  if ((await setupStatus(deps)).adminCreated) throw new Conflict('An admin account already exists');
  const res = await setupBypass.run(true, () =>
    deps.auth.api.signUpEmail({ body: { email: input.email, password: input.password, name: input.name }, returnHeaders: true }),
  );
  const userId = res.response.user.id;
  const orgId = randomUUID();
  await withTenant(deps.db(), orgId, async (tx) => {
    await insertOrg(tx, { id: orgId, name: input.orgName, slug: `org-${orgId.slice(0, 8)}` });
    await insertMember(tx, { id: randomUUID(), org_id: orgId, user_id: userId, role: 'admin' });
    await deps.settings.write({ 'portal.default_org_id': orgId }, userId, tx);
    await recordAdminChange(
      tx,
      { userId, orgId, via: 'setup' },
      { action: 'setup.admin_create', targetType: 'user', targetId: userId, after: { email: input.email } },
    );
  });
  await Promise.all([deps.settings.invalidate(), invalidateMemberships(deps.cache, userId)]);
  return { userId, orgId, cookies: res.headers.getSetCookie() };
}

/** Stores the AI choice (no secrets) for the AI providers module to take over. Needs the admin first. */
export async function chooseAi(deps: SetupDeps, choice: z.infer<typeof aiChoiceBody>): Promise<void> {
  const admin = await firstAdmin(deps);
  if (!admin) throw new Conflict('Create the admin account first');
  await withTenant(deps.db(), admin.orgId, async (tx) => {
    await deps.settings.write({ 'setup.ai_provider': choice }, admin.userId, tx);
    await recordAdminChange(tx, admin, {
      action: 'setup.ai_provider',
      targetType: 'settings',
      targetId: 'setup.ai_provider',
      after: choice,
    });
  });
  await deps.settings.invalidate();
}

/**
 * STUB — a format check only, no network call (the AI providers module replaces it with a real
 * connection test): `oci` uses the instance's default auth; the others need a key of ≥ 20
 * characters; `openai-compatible` needs a base URL.
 */
export function testAi(input: z.infer<typeof aiTestBody>) {
  const checked = 'format' as const;
  if (input.providerType === 'oci') return { ok: true, message: 'OCI Generative AI uses the default OCI authentication', checked };
  if (input.providerType === 'openai-compatible' && !input.baseUrl)
    return { ok: false, message: 'baseUrl: required for openai-compatible', checked };
  if ((input.apiKey ?? '').length < 20) return { ok: false, message: 'apiKey: looks too short (at least 20 characters)', checked };
  return { ok: true, message: 'The settings look well-formed (no connection was attempted)', checked };
}

/** Completes setup (admin + AI choice required) and invalidates the token. */
export async function completeSetup(deps: SetupDeps): Promise<void> {
  const status = await setupStatus(deps);
  const admin = await firstAdmin(deps);
  if (!admin || !status.aiProviderConfigured)
    throw new Conflict('Create the admin account and choose an AI provider (or the offline model) first');
  await withTenant(deps.db(), admin.orgId, async (tx) => {
    await deps.settings.write({ 'setup.completed': true }, admin.userId, tx);
    await recordAdminChange(tx, admin, { action: 'setup.complete', targetType: 'settings', targetId: 'setup.completed', after: true });
  });
  await deps.settings.invalidate();
  deps.token.invalidate();
}
