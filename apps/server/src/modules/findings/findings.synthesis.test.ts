import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MockLanguageModelV4 } from 'ai/test';
import type { Actor } from '@cloudnow/shared';
import { createSandboxProvider } from '../../cloud/sandbox/index.ts';
import { buildTestApp, type TestApp } from '../../../test/harness.ts';
import { createOrg } from '../../../test/factories.ts';
import { createFindingsService } from './findings.service.ts';
import { createRunSynthesizer, type SynthesisModel } from './findings.synthesis.ts';
import { startAdvisorWorkers } from './findings.module.ts';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp({ workers: false });
});
afterAll(async () => t.close());

const usage = { inputTokens: { total: 3, noCache: 3, cacheRead: 0, cacheWrite: 0 }, outputTokens: { total: 5, text: 5, reasoning: 0 } };
const textModel = (text: string) =>
  new MockLanguageModelV4({
    doGenerate: { content: [{ type: 'text', text }], finishReason: { unified: 'stop', raw: 'stop' }, usage, warnings: [] },
  });

async function runWith(model: SynthesisModel) {
  const service = createFindingsService({
    db: () => t.app.db,
    jobs: t.app.jobs,
    events: { publish: async () => {} },
    cloud: createSandboxProvider(t.app.db),
    synthesize: createRunSynthesizer({ model, log: t.app.log }),
  });
  await startAdvisorWorkers(t.app.jobs, service);
  const org = await createOrg(t.db);
  const a: Actor = { userId: 'u', orgId: org.id, role: 'admin', permissions: ['admin:all'], via: 'session' };
  const { runs } = await service.startRuns(a, ['security']);
  await service.executeRun(a.orgId, runs[0]!.id, 'security');
  return service.run(a, runs[0]!.id);
}

describe('the optional AI summary of an advisor run', () => {
  it("replaces the rules' summary with the configured model's, from the run's findings", async () => {
    const model = textModel('  Close SSH to the internet first; then make the public bucket private.  ');
    const run = await runWith(async () => ({ model, id: 'mock:analyst' }));
    expect(run.status).toBe('completed');
    expect(run.summary).toBe('Close SSH to the internet first; then make the public bucket private.');
    expect(run.stats).toMatchObject({ summarySource: 'ai', summaryModel: 'mock:analyst', found: expect.any(Number) });
    const prompt = JSON.stringify(model.doGenerateCalls[0]!.prompt);
    expect(prompt).toContain('security finding(s)');
    expect(prompt).toMatch(/\[critical\]/);
  });

  it("keeps the rules' summary with only the offline model, or when the model fails", async () => {
    const offline = await runWith(async () => null);
    expect(offline.summary).toMatch(/^\d+ security finding\(s\): \d+ new/);
    expect(offline.stats).toMatchObject({ summarySource: 'rules' });

    const broken = new MockLanguageModelV4({
      doGenerate: async () => {
        throw new Error('provider down');
      },
    });
    const failed = await runWith(async () => ({ model: broken, id: 'mock:broken' }));
    expect(failed.status).toBe('completed');
    expect(failed.summary).toMatch(/security finding\(s\)/);
    expect(failed.stats).toMatchObject({ summarySource: 'rules' });
  });
});
