import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '@cloudnow/shared';
import { countQueries } from '../../db/query-counter.ts';
import { createSandboxProvider } from '../../cloud/sandbox/index.ts';
import { buildTestApp, type TestApp } from '../../../test/harness.ts';
import { createOrg } from '../../../test/factories.ts';
import type { DetectedFinding } from './analysers/index.ts';
import * as repo from './findings.repository.ts';
import { createFindingsService, type FindingsService } from './findings.service.ts';
import { withTenant } from '../../db/tenant.ts';

let t: TestApp;
let service: FindingsService;
const emitted: unknown[] = [];
const events: unknown[] = [];

beforeAll(async () => {
  t = await buildTestApp({ workers: false });
  service = createFindingsService({
    db: () => t.app.db,
    jobs: t.app.jobs,
    events: { publish: async (_n, p) => void events.push(p) },
    cloud: createSandboxProvider(t.app.db),
    emit: async (_o, _t, d) => void emitted.push(d),
  });
});
afterAll(async () => t.close());

async function actor(): Promise<Actor> {
  const org = await createOrg(t.db);
  return { userId: 'u', orgId: org.id, role: 'admin', permissions: ['admin:all'], via: 'session' };
}

function fake(n: number, prefix = 'f'): DetectedFinding[] {
  return Array.from({ length: n }, (_, i) => ({
    fingerprint: `${prefix}:${i}`,
    domain: 'cost',
    rule: 'test',
    severity: i % 2 ? 'low' : 'high',
    confidence: 0.5,
    title: `Finding ${i}`,
    summary: 's',
    impact: 'i',
    recommendation: 'r',
    monthlySaving: i,
    resources: [{ id: `r${i}`, name: `r${i}`, type: 'instance' }],
    charliePrompt: 'p',
    evidence: [{ call: 'x', observed: 'y' }],
  }));
}

describe('findings upsert', () => {
  it.each([1, 100, 1000])('upserts %i findings in ONE statement and resolves the missing in one more', async (n) => {
    const a = await actor();
    const run1 = await withTenant(t.db, a.orgId, (tx) =>
      repo.insertRun(tx, { orgId: a.orgId, domain: 'cost', trigger: 'test', createdBy: null }),
    );
    const first = await countQueries(() => withTenant(t.db, a.orgId, (tx) => repo.upsertFindings(tx, a.orgId, run1!.id, fake(n))));
    expect(first.data).toBe(1);
    expect(first.result.inserted).toHaveLength(n);
    await withTenant(t.db, a.orgId, (tx) => repo.setRun(tx, a.orgId, run1!.id, { status: 'completed' }));
    const run2 = await withTenant(t.db, a.orgId, (tx) =>
      repo.insertRun(tx, { orgId: a.orgId, domain: 'cost', trigger: 'test', createdBy: null }),
    );
    const keep = fake(n).slice(0, Math.ceil(n / 2));
    const second = await countQueries(() =>
      withTenant(t.db, a.orgId, async (tx) => {
        const up = await repo.upsertFindings(tx, a.orgId, run2!.id, keep);
        const resolved = await repo.resolveMissing(tx, a.orgId, 'cost', run2!.id);
        return { up, resolved };
      }),
    );
    expect(second.data).toBe(2);
    expect(second.result.up.inserted).toHaveLength(0);
    expect(second.result.resolved).toBe(n - keep.length);
    const open = await service.list(a, { statuses: ['open'], limit: 500, offset: 0 });
    expect(open.total).toBe(keep.length);
  });
});

describe('advisor runs on the sandbox', () => {
  it('finds idle, over-provisioned, open-SSH/RDP, public-bucket, broad-policy, single-AD and no-backup issues', async () => {
    const a = await actor();
    const { runs } = await service.startRuns(a);
    expect(runs.map((r) => r.domain).sort()).toEqual(['availability', 'cost', 'rightsizing', 'security']);
    await expect(service.startRuns(a, ['cost'])).rejects.toMatchObject({ statusCode: 409 });
    for (const r of runs) await service.executeRun(a.orgId, r.id, r.domain);
    const rules = new Set((await service.list(a, { limit: 500, offset: 0 })).items.map((f) => f.rule));
    for (const rule of [
      'idle-instance',
      'unattached-volume',
      'over-provisioned-instance',
      'open-ssh',
      'open-rdp',
      'public-bucket',
      'over-broad-policy',
      'single-ad',
      'no-backup',
    ]) {
      expect(rules, rule).toContain(rule);
    }
    const security = await service.list(a, { domain: 'security', severities: ['critical'], limit: 50, offset: 0 });
    expect(security.items[0]).toMatchObject({
      severity: 'critical',
      charliePrompt: expect.any(String),
      evidence: [expect.objectContaining({ observed: expect.stringContaining('CIS OCI') })],
    });
    const summary = await service.summary(a);
    expect(summary.totalMonthlySaving).toBeGreaterThan(0);
    expect(summary.domains.find((d) => d.domain === 'security')!.open).toBeGreaterThanOrEqual(4);
    expect(summary.domains.every((d) => d.latestRun && d.latestRun.status === 'completed')).toBe(true);
    expect(emitted.length).toBeGreaterThanOrEqual(4);
    expect(events).toContainEqual(expect.objectContaining({ orgId: a.orgId, status: 'completed', domain: 'cost' }));

    const again = await service.startRuns(a, ['security']);
    await service.executeRun(a.orgId, again.runs[0]!.id, 'security');
    expect((await service.run(a, again.runs[0]!.id)).summary).toMatch(/0 new/);
  });

  it('sets a status with a note and keeps dismissed findings dismissed across runs; other orgs see 404', async () => {
    const a = await actor();
    const { runs } = await service.startRuns(a, ['security']);
    await service.executeRun(a.orgId, runs[0]!.id, 'security');
    const [first] = (await service.list(a, { domain: 'security', limit: 1, offset: 0 })).items;
    expect(await service.setStatus(a, first!.id, 'dismissed', 'accepted risk')).toMatchObject({
      status: 'dismissed',
      statusNote: 'accepted risk',
    });
    const next = await service.startRuns(a, ['security']);
    await service.executeRun(a.orgId, next.runs[0]!.id, 'security');
    expect((await service.get(a, first!.id)).status).toBe('dismissed');
    await expect(service.get(await actor(), first!.id)).rejects.toMatchObject({ statusCode: 404 });
  });
});
