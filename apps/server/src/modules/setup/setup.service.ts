import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import type { z } from 'zod';
import type { Cache } from '../../plugins/cache.ts';
import type { DB } from '../../db/schema.ts';
import { withTenant } from '../../db/tenant.ts';
import { BadRequest, Conflict } from '../../errors.ts';
import type { Actor } from '@cloudnow/shared';
import type { AuthManager } from '../../plugins/auth.ts';
import { recordAdminChange, type SetupActor } from '../admin-audit/admin-audit.service.ts';
import { setupBypass } from '../auth/auth.instance.ts';
import { invalidateMemberships } from '../orgs/memberships.ts';
import { insertMember, insertOrg } from '../orgs/orgs.repository.ts';
import type { SettingsService } from '../settings/settings.service.ts';
import type { aiChoiceBody, aiTestBody, createAdminBody, PROVIDER_TYPES } from './setup.schemas.ts';
import type { AiProvidersService } from '../ai-providers/ai-providers.service.ts';
import type { ProviderRegistry } from '../../agent/provider-registry.ts';
import type { SetupToken } from './setup.token.ts';

/** What the setup services need. */
export interface SetupDeps {
  db: () => Kysely<DB>;
  cache: Pick<Cache, 'getOrFetch' | 'del'>;
  settings: SettingsService;
  auth: Pick<AuthManager, 'api'>;
  token: SetupToken;
  /** The AI providers module (registered after setup; resolved on use). */
  providers: () => Pick<AiProvidersService, 'create' | 'update' | 'get'>;
  /** Live connection tests. */
  models: () => Pick<ProviderRegistry, 'test'>;
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
const PROVIDER_NAMES: Record<(typeof PROVIDER_TYPES)[number], string> = {
  oci: 'OCI Generative AI',
  openai: 'OpenAI',
  'openai-compatible': 'OpenAI-compatible',
  anthropic: 'Anthropic',
  google: 'Google Gemini',
  azure: 'Azure OpenAI',
};

/**
 * Records the wizard's AI choice. A provider choice is saved as a real AI provider (key sealed,
 * the chosen model its default; id = the provider type, updated if the wizard runs the step again);
 * the setting keeps the choice without the key.
 */
export async function chooseAi(deps: SetupDeps, choice: z.infer<typeof aiChoiceBody>): Promise<void> {
  const admin = await firstAdmin(deps);
  if (!admin) throw new Conflict('Create the admin account first');
  if (choice.kind === 'provider') {
    if (choice.providerType === 'openai-compatible' && !choice.baseUrl) throw new BadRequest('baseUrl: required for openai-compatible');
    if (choice.providerType === 'oci' && !choice.region) throw new BadRequest('region: required for OCI Generative AI');
    const actor: Actor = { userId: admin.userId, orgId: admin.orgId, role: 'admin', permissions: ['admin:all'], via: 'session' };
    const fields = {
      name: PROVIDER_NAMES[choice.providerType],
      baseUrl: choice.baseUrl,
      region: choice.region,
      models: [choice.model],
      defaultModel: choice.model,
      options: {},
      enabled: true,
      ...(choice.apiKey ? { apiKey: choice.apiKey } : {}),
    };
    const providers = deps.providers();
    const exists = await providers.get(choice.providerType).then(
      () => true,
      () => false,
    );
    if (exists) await providers.update(actor, choice.providerType, fields);
    else await providers.create(actor, { id: choice.providerType, type: choice.providerType, ...fields });
  }
  const recorded =
    choice.kind === 'offline'
      ? choice
      : { kind: choice.kind, providerType: choice.providerType, baseUrl: choice.baseUrl, model: choice.model };
  await withTenant(deps.db(), admin.orgId, async (tx) => {
    await deps.settings.write({ 'setup.ai_provider': recorded }, admin.userId, tx);
    await recordAdminChange(tx, admin, {
      action: 'setup.ai_provider',
      targetType: 'settings',
      targetId: 'setup.ai_provider',
      after: recorded,
    });
  });
  await deps.settings.invalidate();
}

/**
 * The wizard's "Test" button: a live call to the provider with the chosen model (the key never
 * appears in the answer). Values a provider cannot work without are reported without a call.
 */
export async function testAi(deps: Pick<SetupDeps, 'models'>, input: z.infer<typeof aiTestBody>) {
  if (input.providerType === 'openai-compatible' && !input.baseUrl)
    return { ok: false, message: 'baseUrl: required for openai-compatible', checked: 'format' as const };
  if (input.providerType === 'oci' && !input.region && !input.baseUrl)
    return { ok: false, message: 'region: required for OCI Generative AI', checked: 'format' as const };
  const { ok, message, checked } = await deps.models().test(
    {
      id: 'setup-test',
      type: input.providerType,
      baseUrl: input.baseUrl ?? null,
      region: input.region ?? null,
      apiKey: input.apiKey ?? null,
      options: {},
    },
    input.model,
  );
  return { ok, message, checked };
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
