import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countQueries } from '../src/db/query-counter.ts';
import { buildTestApp, type TestApp } from './harness.ts';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp({ workers: false });
});
afterAll(async () => t.close());

describe('countQueries around app.inject', () => {
  it('counts the statements a request sends (here: the /readyz ping)', async () => {
    const counted = await countQueries(() => t.app.inject({ url: '/readyz' }));
    expect(counted.result.statusCode).toBe(200);
    expect(counted.data).toBe(1);
    expect(counted.statements[0]).toMatch(/select 1/);
  });

  it('counts nothing for a request that sends nothing', async () => {
    const counted = await countQueries(() => t.app.inject({ url: '/healthz' }));
    expect(counted.result.statusCode).toBe(200);
    expect(counted.total).toBe(0);
  });
});
