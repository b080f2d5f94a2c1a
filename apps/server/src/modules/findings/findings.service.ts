import type { Kysely } from 'kysely';
import type { Actor } from '@cloudnow/shared';
import type { CloudProviderFactory } from '../../cloud/provider.ts';
import type { DB } from '../../db/schema.ts';
import { json } from '../../db/schema.ts';
import { toCount } from '../../db/database.ts';
import { withSystem, withTenant } from '../../db/tenant.ts';
import type { EventBus } from '../../plugins/events.ts';
import type { Jobs } from '../../plugins/jobs.ts';
import { Conflict, NotFound } from '../../errors.ts';
import { analysers as defaultAnalysers, type Analyser } from './analysers/index.ts';
import * as repo from './findings.repository.ts';
import type { FindingRow } from './findings.repository.ts';
import { DOMAINS, type Domain, type FindingStatus } from './findings.tables.ts';
import type { RunSynthesizer } from './findings.synthesis.ts';

declare module '../../plugins/jobs.ts' {
  interface JobMap {
    /** One analysis run of one domain for one org. */
    'advisor.run': { orgId: string; runId: string; domain: Domain };
    /** The scheduled sweep of one domain over every org. */
    'advisor.schedule': { domain: Domain };
  }
}

declare module '../../plugins/events.ts' {
  interface EventMap {
    /** Progress of an advisor run (UI and SSE subscribers). */
    'advisor.run': {
      orgId: string;
      runId: string;
      domain: Domain;
      status: 'running' | 'completed' | 'failed';
      found?: number;
      created?: number;
      resolved?: number;
    };
  }
}

export interface FindingsDeps {
  db: () => Kysely<DB>;
  jobs: Pick<Jobs, 'send' | 'sendMany'>;
  events: Pick<EventBus, 'publish'>;
  cloud: CloudProviderFactory;
  /** Webhook producer for `finding.created`. */
  emit?: (orgId: string, type: 'finding.created', data: unknown) => Promise<unknown>;
  analysers?: Record<Domain, Analyser>;
  /** The optional AI pass that rewrites a finished run's summary. */
  synthesize?: RunSynthesizer;
}

/** A finding as the API shows it. */
export function findingView(f: FindingRow) {
  return {
    id: f.id,
    domain: f.domain,
    rule: f.rule,
    severity: f.severity,
    confidence: f.confidence,
    title: f.title,
    summary: f.summary,
    impact: f.impact,
    recommendation: f.recommendation,
    monthlySaving: Number(f.monthly_saving),
    resources: f.resources,
    charliePrompt: f.charlie_prompt,
    evidence: f.evidence,
    status: f.status,
    statusNote: f.status_note,
    firstSeenAt: new Date(f.first_seen_at).toISOString(),
    lastSeenAt: new Date(f.last_seen_at).toISOString(),
  };
}

/**
 * CloudAdvisor: runs (on demand → 202, or on schedule) execute the deterministic analysers of a
 * domain over the org's tenancy in a worker; findings are upserted in one statement and the ones
 * no longer detected resolved in one more; progress goes out on the event bus.
 */
export function createFindingsService(deps: FindingsDeps) {
  const db = deps.db;
  const analysers = deps.analysers ?? defaultAnalysers;

  return {
    /** Queues one run per requested domain; domains with a run in progress are reported, not queued. */
    async startRuns(actor: Actor, domains: readonly Domain[] = DOMAINS) {
      const result = await withTenant(db(), actor.orgId, async (tx) => {
        const runs = [];
        const busy: Domain[] = [];
        for (const domain of new Set(domains)) {
          const run = await repo.insertRun(tx, { orgId: actor.orgId, domain, trigger: 'manual', createdBy: actor.userId });
          if (run) runs.push(run);
          else busy.push(domain);
        }
        await deps.jobs.sendMany(
          'advisor.run',
          runs.map((r) => ({ data: { orgId: actor.orgId, runId: r.id, domain: r.domain } })),
          { tx },
        );
        return { runs, busy };
      });
      if (result.runs.length === 0) throw new Conflict(`An analysis is already running for ${result.busy.join(', ')}`);
      return { runs: result.runs.map((r) => ({ id: r.id, domain: r.domain, status: r.status })), alreadyRunning: result.busy };
    },

    /** Worker: runs one analysis. */
    async executeRun(orgId: string, runId: string, domain: Domain): Promise<void> {
      await withTenant(db(), orgId, (tx) => repo.setRun(tx, orgId, runId, { status: 'running' }));
      await deps.events.publish('advisor.run', { orgId, runId, domain, status: 'running' });
      try {
        const found = await analysers[domain](deps.cloud.forOrg(orgId));
        const { inserted, resolved, saving, summary, stats } = await withTenant(db(), orgId, async (tx) => {
          const up = await repo.upsertFindings(tx, orgId, runId, found);
          const resolved = await repo.resolveMissing(tx, orgId, domain, runId);
          const saving = Math.round(found.reduce((s, f) => s + f.monthlySaving, 0) * 100) / 100;
          const summary = found.length
            ? `${found.length} ${domain} finding(s): ${up.inserted.length} new, ${resolved} resolved${saving ? `, about $${saving.toFixed(2)}/month to save` : ''}.`
            : `No ${domain} findings.`;
          const stats = { found: found.length, created: up.inserted.length, resolved, saving, summarySource: 'rules' };
          await repo.setRun(tx, orgId, runId, { status: 'completed', summary, stats: json(stats) });
          return { inserted: up.inserted, resolved, saving, summary, stats };
        });
        // The optional AI pass runs after the commit (never a model call inside a transaction).
        const synthesized = deps.synthesize ? await deps.synthesize({ domain, findings: found, rulesSummary: summary }) : null;
        if (synthesized)
          await withTenant(db(), orgId, (tx) =>
            repo.setRunSummary(
              tx,
              orgId,
              runId,
              synthesized.summary,
              json({ ...stats, summarySource: 'ai', summaryModel: synthesized.model }),
            ),
          );
        await deps.events.publish('advisor.run', {
          orgId,
          runId,
          domain,
          status: 'completed',
          found: found.length,
          created: inserted.length,
          resolved,
        });
        if (inserted.length && deps.emit)
          await deps.emit(orgId, 'finding.created', { runId, domain, findingIds: inserted, monthlySaving: saving });
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        await withTenant(db(), orgId, (tx) => repo.setRun(tx, orgId, runId, { status: 'failed', error: message.slice(0, 1000) }));
        await deps.events.publish('advisor.run', { orgId, runId, domain, status: 'failed' });
      }
    },

    /** Worker: the scheduled sweep — queue a run of `domain` for every org (keyset pages of 500). */
    async scheduleDomain(domain: Domain): Promise<number> {
      let after = '';
      let queued = 0;
      for (;;) {
        const orgs = await db().selectFrom('orgs').select('id').where('id', '>', after).orderBy('id').limit(500).execute();
        if (orgs.length === 0) break;
        after = orgs.at(-1)!.id;
        const runs = await withSystem(db(), async (tx) => {
          const r = await tx
            .insertInto('advisor_runs')
            .values(orgs.map((o) => ({ org_id: o.id, domain, trigger: 'schedule' })))
            .onConflict((oc) => oc.columns(['org_id', 'domain']).where('status', 'in', ['queued', 'running']).doNothing())
            .returning(['id', 'org_id'])
            .execute();
          await deps.jobs.sendMany(
            'advisor.run',
            r.map((x) => ({ data: { orgId: x.org_id, runId: x.id, domain } })),
          );
          return r.length;
        });
        queued += runs;
        if (orgs.length < 500) break;
      }
      return queued;
    },

    async run(actor: Actor, id: string) {
      const r = await withTenant(db(), actor.orgId, (tx) => repo.findRun(tx, actor.orgId, id));
      if (!r) throw new NotFound(`Advisor run ${id}`);
      return {
        id: r.id,
        domain: r.domain,
        status: r.status,
        summary: r.summary,
        stats: r.stats,
        error: r.error,
        createdAt: new Date(r.created_at).toISOString(),
        finishedAt: r.finished_at ? new Date(r.finished_at).toISOString() : null,
      };
    },

    async list(actor: Actor, filter: repo.FindingFilter) {
      const r = await withTenant(db(), actor.orgId, (tx) => repo.listFindings(tx, actor.orgId, filter));
      return { items: r.items.map(findingView), total: r.total };
    },

    async get(actor: Actor, id: string) {
      const f = await withTenant(db(), actor.orgId, (tx) => repo.findFinding(tx, actor.orgId, id));
      if (!f) throw new NotFound(`Finding ${id}`);
      return findingView(f);
    },

    async setStatus(actor: Actor, id: string, status: Exclude<FindingStatus, 'open'> | 'open', note: string | null) {
      const f = await withTenant(db(), actor.orgId, (tx) => repo.setFindingStatus(tx, actor.orgId, id, status, note));
      if (!f) throw new NotFound(`Finding ${id}`);
      return findingView(f);
    },

    /** Latest run and open counts per domain, total savings, and the top findings. */
    async summary(actor: Actor) {
      return withTenant(db(), actor.orgId, async (tx) => {
        const rows = await repo.summary(tx, actor.orgId);
        const top = await repo.listFindings(tx, actor.orgId, { statuses: ['open'], limit: 5, offset: 0 });
        const domains = DOMAINS.map((d) => {
          const total = rows.find((r) => r.domain === d && r.severity === null);
          return {
            domain: d,
            open: toCount(total?.open ?? 0),
            monthlySaving: Number(total?.saving ?? 0),
            bySeverity: Object.fromEntries(
              rows.filter((r) => r.domain === d && r.severity !== null).map((r) => [r.severity!, toCount(r.open)]),
            ),
            latestRun: (total?.latest_run ?? null) as Record<string, unknown> | null,
          };
        });
        return {
          domains,
          totalMonthlySaving: Math.round(domains.reduce((s, d) => s + d.monthlySaving, 0) * 100) / 100,
          top: top.items.map(findingView),
        };
      });
    },
  };
}

export type FindingsService = ReturnType<typeof createFindingsService>;
