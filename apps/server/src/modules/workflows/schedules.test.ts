import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildRouteApp, type RouteTestApp } from './route-harness.ts';
import { linearWorkflow } from './test-support.ts';
import { nextRun } from './schedules.service.ts';
import { waitForRun } from './executor-harness.ts';

let t: RouteTestApp;

beforeAll(async () => {
  t = await buildRouteApp();
  t.tools.set('list_instances', () => ({ items: [] }));
});
afterAll(async () => t.close());

describe('nextRun', () => {
  it('honours the time zone', () => {
    const from = new Date('2026-12-03T10:00:00Z');
    expect(nextRun('0 9 * * *', 'UTC', from).toISOString()).toBe('2026-12-04T09:00:00.000Z');
    expect(nextRun('0 9 * * *', 'Europe/Berlin', from).toISOString()).toBe('2026-12-04T08:00:00.000Z');
    expect(nextRun('30 8 * * 1-5', 'America/New_York', from).toISOString()).toBe('2026-12-03T13:30:00.000Z');
  });
});

describe('workflow schedules', () => {
  it('sets a cron schedule with its next run, registers it with pg-boss, disables and removes it', async () => {
    const { headers } = await t.login();
    const d = (await t.app.inject({ method: 'POST', url: '/api/v1/workflows', headers, payload: linearWorkflow('Nightly') })).json();
    const url = `/api/v1/workflows/${d.id}/schedule`;
    const put = await t.app.inject({
      method: 'PUT',
      url,
      headers,
      payload: { cron: '0 2 * * *', timezone: 'Europe/Berlin', input: { a: 1 } },
    });
    expect(put.statusCode).toBe(200);
    expect(put.json()).toMatchObject({ definitionId: d.id, cron: '0 2 * * *', timezone: 'Europe/Berlin', enabled: true, input: { a: 1 } });
    expect(new Date(put.json().nextRunAt).getTime()).toBe(nextRun('0 2 * * *', 'Europe/Berlin').getTime());
    const boss = await t.app.jobs.boss.getSchedules('workflows.scheduled', d.id);
    expect(boss).toEqual([expect.objectContaining({ key: d.id, cron: '0 2 * * *', timezone: 'Europe/Berlin' })]);
    expect((await t.app.inject({ method: 'GET', url, headers })).json().enabled).toBe(true);

    const off = await t.app.inject({
      method: 'PUT',
      url,
      headers,
      payload: { cron: '0 2 * * *', timezone: 'Europe/Berlin', enabled: false },
    });
    expect(off.json()).toMatchObject({ enabled: false, nextRunAt: null });
    expect(await t.app.jobs.boss.getSchedules('workflows.scheduled', d.id)).toEqual([]);

    await t.app.inject({ method: 'PUT', url, headers, payload: { cron: '*/5 * * * *' } });
    expect(await t.app.jobs.boss.getSchedules('workflows.scheduled', d.id)).toHaveLength(1);
    expect((await t.app.inject({ method: 'DELETE', url, headers })).statusCode).toBe(204);
    expect(await t.app.jobs.boss.getSchedules('workflows.scheduled', d.id)).toEqual([]);
    expect((await t.app.inject({ method: 'GET', url, headers })).statusCode).toBe(404);
  });

  it.each([
    [{ cron: 'every day at 9' }, /cron/],
    [{ cron: '0 99 * * *' }, /cron/],
    [{ cron: '0 9 * * *', timezone: 'Mars/Olympus' }, /timezone: unknown time zone 'Mars\/Olympus'/],
  ])('rejects %j with a 400 naming the field', async (body, message) => {
    const { headers } = await t.login();
    const d = (await t.app.inject({ method: 'POST', url: '/api/v1/workflows', headers, payload: linearWorkflow('Bad schedule') })).json();
    const r = await t.app.inject({ method: 'PUT', url: `/api/v1/workflows/${d.id}/schedule`, headers, payload: body });
    expect(r.statusCode).toBe(400);
    expect(r.json().message).toMatch(message);
  });

  it('a firing starts a run as the schedule creator with the stored input; disabled or deleted schedules do not run', async () => {
    const { actor, headers } = await t.login();
    const d = (await t.app.inject({ method: 'POST', url: '/api/v1/workflows', headers, payload: linearWorkflow('Fires') })).json();
    await t.app.inject({
      method: 'PUT',
      url: `/api/v1/workflows/${d.id}/schedule`,
      headers,
      payload: { cron: '0 * * * *', input: { from: 'cron' } },
    });
    const runId = await t.app.workflows.schedules.fire({ orgId: actor.orgId, definitionId: d.id });
    expect(runId).toBeTruthy();
    const r = await waitForRun(t.app, actor, runId!);
    expect(r).toMatchObject({ status: 'completed', trigger: 'schedule', started_by: actor.userId, input: { from: 'cron' } });

    await t.app.inject({
      method: 'PUT',
      url: `/api/v1/workflows/${d.id}/schedule`,
      headers,
      payload: { cron: '0 * * * *', enabled: false },
    });
    expect(await t.app.workflows.schedules.fire({ orgId: actor.orgId, definitionId: d.id })).toBeNull();
    await t.app.inject({ method: 'DELETE', url: `/api/v1/workflows/${d.id}`, headers });
    expect(await t.app.workflows.schedules.fire({ orgId: actor.orgId, definitionId: d.id })).toBeNull();
  });

  it("another org cannot see or change a workflow's schedule", async () => {
    const owner = await t.login();
    const d = (
      await t.app.inject({ method: 'POST', url: '/api/v1/workflows', headers: owner.headers, payload: linearWorkflow('Mine') })
    ).json();
    await t.app.inject({
      method: 'PUT',
      url: `/api/v1/workflows/${d.id}/schedule`,
      headers: owner.headers,
      payload: { cron: '0 * * * *' },
    });
    const other = await t.login();
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/workflows/${d.id}/schedule`, headers: other.headers })).statusCode).toBe(404);
    expect(
      (
        await t.app.inject({
          method: 'PUT',
          url: `/api/v1/workflows/${d.id}/schedule`,
          headers: other.headers,
          payload: { cron: '0 * * * *' },
        })
      ).statusCode,
    ).toBe(404);
    expect((await t.app.inject({ method: 'DELETE', url: `/api/v1/workflows/${d.id}/schedule`, headers: other.headers })).statusCode).toBe(
      404,
    );
  });
});
