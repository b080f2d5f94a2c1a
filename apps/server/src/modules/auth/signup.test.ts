import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/harness.ts';
import { createOrg } from '../../../test/factories.ts';
import { cookieHeader, markSetupComplete, setSettings, untilCalm } from '../../../test/auth.ts';

let t: TestApp;
let defaultOrg: { id: string };
const signUp = (payload: Record<string, unknown>) => t.app.inject({ method: 'POST', url: '/api/auth/sign-up/email', payload });
const userCount = async (email: string) => (await t.db.selectFrom('users').select('id').where('email', '=', email).execute()).length;

beforeAll(async () => {
  t = await buildTestApp({ workers: false, env: { PRESSURE_MAX_EVENT_LOOP_DELAY_MS: '0' } });
  await untilCalm(t);
  defaultOrg = await createOrg(t.db);
  await markSetupComplete(t, { defaultOrg });
});
afterAll(async () => {
  await t?.close();
});
beforeEach(async () => {
  await setSettings(t, {
    'portal.signup_enabled': true,
    'portal.allowed_domains': [],
    'portal.terms_url': null,
    'portal.privacy_url': null,
  });
});

describe('sign-up, sign-in, sign-out', () => {
  it('refuses sign-up when portal.signup_enabled is false', async () => {
    await setSettings(t, { 'portal.signup_enabled': false });
    const res = await signUp({ email: 'closed@example.com', password: 'long-enough-password', name: 'Closed' });
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ code: 'SIGNUP_DISABLED' });
    expect(await userCount('closed@example.com')).toBe(0);
  });

  it('signs up into the default org as viewer and is signed in', async () => {
    const res = await signUp({ email: 'new@example.com', password: 'long-enough-password', name: 'New' });
    expect(res.statusCode).toBe(200);
    const me = await t.app.inject({ url: '/api/me', headers: { cookie: cookieHeader(res.headers['set-cookie']) } });
    expect(me.json()).toMatchObject({ orgId: defaultOrg.id, role: 'viewer' });
  });

  it('enforces portal.allowed_domains, naming the email field', async () => {
    await setSettings(t, { 'portal.allowed_domains': ['corp.example'] });
    const bad = await signUp({ email: 'x@elsewhere.example', password: 'long-enough-password', name: 'X' });
    expect(bad.statusCode).toBe(403);
    expect(bad.json()).toMatchObject({ code: 'DOMAIN_NOT_ALLOWED', message: expect.stringContaining('email') });
    expect(await userCount('x@elsewhere.example')).toBe(0);
    const good = await signUp({ email: 'y@corp.example', password: 'long-enough-password', name: 'Y' });
    expect(good.statusCode).toBe(200);
  });

  it('requires acceptTerms when a terms or privacy URL is set', async () => {
    await setSettings(t, { 'portal.terms_url': 'https://example.com/terms' });
    const bad = await signUp({ email: 'terms@example.com', password: 'long-enough-password', name: 'T' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'TERMS_NOT_ACCEPTED', message: expect.stringContaining('acceptTerms') });
    const good = await signUp({ email: 'terms@example.com', password: 'long-enough-password', name: 'T', acceptTerms: true });
    expect(good.statusCode).toBe(200);
  });

  it.each([
    [{ email: 'not-an-email', password: 'long-enough-password', name: 'Bad' }, /email/i],
    [{ email: 'short@example.com', password: 'short', name: 'Short' }, /password/i],
    [{ email: 'big@example.com', password: 'long-enough-password', name: 'n'.repeat(500) }, /name/i],
  ])('rejects bad input %# with a 4xx naming the field and writes nothing', async (payload, field) => {
    const res = await signUp(payload);
    expect(res.statusCode).toBeGreaterThanOrEqual(400);
    expect(res.statusCode).toBeLessThan(500);
    expect(res.json()).toMatchObject({ code: expect.any(String), message: expect.stringMatching(field) });
    expect(await userCount(String(payload.email))).toBe(0);
  });

  it('signs in with the right password only, and signs out', async () => {
    await signUp({ email: 'cycle@example.com', password: 'long-enough-password', name: 'Cycle' });
    const wrong = await t.app.inject({
      method: 'POST',
      url: '/api/auth/sign-in/email',
      payload: { email: 'cycle@example.com', password: 'wrong-password-here' },
    });
    expect(wrong.statusCode).toBe(401);
    const ok = await t.app.inject({
      method: 'POST',
      url: '/api/auth/sign-in/email',
      payload: { email: 'cycle@example.com', password: 'long-enough-password' },
    });
    expect(ok.statusCode).toBe(200);
    const headers = { cookie: cookieHeader(ok.headers['set-cookie']) };
    expect((await t.app.inject({ url: '/api/me', headers })).statusCode).toBe(200);
    const out = await t.app.inject({ method: 'POST', url: '/api/auth/sign-out', headers, payload: {} });
    expect(out.statusCode).toBe(200);
    expect((await t.app.inject({ url: '/api/me', headers })).statusCode).toBe(401);
  });

  it('serves only the exposed Better Auth paths', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/auth/organization/create', payload: { name: 'x', slug: 'x' } });
    expect(res.statusCode).toBe(404);
  });
});
