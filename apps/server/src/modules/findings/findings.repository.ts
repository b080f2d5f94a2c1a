import { sql, type Selectable } from 'kysely';
import type { Executor } from '../../db/tenant.ts';
import { toPage } from '../../db/database.ts';
import type { DetectedFinding } from './analysers/index.ts';
import type { AdvisorRunsTable, Domain, FindingStatus, FindingsTable, Severity } from './findings.tables.ts';

export type FindingRow = Selectable<FindingsTable>;
export type RunRow = Selectable<AdvisorRunsTable>;

/** Findings one run may write (one statement: 15 parameters a row stays under PostgreSQL's 65,535). */
export const FINDINGS_PER_RUN_MAX = 4000;

/** Creates a queued run, or returns null when one is already queued or running for the domain. */
export async function insertRun(
  ex: Executor,
  r: { orgId: string; domain: Domain; trigger: string; createdBy: string | null },
): Promise<RunRow | null> {
  const row = await ex
    .insertInto('advisor_runs')
    .values({ org_id: r.orgId, domain: r.domain, trigger: r.trigger, created_by: r.createdBy })
    .onConflict((oc) => oc.columns(['org_id', 'domain']).where('status', 'in', ['queued', 'running']).doNothing())
    .returningAll()
    .executeTakeFirst();
  return row ?? null;
}

export async function setRun(
  ex: Executor,
  orgId: string,
  id: string,
  patch: { status: 'running' | 'completed' | 'failed'; summary?: string; stats?: string; error?: string },
): Promise<void> {
  await ex
    .updateTable('advisor_runs')
    .set({ ...patch, ...(patch.status === 'running' ? {} : { finished_at: sql<Date>`now()` }) })
    .where('org_id', '=', orgId)
    .where('id', '=', id)
    .execute();
}

/** Replaces a finished run's summary (the optional AI pass, after the run committed). */
export async function setRunSummary(ex: Executor, orgId: string, id: string, summary: string, stats: string): Promise<void> {
  await ex.updateTable('advisor_runs').set({ summary, stats }).where('org_id', '=', orgId).where('id', '=', id).execute();
}

export async function findRun(ex: Executor, orgId: string, id: string): Promise<RunRow | undefined> {
  return ex.selectFrom('advisor_runs').selectAll().where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst();
}

/**
 * Upserts a run's findings in ONE statement (`INSERT … ON CONFLICT (org_id, fingerprint) DO
 * UPDATE`): new ones are inserted open; known ones are refreshed, and a finding that had been
 * resolved automatically is reopened (dismissed and acknowledged ones keep their status).
 * Returns the ids of findings that are new.
 */
export async function upsertFindings(
  ex: Executor,
  orgId: string,
  runId: string,
  found: readonly DetectedFinding[],
): Promise<{ inserted: string[]; total: number }> {
  if (found.length === 0) return { inserted: [], total: 0 };
  const rows = found.slice(0, FINDINGS_PER_RUN_MAX);
  const values = sql.join(
    rows.map(
      (f) =>
        sql`(${orgId}, ${f.fingerprint}, ${f.domain}, ${f.rule}, ${f.severity}, ${f.confidence}::real, ${f.title}, ${f.summary}, ${f.impact}, ${f.recommendation}, ${f.monthlySaving}::numeric, ${JSON.stringify(f.resources)}::jsonb, ${f.charliePrompt}, ${JSON.stringify(f.evidence)}::jsonb, ${runId}::uuid)`,
    ),
  );
  const r = await sql<{ id: string; inserted: boolean }>`
    insert into findings (org_id, fingerprint, domain, rule, severity, confidence, title, summary, impact, recommendation, monthly_saving, resources, charlie_prompt, evidence, last_run_id)
    values ${values}
    on conflict (org_id, fingerprint) do update set
      severity = excluded.severity, confidence = excluded.confidence, title = excluded.title, summary = excluded.summary,
      impact = excluded.impact, recommendation = excluded.recommendation, monthly_saving = excluded.monthly_saving,
      resources = excluded.resources, charlie_prompt = excluded.charlie_prompt, evidence = excluded.evidence,
      last_run_id = excluded.last_run_id, last_seen_at = now(),
      status = case when findings.status = 'resolved' then 'open' else findings.status end,
      resolved_at = case when findings.status = 'resolved' then null else findings.resolved_at end
    returning id, (xmax = 0) as inserted`.execute(ex);
  return { inserted: r.rows.filter((x) => x.inserted).map((x) => x.id), total: r.rows.length };
}

/** Resolves, in ONE statement, the open findings of a domain that this run no longer detected. */
export async function resolveMissing(ex: Executor, orgId: string, domain: Domain, runId: string): Promise<number> {
  const r = await ex
    .updateTable('findings')
    .set({ status: 'resolved', resolved_at: sql<Date>`now()`, status_note: 'No longer detected' })
    .where('org_id', '=', orgId)
    .where('domain', '=', domain)
    .where('status', 'in', ['open', 'acknowledged'])
    .where('last_run_id', '!=', runId)
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

export interface FindingFilter {
  domain?: Domain | undefined;
  severities?: readonly Severity[] | undefined;
  statuses?: readonly FindingStatus[] | undefined;
  limit: number;
  offset: number;
}

/** A page of findings, most severe and most valuable first, with the total from the same query. */
export async function listFindings(ex: Executor, orgId: string, f: FindingFilter): Promise<{ items: FindingRow[]; total: number }> {
  let q = ex
    .selectFrom('findings')
    .selectAll()
    .select(sql<string>`count(*) over()`.as('total'))
    .where('org_id', '=', orgId);
  if (f.domain) q = q.where('domain', '=', f.domain);
  if (f.severities?.length) q = q.where('severity', 'in', [...f.severities]);
  if (f.statuses?.length) q = q.where('status', 'in', [...f.statuses]);
  const rows = await q
    .orderBy(sql`array_position(array['critical','high','medium','low','info'], severity)`)
    .orderBy('monthly_saving', 'desc')
    .orderBy('id')
    .limit(f.limit)
    .offset(f.offset)
    .execute();
  return toPage(rows);
}

export async function findFinding(ex: Executor, orgId: string, id: string): Promise<FindingRow | undefined> {
  return ex.selectFrom('findings').selectAll().where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst();
}

export async function setFindingStatus(
  ex: Executor,
  orgId: string,
  id: string,
  status: FindingStatus,
  note: string | null,
): Promise<FindingRow | undefined> {
  return ex
    .updateTable('findings')
    .set({ status, status_note: note, resolved_at: status === 'resolved' ? sql<Date>`now()` : null })
    .where('org_id', '=', orgId)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
}

/** The summary in ONE query: open counts and savings by domain and severity, plus the latest run per domain. */
export async function summary(ex: Executor, orgId: string) {
  const r = await sql<{ domain: string; severity: string | null; open: string; saving: string | null; latest_run: unknown }>`
    select d.domain, f.severity, count(f.id) as open, sum(f.monthly_saving) as saving,
           (select to_jsonb(r) from (select id, status, summary, created_at, finished_at from advisor_runs
              where org_id = ${orgId} and domain = d.domain order by created_at desc limit 1) r) as latest_run
      from unnest(array['cost','rightsizing','security','availability']) as d(domain)
      left join findings f on f.org_id = ${orgId} and f.domain = d.domain and f.status in ('open', 'acknowledged')
     group by grouping sets ((d.domain), (d.domain, f.severity))`.execute(ex);
  return r.rows;
}
