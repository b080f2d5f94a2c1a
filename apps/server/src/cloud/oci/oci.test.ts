import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOciProvider } from './index.ts';
import { createTestIdentity, startStandIn, type TestIdentity } from './stand-in.test-helper.ts';
import { translateOciError } from './errors.ts';
import { findTool } from '../catalogue/index.ts';
import type { ToolContext } from '../catalogue/types.ts';
import { mapLimit } from './storage.ts';

let id: TestIdentity;
let other: TestIdentity;
let standIn: Awaited<ReturnType<typeof startStandIn>>;

const INSTANCE = {
  id: 'ocid1.instance.oc1.eu-frankfurt-1.aaaaweb1',
  displayName: 'web-1',
  compartmentId: 'ocid1.tenancy.oc1..aaaaaaaatesttenancy',
  availabilityDomain: 'Uocm:EU-FRANKFURT-1-AD-1',
  faultDomain: 'FAULT-DOMAIN-2',
  shape: 'VM.Standard.E4.Flex',
  shapeConfig: { ocpus: 2, memoryInGBs: 16 },
  imageId: 'ocid1.image.oc1.eu-frankfurt-1.aaaaimg',
  lifecycleState: 'RUNNING',
  timeCreated: '2026-11-01T10:00:00.000Z',
  region: 'eu-frankfurt-1',
  metadata: { ssh_authorized_keys: 'ssh-rsa AAAA… secret-ish' },
};

beforeAll(async () => {
  id = await createTestIdentity();
  other = await createTestIdentity();
  standIn = await startStandIn(id, [
    (req, url) => (req.method === 'GET' && url.pathname === '/20160918/instances' ? { status: 200, body: [INSTANCE] } : undefined),
    (req, url) =>
      req.method === 'POST' && url.pathname === `/20160918/instances/${INSTANCE.id}` && url.searchParams.get('action') === 'SOFTSTOP'
        ? { status: 200, body: { ...INSTANCE, lifecycleState: 'STOPPING' } }
        : undefined,
    (req, url) =>
      req.method === 'GET' && (url.pathname === '/n' || url.pathname === '/n/') ? { status: 200, body: 'frtestns' } : undefined,
    (req, url) =>
      req.method === 'GET' && url.pathname.replace(/\/$/, '') === '/n/frtestns/b'
        ? {
            status: 200,
            body: [
              { name: 'public-site', namespace: 'frtestns', compartmentId: id.tenancy, timeCreated: '2026-10-01T00:00:00Z', etag: 'x' },
            ],
          }
        : undefined,
    (req, url) =>
      req.method === 'GET' && url.pathname === '/n/frtestns/b/public-site'
        ? {
            status: 200,
            body: {
              name: 'public-site',
              namespace: 'frtestns',
              compartmentId: id.tenancy,
              publicAccessType: 'ObjectRead',
              storageTier: 'Standard',
              versioning: 'Disabled',
              approximateCount: 12,
              approximateSize: 3456,
              timeCreated: '2026-10-01T00:00:00Z',
            },
          }
        : undefined,
  ]);
});
afterAll(async () => {
  await standIn.close();
  await id.cleanup();
  await other.cleanup();
});

const provider = (configFile: string) =>
  createOciProvider(
    { auth: 'config', configFile, profile: 'DEFAULT', region: null, compartmentId: null },
    { endpoint: standIn.url, retries: 'none' },
  );

describe('OCI adapter against a signed stand-in', () => {
  it('lists instances with a verified signature, in the sandbox slim shape', async () => {
    const before = standIn.seen.length;
    const page = await provider(id.configFile).listInstances({ lifecycleState: 'RUNNING' });
    expect(page).toEqual({
      items: [
        {
          id: INSTANCE.id,
          name: 'web-1',
          compartmentId: INSTANCE.compartmentId,
          availabilityDomain: INSTANCE.availabilityDomain,
          faultDomain: 'FAULT-DOMAIN-2',
          shape: 'VM.Standard.E4.Flex',
          ocpus: 2,
          memoryGb: 16,
          imageId: INSTANCE.imageId,
          lifecycleState: 'RUNNING',
          timeCreated: '2026-11-01T10:00:00.000Z',
        },
      ],
      count: 1,
    });
    const req = standIn.seen.slice(before);
    expect(req).toHaveLength(1);
    expect(req[0]!.signed).toBe(true);
    expect(req[0]!.signedHeaders).toEqual(expect.arrayContaining(['(request-target)', 'host']));
    const q = new URL(req[0]!.url, 'http://x').searchParams;
    expect(q.get('compartmentId')).toBe(id.tenancy); // no compartment configured: the tenancy from the profile
    expect(q.get('lifecycleState')).toBe('RUNNING');
  });

  it('stops an instance with a signed POST action=SOFTSTOP (body headers signed too)', async () => {
    const before = standIn.seen.length;
    const inst = await provider(id.configFile).instanceAction(INSTANCE.id, 'STOP');
    expect(inst.lifecycleState).toBe('STOPPING');
    const req = standIn.seen.slice(before);
    expect(req.map((r) => [r.method, r.signed])).toEqual([['POST', true]]);
    expect(req[0]!.signedHeaders).toEqual(expect.arrayContaining(['x-content-sha256', 'content-length', 'content-type']));
  });

  it('lists buckets (namespace resolved once) with their public access', async () => {
    const p = provider(id.configFile);
    const page = await p.listBuckets();
    expect(page.items).toEqual([
      {
        name: 'public-site',
        namespace: 'frtestns',
        compartmentId: id.tenancy,
        publicAccessType: 'ObjectRead',
        storageTier: 'Standard',
        versioning: 'Disabled',
        approximateCount: 12,
        approximateSizeBytes: 3456,
        timeCreated: '2026-10-01T00:00:00.000Z',
      },
    ]);
    const before = standIn.seen.length;
    await p.listBuckets();
    expect(standIn.seen.slice(before).map((r) => new URL(r.url, 'http://x').pathname.replace(/\/$/, ''))).toEqual([
      '/n/frtestns/b',
      '/n/frtestns/b/public-site',
    ]);
  });

  it('runs catalogue tools on the OCI adapter with the same result shapes', async () => {
    const ctx = { actor: {} as ToolContext['actor'], cloud: provider(id.configFile), signal: new AbortController().signal };
    const list = findTool('list_instances')!;
    const out = (await list.execute(ctx, list.input.parse({}))) as { items: { name: string }[]; count: number };
    expect(out.count).toBe(1);
    expect(out.items[0]!.name).toBe('web-1');
    const pub = findTool('find_public_buckets')!;
    expect(await pub.execute(ctx, pub.input.parse({}))).toMatchObject({
      count: 1,
      items: [{ name: 'public-site', publicAccessType: 'ObjectRead' }],
    });
  });

  it('bounds concurrent bucket reads and keeps their order', async () => {
    let inFlight = 0;
    let peak = 0;
    const out = await mapLimit([...Array(20).keys()], 3, async (i) => {
      peak = Math.max(peak, ++inFlight);
      await new Promise((r) => setImmediate(r));
      inFlight--;
      return i * 2;
    });
    expect(out).toEqual([...Array(20).keys()].map((i) => i * 2));
    expect(peak).toBe(3);
  });

  it('translates a 404 into a readable CLOUD_API_ERROR with status 404', async () => {
    const err = await provider(id.configFile)
      .getInstance('ocid1.instance.oc1.eu-frankfurt-1.aaaamissing')
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'CLOUD_API_ERROR', statusCode: 404 });
    expect((err as Error).message).toMatch(
      /^OCI compute \(get instance\): instance ocid1\.instance\.oc1\.eu-frankfurt-1\.aaaamissing was not found, or the configured OCI user is not authorised to see it/,
    );
    expect((err as Error).message).toMatch(/\(404 NotAuthorizedOrNotFound, request req-\d+\)$/);
  });

  it('answers 401 to a request signed with another key, translated to a 502 naming the credentials', async () => {
    const before = standIn.seen.length;
    const err = await provider(other.configFile)
      .listInstances()
      .catch((e: unknown) => e);
    expect(standIn.seen.slice(before).map((r) => r.signed)).toEqual([false]);
    expect(err).toMatchObject({ code: 'CLOUD_API_ERROR', statusCode: 502 });
    expect((err as Error).message).toContain('OCI compute (list instances): OCI did not accept the request signature');
    expect((err as Error).message).toContain('(401 NotAuthenticated');
  });

  it('reports a missing config file as a 503 naming the profile', async () => {
    const err = await provider('/nonexistent/oci-config')
      .listVcns()
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'CLOUD_API_ERROR', statusCode: 503 });
    expect((err as Error).message).toContain('profile DEFAULT of /nonexistent/oci-config');
  });

  it('maps transport failures and OCI 5xx to 502 and keeps 409 and 429', () => {
    expect(translateOciError(new Error('fetch failed'), 'networking', 'list VCNs', 'x')).toMatchObject({
      statusCode: 502,
      message: 'OCI networking (list VCNs): could not reach the endpoint',
    });
    expect(
      translateOciError({ statusCode: 500, serviceCode: 'InternalServerError', message: 'boom' }, 'database', 'get', 'x'),
    ).toMatchObject({ statusCode: 502 });
    expect(
      translateOciError(
        { statusCode: 409, serviceCode: 'IncorrectState', message: 'Instance is stopping' },
        'compute',
        'start instance',
        'instance i',
      ),
    ).toMatchObject({
      statusCode: 409,
      message:
        'OCI compute (start instance): instance i is not in a state that allows this right now: Instance is stopping (409 IncorrectState)',
    });
    expect(translateOciError({ statusCode: 429, serviceCode: 'TooManyRequests', message: '' }, 'compute', 'list', 'x')).toMatchObject({
      statusCode: 429,
    });
  });
});
