import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { openDatabase, type Database } from '../../db/database.ts';
import { countQueries } from '../../db/query-counter.ts';
import { createTestDatabase, type TestDatabase } from '../../../test/harness.ts';
import { createOrg } from '../../../test/factories.ts';
import { createSandboxProvider } from './index.ts';
import { generateTenancy } from './seed.ts';
import { TRANSITION_MS } from './context.ts';

let tdb: TestDatabase;
let database: Database;

beforeAll(async () => {
  tdb = await createTestDatabase();
  database = await openDatabase(tdb.settings);
});
afterAll(async () => {
  await database.close();
  await tdb.drop();
});

/** A clock the test moves by hand. */
function clock(start = Date.parse('2026-12-03T10:00:00Z')) {
  let t = start;
  return { now: () => new Date(t), advance: (ms: number) => (t += ms) };
}

describe('sandbox seed', () => {
  it('generates the same tenancy for the same org id and a different one for another', () => {
    const a1 = generateTenancy('org-a');
    const a2 = generateTenancy('org-a');
    const b = generateTenancy('org-b');
    expect(a1).toEqual(a2);
    expect(b.map((r) => r.id)).not.toEqual(a1.map((r) => r.id));
    const layout = (rows: typeof a1) => rows.filter((r) => r.kind !== 'tenancy').map((r) => `${r.kind}:${r.name}`);
    expect(layout(a1)).toEqual(layout(b));
    expect(a1.find((r) => r.kind === 'instance')!.id).toMatch(/^ocid1\.instance\.oc1\.eu-frankfurt-1\.[a-z0-9]{60}$/);
    expect(a1.find((r) => r.kind === 'policy')!.id).toMatch(/^ocid1\.policy\.oc1\.\.[a-z0-9]{60}$/);
  });

  it('seeds lazily in one batched INSERT and reads the stored tenancy back', async () => {
    const org = await createOrg(database.db);
    const cloud = createSandboxProvider(database.db).forOrg(org.id);
    const first = await countQueries(() => cloud.listInstances());
    const inserts = first.statements.filter((s) => /^insert/i.test(s));
    expect(inserts).toHaveLength(1);
    expect(first.data).toBe(3); // seeded? + insert + list
    const seeded = generateTenancy(org.id).filter((r) => r.kind === 'instance');
    expect((await cloud.listInstances()).items.map((i) => i.id).sort()).toEqual(seeded.map((r) => r.id).sort());
    const again = await countQueries(() => createSandboxProvider(database.db).forOrg(org.id).listVcns());
    expect(again.statements.filter((s) => /^insert/i.test(s))).toHaveLength(0);
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from cloud_sandbox_resources where org_id = ${org.id}`.execute(
      database.db,
    );
    expect(rows[0]!.n).toBe(generateTenancy(org.id).length);
  });

  it('seeds once when two replicas touch a new org at the same time', async () => {
    const org = await createOrg(database.db);
    const [a, b] = await Promise.all([
      createSandboxProvider(database.db).forOrg(org.id).listBuckets(),
      createSandboxProvider(database.db).forOrg(org.id).listBuckets(),
    ]);
    expect(a).toEqual(b);
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from cloud_sandbox_resources where org_id = ${org.id}`.execute(
      database.db,
    );
    expect(rows[0]!.n).toBe(generateTenancy(org.id).length);
  });

  it('seeds again after a first call that failed (its transaction rolled the seed back)', async () => {
    const org = await createOrg(database.db);
    const cloud = createSandboxProvider(database.db).forOrg(org.id);
    await expect(cloud.getInstance('ocid1.instance.oc1.eu-frankfurt-1.missing')).rejects.toMatchObject({ statusCode: 404 });
    expect((await cloud.listInstances()).count).toBe(10);
  });

  it('keeps each org in its own tenancy (RLS through withTenant)', async () => {
    const a = await createOrg(database.db);
    const b = await createOrg(database.db);
    const pa = createSandboxProvider(database.db).forOrg(a.id);
    const pb = createSandboxProvider(database.db).forOrg(b.id);
    const ia = (await pa.listInstances()).items[0]!;
    await pb.listInstances();
    await expect(pb.getInstance(ia.id)).rejects.toMatchObject({ code: 'CLOUD_NOT_FOUND', statusCode: 404 });
  });
});

describe('sandbox lifecycle', () => {
  it('stops an instance with one UPDATE, persists across providers and reaches STOPPED after the transition time', async () => {
    const org = await createOrg(database.db);
    const c = clock();
    const factory = createSandboxProvider(database.db, { now: c.now });
    const cloud = factory.forOrg(org.id);
    const web = (await cloud.listInstances({ lifecycleState: 'RUNNING' })).items.find((i) => i.name === 'web-1')!;
    const counted = await countQueries(() => cloud.instanceAction(web.id, 'STOP'));
    expect(counted.data).toBe(1);
    expect(counted.statements.filter((s) => /^update/i.test(s))).toHaveLength(1);

    const fresh = createSandboxProvider(database.db, { now: c.now }).forOrg(org.id);
    expect((await fresh.getInstance(web.id)).lifecycleState).toBe('STOPPING');
    c.advance(TRANSITION_MS.instanceStop - 1);
    expect((await fresh.getInstance(web.id)).lifecycleState).toBe('STOPPING');
    c.advance(1);
    expect((await fresh.getInstance(web.id)).lifecycleState).toBe('STOPPED');
    expect((await fresh.listInstances({ lifecycleState: 'STOPPED' })).items.map((i) => i.id)).toContain(web.id);
    await expect(fresh.instanceAction(web.id, 'STOP')).rejects.toMatchObject({ code: 'CLOUD_CONFLICT', statusCode: 409 });
    expect((await fresh.instanceAction(web.id, 'START')).lifecycleState).toBe('STARTING');
  });

  it('answers 404 for an unknown instance and 409 for detaching twice', async () => {
    const org = await createOrg(database.db);
    const cloud = createSandboxProvider(database.db).forOrg(org.id);
    await expect(cloud.getInstance('ocid1.instance.oc1.eu-frankfurt-1.nope')).rejects.toMatchObject({ statusCode: 404 });
    const att = (await cloud.listVolumeAttachments()).items[0]!;
    const detached = await cloud.detachBlockVolume(att.id);
    expect(detached).toMatchObject({ id: att.id, instanceId: att.instanceId, lifecycleState: 'DETACHED' });
    await expect(cloud.detachBlockVolume(att.id)).rejects.toMatchObject({ statusCode: 404 });
    expect((await cloud.listBlockVolumes({ unattachedOnly: true })).items.map((v) => v.id)).toContain(att.volumeId);
  });
});

describe('advisor-relevant data', () => {
  it('contains idle, over-provisioned, open SSH/RDP, a public bucket, a broad policy, orphan volumes, single AD and an ADB without backups', async () => {
    const org = await createOrg(database.db);
    const cloud = createSandboxProvider(database.db).forOrg(org.id);
    const week = await cloud.summarizeUtilization({ days: 7 });
    expect(week.items.filter((u) => u.cpuMax < 5).length).toBeGreaterThanOrEqual(2);
    const fortnight = await cloud.summarizeUtilization({ days: 14 });
    expect(fortnight.items.filter((u) => u.cpuMax >= 5 && u.cpuMax < 20 && u.memoryMax < 40).length).toBeGreaterThanOrEqual(2);

    const lists = (await cloud.listSecurityLists()).items;
    const open = lists.flatMap((l) => l.ingressRules).filter((r) => r.cidr === '0.0.0.0/0');
    expect(open.map((r) => r.portMin)).toEqual(expect.arrayContaining([22, 3389]));
    expect((await cloud.listBuckets()).items.some((b) => b.publicAccessType !== 'NoPublicAccess')).toBe(true);
    const statements = (await cloud.listPolicies()).items.flatMap((p) => p.statements);
    expect(statements).toContain('allow group Developers to manage all-resources in tenancy');
    expect((await cloud.listBlockVolumes({ unattachedOnly: true })).count).toBeGreaterThanOrEqual(2);

    const compartments = (await cloud.listCompartments()).items;
    const prod = compartments.find((c) => c.name === 'prod')!;
    const prodAds = new Set((await cloud.listInstances({ compartmentId: prod.id })).items.map((i) => i.availabilityDomain));
    expect(prodAds.size).toBe(1);

    const adbs = (await cloud.listAutonomousDatabases()).items.filter((a) => !a.isFreeTier);
    const backups = await Promise.all(adbs.map((a) => cloud.listAutonomousDatabaseBackups(a.id)));
    expect(backups.some((b) => b.count === 0)).toBe(true);
    expect(backups.some((b) => b.count > 0)).toBe(true);
  });

  it('generates metric series deterministically from the seed', async () => {
    const org = await createOrg(database.db);
    const c = clock();
    const a = createSandboxProvider(database.db, { now: c.now }).forOrg(org.id);
    const idle = (await a.listInstances()).items.find((i) => i.name === 'dev-build-1')!;
    const s1 = await a.getInstanceMetrics({ instanceId: idle.id, metric: 'CpuUtilization', days: 7, resolution: '1h' });
    const s2 = await createSandboxProvider(database.db, { now: c.now })
      .forOrg(org.id)
      .getInstanceMetrics({ instanceId: idle.id, metric: 'CpuUtilization', days: 7, resolution: '1h' });
    expect(s1.points).toHaveLength(168);
    expect(s2).toEqual(s1);
    expect(s1.summary.max).toBeLessThan(5);
    const daily = await a.getInstanceMetrics({ instanceId: idle.id, metric: 'MemoryUtilization', days: 30, resolution: '1d' });
    expect(daily.points).toHaveLength(30);
  });

  it('reports daily cost by service for N days', async () => {
    const org = await createOrg(database.db);
    const cloud = createSandboxProvider(database.db, { now: clock().now }).forOrg(org.id);
    const costs = await cloud.getDailyCosts({ days: 7 });
    const services = new Set(costs.items.map((r) => r.service));
    expect(services.has('Compute')).toBe(true);
    expect(costs.items).toHaveLength(7 * services.size);
    expect(costs.items.every((r) => r.cost >= 0)).toBe(true);
  });
});
