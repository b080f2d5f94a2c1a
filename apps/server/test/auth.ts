import { randomBytes, randomUUID } from 'node:crypto';
import { ROLE_PERMISSIONS, type Actor, type Permission, type Role } from '@cloudnow/shared';
import type { TestApp } from './harness.ts';
import { createOrg } from './factories.ts';
import { setupBypass } from '../src/modules/auth/auth.instance.ts';
import { invalidateMemberships } from '../src/modules/orgs/memberships.ts';
import { API_KEY_DISPLAY_CHARS, hashApiKey } from '../src/modules/access/api-keys.verify.ts';
import { json } from '../src/db/schema.ts';
import { statementTotals } from '../src/db/query-counter.ts';
import '../src/modules/orgs/orgs.tables.ts';
import '../src/modules/access/access.tables.ts';

/** A signed-in test user. `headers` carry the session cookie(s) for `app.inject`. */
export interface Login {
  actor: Actor;
  headers: Record<string, string>;
  user: { id: string; email: string; name: string };
  org: { id: string };
  password: string;
}

/** The cookie header for a response's Set-Cookie values (name=value pairs only). */
export function cookieHeader(setCookie: string | string[] | undefined): string {
  const list = Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : [];
  return list.map((c) => c.split(';')[0]).join('; ');
}

/**
 * Creates a user (through Better Auth, so the password and account rows are real), an org (a fresh
 * one unless `org` is given) and a membership with `role` (default operator); the session is the
 * real one Better Auth creates at sign-up. Bypasses the sign-up policy the way the setup wizard does.
 */
export async function loginAs(t: TestApp, opts: { role?: Role; org?: { id: string }; email?: string } = {}): Promise<Login> {
  const role = opts.role ?? 'operator';
  const email = opts.email ?? `user-${randomUUID().slice(0, 8)}@example.com`;
  const password = 'correct-horse-battery';
  const name = email.split('@')[0]!;
  const org = opts.org ?? (await createOrg(t.db));
  const created = await setupBypass.run(true, () => t.app.auth.api.signUpEmail({ body: { email, password, name }, returnHeaders: true }));
  const userId = created.response.user.id;
  await t.db.insertInto('org_members').values({ id: randomUUID(), org_id: org.id, user_id: userId, role }).execute();
  await invalidateMemberships(t.app.cache, userId);
  const headers = { cookie: cookieHeader(created.headers.getSetCookie()) };
  const actor: Actor = { userId, orgId: org.id, role, permissions: ROLE_PERMISSIONS[role], via: 'session' };
  return { actor, headers, user: { id: userId, email, name }, org: { id: org.id }, password };
}

/**
 * Creates an API key for `login`'s user in its org with `permissions` (inserted directly: tests of
 * the create route use the route) and returns the secret and headers (`Authorization: Bearer`).
 */
export async function apiKeyFor(
  t: TestApp,
  login: Login,
  permissions: Permission[],
  opts: { expiresAt?: Date | null } = {},
): Promise<{ key: string; id: string; headers: Record<string, string> }> {
  const key = `cn_${randomBytes(32).toString('base64url')}`;
  const row = await t.db
    .insertInto('api_keys')
    .values({
      org_id: login.org.id,
      user_id: login.user.id,
      name: 'test key',
      prefix: key.slice(0, API_KEY_DISPLAY_CHARS),
      key_hash: hashApiKey(key),
      permissions: json(permissions),
      expires_at: opts.expiresAt ?? null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { key, id: row.id, headers: { authorization: `Bearer ${key}` } };
}

/**
 * Marks setup complete (what the wizard ends with) so plain sign-up follows the portal settings;
 * `defaultOrg` becomes the org new sign-ups join.
 */
export async function markSetupComplete(t: TestApp, opts: { defaultOrg?: { id: string } } = {}): Promise<void> {
  await t.app.settings.write(
    {
      'setup.completed': true,
      'setup.ai_provider': { kind: 'offline' },
      ...(opts.defaultOrg ? { 'portal.default_org_id': opts.defaultOrg.id } : {}),
    },
    null,
  );
  t.app.setupToken.invalidate();
}

/** Sets portal settings directly (tests of enforcement; the admin route is tested on its own). */
export async function setSettings(t: TestApp, patch: Parameters<TestApp['app']['settings']['write']>[0]): Promise<void> {
  await t.app.settings.write(patch, null);
}

/**
 * Waits (≤ 5 s) until under-pressure stops reporting an unsampled event loop: right after a heavy
 * boot on a loaded machine its first reading is "Infinity" and every route answers 503.
 */
export async function untilCalm(t: TestApp): Promise<void> {
  for (let i = 0; i < 250 && t.app.isUnderPressure(); i++) await new Promise((r) => setTimeout(r, 20));
}

/**
 * Statements the whole process sent while `fn` ran (process-wide counters, so run nothing else
 * concurrently). Used instead of `countQueries` around `app.inject`: Fastify's inject does not
 * carry the AsyncLocalStorage scope into the request (even on a bare Fastify instance), so a
 * scoped count of an injected request reads 0 whatever the route does.
 */
export async function countProcessStatements<T>(
  fn: () => Promise<T>,
): Promise<{ result: T; data: number; overhead: number; total: number }> {
  const before = { ...statementTotals };
  const result = await fn();
  const data = statementTotals.data - before.data;
  const overhead = statementTotals.overhead - before.overhead;
  return { result, data, overhead, total: data + overhead };
}
