import { it } from 'vitest';
import { buildTestApp } from './harness.ts';
import { createOrg } from './factories.ts';
import { createSandboxProvider } from '../src/cloud/sandbox/index.ts';
import { createFindingsService } from '../src/modules/findings/findings.service.ts';
it('probe', async () => {
  const t = await buildTestApp({ workers: false });
  const org = await createOrg(t.db);
  const s = createFindingsService({ db: () => t.app.db, jobs: t.app.jobs, events: t.app.events, cloud: createSandboxProvider(t.db) });
  const a = { userId: 'u', orgId: org.id, role: 'admin', permissions: ['admin:all'], via: 'session' } as const;
  console.log('PROBE jobs started', t.app.jobs.started);
  const t0 = Date.now();
  const r = await s.startRuns(a as never);
  console.log('PROBE startRuns', Date.now() - t0, JSON.stringify(r));
  for (const run of r.runs) { const t1 = Date.now(); await s.executeRun(org.id, run.id, run.domain); console.log('PROBE exec', run.domain, Date.now() - t1); }
  await t.close();
}, 120000);
