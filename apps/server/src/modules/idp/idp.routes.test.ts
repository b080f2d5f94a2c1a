import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countQueries } from '../../db/query-counter.ts';
import { createSecretBox, isSealed } from '../../lib/crypto.ts';
import { TEST_SECRET, type TestApp } from '../../../test/harness.ts';
import { loginAs } from '../../../test/auth.ts';
import { createOrg } from '../../../test/factories.ts';
import { clientSecretContext } from './idp.oauth.ts';
import { FAKE_DNS, buildIdpTestApp, localServer, type IdpTestApp } from './idp.test-support.ts';

let admin: Record<string, string>;
let operator: Record<string, string>;
const SECRET = 'super-secret-client-value-123';

let t: IdpTestApp;
let seq = 0;
const slug = () => `idp-${++seq}-${Math.random().toString(36).slice(2, 8)}`;
const body = (over: Record<string, unknown> = {}) => ({
  slug: slug(),
  label: 'Sign in with Example',
  discoveryUrl: 'https://idp.example.com/.well-known/openid-configuration',
  clientId: 'client-1',
  clientSecret: SECRET,
  adminGroups: ['CloudNow Admins'],
  operatorGroups: ['CloudNow Operators'],
  ...over,
});
const create = (over: Record<string, unknown> = {}) =>
  t.app.inject({ method: 'POST', url: '/api/admin/idp', headers: admin, payload: body(over) });
const rowCount = async () =>
  Number(
    (
      await t.app.db
        .selectFrom('idp_providers')
        .select((e) => e.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

beforeAll(async () => {
  t = await buildIdpTestApp();
  admin = (await loginAs(t as TestApp, { role: 'admin' })).headers;
  operator = (await loginAs(t as TestApp, { role: 'operator' })).headers;
});
afterAll(() => t.close());

describe('admin IdP CRUD', () => {
  it('creates a provider, seals the secret and never returns it', async () => {
    const r = await create();
    expect(r.statusCode).toBe(201);
    const view = r.json();
    expect(view).toMatchObject({
      label: 'Sign in with Example',
      hasClientSecret: true,
      pkce: true,
      scopes: ['openid', 'email', 'profile'],
      enabled: true,
    });
    expect(view.callbackPath).toBe(`/api/auth/callback/${view.slug}`);
    expect(r.body).not.toContain(SECRET);
    expect(r.body).not.toContain('clientSecret');
    const row = await t.app.db.selectFrom('idp_providers').selectAll().where('id', '=', view.id).executeTakeFirstOrThrow();
    expect(row.client_secret).not.toContain(SECRET);
    expect(isSealed(row.client_secret!)).toBe(true);
    expect(createSecretBox(TEST_SECRET).open(row.client_secret!, clientSecretContext(view.id))).toBe(SECRET);
    const got = await t.app.inject({ url: `/api/admin/idp/${view.id}`, headers: admin });
    expect(got.statusCode).toBe(200);
    expect(got.body).not.toContain(SECRET);
  });

  it.each([
    [{ discoveryUrl: undefined }, 400, /^discoveryUrl: required unless/],
    [{ discoveryUrl: undefined, authorizationUrl: 'https://idp.example.com/authorize' }, 400, /discoveryUrl/],
    [{ slug: 'Bad Slug!' }, 400, /^slug: /],
    [{ label: 'x'.repeat(101) }, 400, /^label: /],
    [{ scopes: [] }, 400, /^scopes: /],
    [{ adminGroups: Array.from({ length: 101 }, (_, i) => `g${i}`) }, 400, /^adminGroups: /],
    [{ unknownField: 1 }, 400, /unknownField|Unrecognized/i],
    [{ discoveryUrl: 'https://evil.example.com/.well-known/openid-configuration' }, 400, /^discoveryUrl: .*private or reserved/],
    [{ discoveryUrl: 'http://idp.example.com/.well-known/openid-configuration' }, 400, /^discoveryUrl: only https/],
    [{ tokenUrl: 'https://169.254.169.254/token' }, 400, /^tokenUrl: IP addresses/],
    [{ defaultOrgId: 'no-such-org' }, 400, /^defaultOrgId: org no-such-org does not exist/],
    [{ tenantOrgMap: { acme: 'no-such-org' } }, 400, /^tenantOrgMap\.acme: org no-such-org does not exist/],
  ])('refuses %j with %i naming the field, writing nothing', async (over, status, message) => {
    const before = await rowCount();
    const r = await create(over);
    expect(r.statusCode).toBe(status);
    expect(r.json()).toEqual({ code: expect.any(String), message: expect.stringMatching(message) });
    expect(await rowCount()).toBe(before);
  });

  it('refuses a duplicate slug with 409', async () => {
    const s = slug();
    expect((await create({ slug: s })).statusCode).toBe(201);
    const r = await create({ slug: s });
    expect(r.statusCode).toBe(409);
    expect(r.json().code).toBe('IDP_SLUG_TAKEN');
  });

  it('accepts explicit endpoints, orgs and a tenant map', async () => {
    const [a, b] = [await createOrg(t.app.db), await createOrg(t.app.db)];
    const r = await create({
      discoveryUrl: undefined,
      authorizationUrl: 'https://login.example.org/authorize',
      tokenUrl: 'https://login.example.org/token',
      userInfoUrl: 'https://login.example.org/userinfo',
      tenantClaim: 'tenant',
      tenantOrgMap: { acme: a.id },
      defaultOrgId: b.id,
      clientSecret: undefined,
    });
    expect(r.statusCode).toBe(201);
    expect(r.json()).toMatchObject({ discoveryUrl: null, tenantOrgMap: { acme: a.id }, defaultOrgId: b.id, hasClientSecret: false });
  });

  it('lists with a limit, an offset and the total from one statement', async () => {
    for (let i = 0; i < 3; i++) await create();
    const all = await t.app.inject({ url: '/api/admin/idp?limit=500', headers: admin });
    const total = all.json().total as number;
    expect(total).toBeGreaterThanOrEqual(3);
    const q = await countQueries(async () => await t.app.inject({ url: '/api/admin/idp?limit=2&offset=1', headers: admin }));
    const page = q.result.json();
    expect(page.items).toHaveLength(2);
    expect(page).toMatchObject({ total, limit: 2, offset: 1 });
    expect(page.items[0].id).toBe(all.json().items[1].id);
    expect(q.data).toBe(1);
    expect(q.statements[0]).toMatch(/count\(\*\) over\(\)/);
    expect(q.statements[0]).toMatch(/limit/i);
    expect((await t.app.inject({ url: '/api/admin/idp?limit=501', headers: admin })).json().message).toMatch(/^querystring\.limit: /);
  });

  it('updates fields, keeps the secret unless told, clears it with null', async () => {
    const { id } = (await create()).json();
    const label = await t.app.inject({
      method: 'PATCH',
      url: `/api/admin/idp/${id}`,
      headers: admin,
      payload: { label: 'Renamed', pkce: false },
    });
    expect(label.json()).toMatchObject({ label: 'Renamed', pkce: false, hasClientSecret: true });
    const cleared = await t.app.inject({ method: 'PATCH', url: `/api/admin/idp/${id}`, headers: admin, payload: { clientSecret: null } });
    expect(cleared.json().hasClientSecret).toBe(false);
    const bad = await t.app.inject({ method: 'PATCH', url: `/api/admin/idp/${id}`, headers: admin, payload: { discoveryUrl: null } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toMatch(/^discoveryUrl: required unless/);
    expect((await t.app.inject({ url: `/api/admin/idp/${id}`, headers: admin })).json().discoveryUrl).not.toBeNull();
    const slugChange = await t.app.inject({ method: 'PATCH', url: `/api/admin/idp/${id}`, headers: admin, payload: { slug: 'other' } });
    expect(slugChange.statusCode).toBe(400);
    expect((await t.app.inject({ method: 'PATCH', url: '/api/admin/idp/nope', headers: admin, payload: { label: 'x' } })).statusCode).toBe(
      404,
    );
  });

  it('deletes, then answers 404', async () => {
    const { id } = (await create()).json();
    expect((await t.app.inject({ method: 'DELETE', url: `/api/admin/idp/${id}`, headers: admin })).statusCode).toBe(204);
    const gone = await t.app.inject({ url: `/api/admin/idp/${id}`, headers: admin });
    expect(gone.statusCode).toBe(404);
    expect(gone.json().code).toBe('IDP_NOT_FOUND');
    expect((await t.app.inject({ method: 'DELETE', url: `/api/admin/idp/${id}`, headers: admin })).statusCode).toBe(404);
  });

  it('records every admin change in the audit log, secrets masked', async () => {
    const { id } = (await create({ label: 'Audited' })).json();
    await t.app.inject({
      method: 'PATCH',
      url: `/api/admin/idp/${id}`,
      headers: admin,
      payload: { label: 'Audited 2', clientSecret: 'new-secret-value-xyz' },
    });
    await t.app.inject({ method: 'DELETE', url: `/api/admin/idp/${id}`, headers: admin });
    const r = await t.app.inject({ url: '/api/admin/audit?limit=500', headers: admin });
    expect(r.statusCode).toBe(200);
    const mine = (r.json().items as Array<{ action: string; targetId: string; before: unknown; after: unknown }>).filter(
      (e) => e.targetId === id,
    );
    expect(mine.map((e) => e.action).sort()).toEqual(['idp.create', 'idp.delete', 'idp.update']);
    const update = mine.find((e) => e.action === 'idp.update')!;
    expect(update.before).toMatchObject({ label: 'Audited', clientId: 'client-1' });
    expect(update.after).toMatchObject({ label: 'Audited 2' });
    expect(r.body).not.toContain(SECRET);
    expect(r.body).not.toContain('new-secret-value-xyz');
  });

  it('answers 401 without credentials and 403 without admin:settings', async () => {
    expect((await t.app.inject({ url: '/api/admin/idp' })).statusCode).toBe(401);
    const denied = await t.app.inject({ method: 'POST', url: '/api/admin/idp', headers: operator, payload: body() });
    expect(denied.statusCode).toBe(403);
    expect(denied.json()).toMatchObject({ code: 'FORBIDDEN', message: expect.stringContaining('admin:settings') });
    expect(
      (
        await t.app.inject({
          method: 'POST',
          url: '/api/admin/idp/test',
          headers: operator,
          payload: { discoveryUrl: 'https://idp.example.com/x' },
        })
      ).statusCode,
    ).toBe(403);
  });
});

describe('public provider list', () => {
  it('lists enabled providers through the cache and reflects every change at once', async () => {
    const seen: string[] = [];
    const off = t.app.idp.onChanged((c) => seen.push(`${c.action}:${c.slug}`));
    const first = (await create({ label: 'Button A' })).json();
    const hidden = (await create({ label: 'Hidden', enabled: false })).json();
    const list = async () => (await t.app.inject({ url: '/api/auth/providers' })).json().providers as Array<{ id: string; label: string }>;
    const cold = await countQueries(async () => await t.app.inject({ url: '/api/auth/providers' }));
    expect(cold.data).toBe(1);
    expect(await list()).toContainEqual({ id: first.slug, label: 'Button A' });
    expect((await list()).map((p) => p.id)).not.toContain(hidden.slug);
    const warm = await countQueries(async () => await t.app.inject({ url: '/api/auth/providers' }));
    expect(warm.total).toBe(0);

    await t.app.inject({ method: 'PATCH', url: `/api/admin/idp/${first.id}`, headers: admin, payload: { label: 'Button B' } });
    expect(await list()).toContainEqual({ id: first.slug, label: 'Button B' });
    await t.app.inject({ method: 'PATCH', url: `/api/admin/idp/${hidden.id}`, headers: admin, payload: { enabled: true } });
    expect((await list()).map((p) => p.id)).toContain(hidden.slug);
    await t.app.inject({ method: 'DELETE', url: `/api/admin/idp/${first.id}`, headers: admin });
    expect((await list()).map((p) => p.id)).not.toContain(first.slug);
    await new Promise((r) => setTimeout(r, 50)); // Valkey pub/sub delivers asynchronously
    expect(seen).toEqual(
      expect.arrayContaining([`created:${first.slug}`, `updated:${first.slug}`, `updated:${hidden.slug}`, `deleted:${first.slug}`]),
    );
    off();
  });

  it('builds Better Auth configs of the enabled providers with the secret opened', async () => {
    const p = (await create({ scopes: ['openid', 'email', 'groups'], pkce: true })).json();
    const off = (await create({ enabled: false })).json();
    const configs = await t.app.idp.genericOAuthConfigs();
    const mine = configs.find((c) => c.providerId === p.slug);
    expect(mine).toMatchObject({
      clientId: 'client-1',
      clientSecret: SECRET,
      pkce: true,
      scopes: ['openid', 'email', 'groups'],
      discoveryUrl: p.discoveryUrl,
    });
    expect(configs.find((c) => c.providerId === off.slug)).toBeUndefined();
  });

  it('skips a provider whose host has since started resolving to a private address', async () => {
    FAKE_DNS['flip.example.com'] = ['93.184.216.40'];
    const flip = (await create({ discoveryUrl: 'https://flip.example.com/.well-known/openid-configuration' })).json();
    FAKE_DNS['flip.example.com'] = ['10.1.2.3'];
    const errors: string[] = [];
    const configs = await t.app.idp.genericOAuthConfigs({ onError: (row, err) => errors.push(`${row.slug}: ${(err as Error).message}`) });
    expect(configs.map((c) => c.providerId)).not.toContain(flip.slug);
    expect(errors).toEqual([expect.stringMatching(new RegExp(`^${flip.slug}: url: flip\\.example\\.com resolves to a private`))]);
    await t.app.inject({ method: 'DELETE', url: `/api/admin/idp/${flip.id}`, headers: admin });
  });

  it('skips a provider whose secret cannot be opened, keeping the others', async () => {
    const good = (await create()).json();
    const bad = (await create()).json();
    const foreign = createSecretBox('another-server-secret-another-server-secret').seal('x', clientSecretContext(bad.id));
    await t.app.db.updateTable('idp_providers').set({ client_secret: foreign }).where('id', '=', bad.id).execute();
    const errors: string[] = [];
    const configs = await t.app.idp.genericOAuthConfigs({ onError: (row) => errors.push(row.slug) });
    expect(configs.map((c) => c.providerId)).toContain(good.slug);
    expect(configs.map((c) => c.providerId)).not.toContain(bad.slug);
    expect(errors).toEqual([bad.slug]);
    await t.app.inject({ method: 'DELETE', url: `/api/admin/idp/${bad.id}`, headers: admin });
  });
});

describe('test connection', () => {
  let srv: Awaited<ReturnType<typeof localServer>>;
  beforeAll(async () => {
    srv = await localServer((req, res) => {
      const base = `http://127.0.0.1:${(req.socket.localPort ?? 0).toString()}`;
      const docs: Record<string, unknown> = {
        '/good/.well-known/openid-configuration': {
          issuer: `${base}/good`,
          authorization_endpoint: `${base}/good/authorize`,
          token_endpoint: `${base}/good/token`,
          userinfo_endpoint: `${base}/good/userinfo`,
          jwks_uri: `${base}/good/jwks`,
        },
        '/partial/.well-known/openid-configuration': { issuer: `${base}/partial`, authorization_endpoint: `${base}/a` },
        '/ssrf/.well-known/openid-configuration': {
          issuer: `${base}/ssrf`,
          authorization_endpoint: `${base}/a`,
          token_endpoint: 'https://evil.example.com/token',
        },
      };
      if (req.url === '/broken/.well-known/openid-configuration') return res.end('<html>not json');
      const doc = docs[req.url ?? ''];
      if (!doc) {
        res.statusCode = 500;
        return res.end('{}');
      }
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(doc));
    });
  });
  afterAll(() => srv.close());

  const probe = (payload: object) => t.app.inject({ method: 'POST', url: '/api/admin/idp/test', headers: admin, payload });

  it('validates a good discovery document', async () => {
    const r = await probe({ discoveryUrl: `${srv.url}/good/.well-known/openid-configuration` });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({
      ok: true,
      issuer: `${srv.url}/good`,
      tokenEndpoint: `${srv.url}/good/token`,
      jwksUri: `${srv.url}/good/jwks`,
      error: null,
      warnings: [],
    });
  });

  it.each([
    ['partial', /lacks token_endpoint/],
    ['broken', /not valid JSON/],
    ['missing', /HTTP 500/],
    ['ssrf', /^token_endpoint: .*private or reserved/],
  ])('reports a %s document as not ok', async (name, error) => {
    const r = await probe({ discoveryUrl: `${srv.url}/${name}/.well-known/openid-configuration` });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ ok: false, error: expect.stringMatching(error) });
  });

  it('refuses URLs the SSRF guard refuses, with 400', async () => {
    for (const discoveryUrl of [
      'https://evil.example.com/x',
      'https://rebind.example.com/x',
      'http://idp.example.com/x',
      'https://localhost/x',
    ]) {
      const r = await probe({ discoveryUrl });
      expect(r.statusCode).toBe(400);
      expect(r.json()).toMatchObject({ code: 'UNSAFE_URL', message: expect.stringMatching(/^discoveryUrl: /) });
    }
  });

  it('reports an unreachable provider as not ok', async () => {
    const r = await probe({ discoveryUrl: 'http://127.0.0.1:1/.well-known/openid-configuration' });
    expect(r.json()).toMatchObject({ ok: false, error: expect.stringMatching(/127\.0\.0\.1:1/) });
  });

  it('checks explicit endpoints against the guard', async () => {
    const ok = await probe({ authorizationUrl: 'https://login.example.org/a', tokenUrl: 'https://login.example.org/t' });
    expect(ok.json()).toMatchObject({ ok: true, warnings: [expect.stringMatching(/jwksUrl/)] });
    const bad = await probe({ authorizationUrl: 'https://login.example.org/a', tokenUrl: 'https://evil.example.com/t' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toMatch(/^tokenUrl: /);
  });

  it('tests a stored provider by id', async () => {
    const { id } = (await create()).json();
    await t.app.db
      .updateTable('idp_providers')
      .set({ discovery_url: `${srv.url}/good/.well-known/openid-configuration` })
      .where('id', '=', id)
      .execute();
    const r = await t.app.inject({ method: 'POST', url: `/api/admin/idp/${id}/test`, headers: admin });
    expect(r.json()).toMatchObject({ ok: true });
    expect((await t.app.inject({ method: 'POST', url: '/api/admin/idp/nope/test', headers: admin })).statusCode).toBe(404);
  });
});
