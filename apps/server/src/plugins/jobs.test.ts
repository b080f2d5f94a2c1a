import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job } from 'pg-boss';
import { countQueries } from '../db/query-counter.ts';
import { createJobs } from './jobs.ts';
import { captureLogger } from '../../test/logger.ts';
import { buildTestApp, type TestApp } from '../../test/harness.ts';

declare module './jobs.ts' {
  interface JobMap {
    'test.echo': { n: number };
    'test.tx': { n: number };
  }
}

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp({ workers: true });
  await t.app.jobs.define('test.echo');
  await t.app.jobs.define('test.tx');
});
afterAll(async () => t.close());

describe('jobs (pg-boss on the portal database)', () => {
  it('started once the database was ready, with workers', () => {
    expect(t.app.jobs.started).toBe(true);
    expect(t.app.jobs.workersEnabled).toBe(true);
  });

  it('send → work round trip with a typed payload', async () => {
    const received: Array<Job<{ n: number }>> = [];
    let done!: () => void;
    const handled = new Promise<void>((r) => (done = r));
    await t.app.jobs.work('test.echo', { pollingIntervalSeconds: 0.5 }, async (job) => {
      received.push(job);
      done();
    });
    const id = await t.app.jobs.send('test.echo', { n: 41 });
    expect(id).toBeTruthy();
    await handled;
    expect(received.map((j) => ({ id: j.id, data: j.data }))).toEqual([{ id, data: { n: 41 } }]);
  });

  it('send({ tx }) joins the transaction: rolled back enqueues nothing, committed enqueues one', async () => {
    const { app } = t;
    let rolledBackId: string | null = null;
    await expect(
      app.db.transaction().execute(async (tx) => {
        rolledBackId = await app.jobs.send('test.tx', { n: 1 }, { tx });
        throw new Error('undo');
      }),
    ).rejects.toThrow('undo');
    expect(rolledBackId).toBeTruthy();
    expect(await app.jobs.boss.findJobs('test.tx', { id: rolledBackId! })).toEqual([]);

    const counted = await countQueries(() => app.db.transaction().execute(async (tx) => app.jobs.send('test.tx', { n: 2 }, { tx })));
    // BEGIN, the insert, COMMIT — the job rides the caller's transaction, on its connection
    expect(counted.statements[0]).toBe('begin');
    expect(counted.statements.at(-1)).toBe('commit');
    expect(counted.data).toBe(1);
    const committed = await app.jobs.boss.findJobs<{ n: number }>('test.tx', { id: counted.result! });
    expect(committed.map((j) => j.data)).toEqual([{ n: 2 }]);
    expect((await app.jobs.boss.findJobs('test.tx')).length).toBe(1);
  });

  it('send fails with DATABASE_UNAVAILABLE instead of hanging while the database is not ready', async () => {
    const jobs = createJobs({
      database: () => {
        throw new Error('not ready');
      },
      log: captureLogger().log,
      workersEnabled: false,
      startWaitMs: 20,
    });
    await expect(jobs.send('test.echo', { n: 1 })).rejects.toMatchObject({ code: 'DATABASE_UNAVAILABLE', statusCode: 503 });
    expect(jobs.started).toBe(false);
  });
});
