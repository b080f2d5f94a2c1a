import { sql, type Kysely, type Selectable } from 'kysely';
import { fromKysely } from 'pg-boss';
import { CronExpressionParser } from 'cron-parser';
import type { Actor } from '@cloudnow/shared';
import type { DB } from '../../db/schema.ts';
import { json } from '../../db/schema.ts';
import { APP_ROLE, withTenant } from '../../db/tenant.ts';
import type { Jobs } from '../../plugins/jobs.ts';
import type { FastifyBaseLogger } from 'fastify';
import * as defs from './definitions.repository.ts';
import type { RunsService } from './runs.service.ts';
import { ScheduleInvalid, WorkflowNotFound } from './workflows.errors.ts';
import { scheduleBody, type ScheduleInput } from './workflows.schemas.ts';
import type { WorkflowSchedulesTable } from './workflows.tables.ts';
import { formatIssues } from '../../plugins/errors.ts';

export type ScheduleRow = Selectable<WorkflowSchedulesTable>;
/** A schedule as the API shows it: the row plus the next time it fires (null when disabled). */
export type ScheduleView = ScheduleRow & { nextRunAt: Date | null };

const QUEUE = 'workflows.scheduled';

/** The next time a cron expression fires after `from`, in `tz`; throws SCHEDULE_INVALID on a bad cron. */
export function nextRun(cron: string, tz: string, from: Date = new Date()): Date {
  try {
    return CronExpressionParser.parse(cron, { tz, currentDate: from }).next().toDate();
  } catch (err) {
    throw new ScheduleInvalid(`cron: ${(err as Error).message}`);
  }
}

function checkTimezone(tz: string): void {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
  } catch {
    throw new ScheduleInvalid(`timezone: unknown time zone '${tz}'`);
  }
}

/**
 * Cron schedules per workflow on pg-boss schedules (key = definition id). The row and the pg-boss
 * schedule change in ONE transaction. A firing looks the row up again: disabled, deleted or
 * archived workflows do not run (and a schedule whose row is gone removes itself).
 */
export function createSchedulesService(deps: { db: () => Kysely<DB>; jobs: Jobs; runs: RunsService; log: FastifyBaseLogger }) {
  const view = (r: ScheduleRow): ScheduleView => ({ ...r, nextRunAt: r.enabled ? nextRun(r.cron, r.timezone) : null });

  async function withBoss(
    tx: Parameters<Parameters<typeof withTenant>[2]>[0],
    fn: (db: ReturnType<typeof fromKysely>) => Promise<unknown>,
  ): Promise<void> {
    await sql`reset role`.execute(tx);
    try {
      await fn(fromKysely(tx));
    } finally {
      await sql`select set_config('role', ${APP_ROLE}, true)`.execute(tx);
    }
  }

  return {
    /** Creates or replaces the workflow's schedule; 400 naming the field on a bad cron or zone. */
    async set(actor: Actor, definitionId: string, input: ScheduleInput): Promise<ScheduleView> {
      const parsed = scheduleBody.safeParse(input);
      if (!parsed.success) throw new ScheduleInvalid(formatIssues(parsed.error.issues));
      const s = parsed.data;
      checkTimezone(s.timezone);
      nextRun(s.cron, s.timezone);
      const row = await withTenant(deps.db(), actor.orgId, async (tx) => {
        if (!(await defs.findDefinition(tx, actor.orgId, definitionId))) throw new WorkflowNotFound(definitionId);
        const values = {
          org_id: actor.orgId,
          definition_id: definitionId,
          cron: s.cron,
          timezone: s.timezone,
          enabled: s.enabled,
          input: json(s.input),
          created_by: actor.userId,
          actor: json({ userId: actor.userId, orgId: actor.orgId, role: actor.role, permissions: [...actor.permissions], via: actor.via }),
        };
        const row = await tx
          .insertInto('workflow_schedules')
          .values(values)
          .onConflict((oc) => oc.columns(['org_id', 'definition_id']).doUpdateSet({ ...values, updated_at: sql<Date>`now()` }))
          .returningAll()
          .executeTakeFirstOrThrow();
        await withBoss(tx, (db) =>
          s.enabled
            ? deps.jobs.boss.schedule(QUEUE, s.cron, { orgId: actor.orgId, definitionId }, { tz: s.timezone, key: definitionId, db })
            : deps.jobs.boss.unschedule(QUEUE, definitionId, { db }),
        );
        return row;
      });
      return view(row);
    },

    /** The workflow's schedule with its next run time; 404 when there is none. */
    async get(actor: Actor, definitionId: string): Promise<ScheduleView> {
      const row = await withTenant(deps.db(), actor.orgId, (tx) =>
        tx
          .selectFrom('workflow_schedules')
          .selectAll()
          .where('org_id', '=', actor.orgId)
          .where('definition_id', '=', definitionId)
          .executeTakeFirst(),
      );
      if (!row) throw new WorkflowNotFound(`${definitionId} schedule`);
      return view(row);
    },

    /** Removes the schedule (row and pg-boss schedule). */
    async remove(actor: Actor, definitionId: string): Promise<void> {
      await withTenant(deps.db(), actor.orgId, async (tx) => {
        const r = await tx
          .deleteFrom('workflow_schedules')
          .where('org_id', '=', actor.orgId)
          .where('definition_id', '=', definitionId)
          .executeTakeFirst();
        if (!Number(r.numDeletedRows)) throw new WorkflowNotFound(`${definitionId} schedule`);
        await withBoss(tx, (db) => deps.jobs.boss.unschedule(QUEUE, definitionId, { db }));
      });
    },

    /** A firing (`workflows.scheduled` job): starts a run as the schedule's creator, if still enabled. */
    async fire(job: { orgId: string; definitionId: string }): Promise<string | null> {
      const row = await withTenant(deps.db(), job.orgId, (tx) =>
        tx
          .selectFrom('workflow_schedules')
          .selectAll()
          .where('org_id', '=', job.orgId)
          .where('definition_id', '=', job.definitionId)
          .executeTakeFirst(),
      );
      if (!row) {
        await deps.jobs.unschedule(QUEUE, job.definitionId);
        return null;
      }
      if (!row.enabled) return null;
      try {
        const run = await deps.runs.start(row.actor as unknown as Actor, job.definitionId, row.input, 'schedule');
        return run.id;
      } catch (err) {
        deps.log.warn({ err, definitionId: job.definitionId }, 'workflows: scheduled run not started');
        return null;
      }
    },
  };
}

export type SchedulesService = ReturnType<typeof createSchedulesService>;
