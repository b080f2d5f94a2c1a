import { useEffect, useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { can, useMe } from '../api/session.ts';
import {
  DOMAINS,
  DOMAIN_LABEL,
  FINDING_STATUSES,
  SEVERITIES,
  advisorApi,
  askCharlieLink,
  formatMoney,
  severityTone,
  type AdvisorRun,
  type Domain,
  type FindingStatus,
  type Severity,
} from '../api/advisor.ts';
import { Badge, Button, Empty, ErrorBanner, Loading, PageHeader, Pager, Select, formatDate } from '../components/ui.tsx';
import { FindingDetail } from '../components/advisor/finding-detail.tsx';
import '../components/advisor/advisor.css';

const LIMIT = 25;
const ACTIVE_RUN = new Set(['queued', 'running']);

/** /advisor and /advisor/findings/:id: savings summary, filtered findings, one finding's detail; Run now. */
export default function AdvisorPage() {
  const { id } = useParams();
  return (
    <>
      <RunNow />
      {id ? <FindingDetail id={id} /> : <Overview />}
    </>
  );
}

/** Starts a scan of every domain and follows its runs until they finish, then refreshes the findings. */
function RunNow() {
  const me = useMe();
  const qc = useQueryClient();
  const [runs, setRuns] = useState<AdvisorRun[]>([]);
  const [message, setMessage] = useState<string | null>(null);
  const start = useMutation({
    mutationFn: () => advisorApi.startRuns(),
    onSuccess: (r) => {
      setRuns(r.runs);
      setMessage(r.alreadyRunning.length ? `Already running: ${r.alreadyRunning.map((d) => DOMAIN_LABEL[d]).join(', ')}.` : null);
    },
  });
  const active = runs.filter((r) => ACTIVE_RUN.has(r.status));
  useEffect(() => {
    if (!active.length) return;
    const timer = setTimeout(async () => {
      const next = await Promise.all(runs.map((r) => (ACTIVE_RUN.has(r.status) ? advisorApi.run(r.id).catch(() => r) : r)));
      setRuns(next);
      if (!next.some((r) => ACTIVE_RUN.has(r.status))) {
        const failed = next.filter((r) => r.status === 'failed');
        setMessage(
          failed.length ? `Analysis finished; ${failed.map((r) => DOMAIN_LABEL[r.domain]).join(', ')} failed.` : 'Analysis finished.',
        );
        void qc.invalidateQueries({ queryKey: ['findings'] });
        void qc.invalidateQueries({ queryKey: ['advisor-summary'] });
        void qc.invalidateQueries({ queryKey: ['finding'] });
      }
    }, 1000);
    return () => clearTimeout(timer);
  }, [runs, active.length, qc]);

  if (!can(me.data, 'findings:write')) return null;
  return (
    <div className="advisor-run">
      <Button variant="primary" busy={start.isPending || active.length > 0} onClick={() => start.mutate()}>
        {active.length ? 'Analysing…' : 'Run now'}
      </Button>
      <div aria-live="polite" className="advisor-run-status">
        {active.length ? (
          <span className="muted">
            Scanning {active.map((r) => DOMAIN_LABEL[r.domain]).join(', ')} ({runs.length - active.length}/{runs.length} done)
          </span>
        ) : message ? (
          <span role="status">{message}</span>
        ) : null}
        <ErrorBanner error={start.error} />
      </div>
    </div>
  );
}

function Overview() {
  const [params, setParams] = useSearchParams();
  const domain = (params.get('domain') ?? '') as Domain | '';
  const severity = (params.get('severity') ?? '').split(',').filter(Boolean) as Severity[];
  const status = (params.get('status') ?? 'open,acknowledged').split(',').filter(Boolean) as FindingStatus[];
  const offset = Number(params.get('offset') ?? 0) || 0;
  const set = (patch: Record<string, string>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries({ offset: '', ...patch }))
      if (v) next.set(k, v);
      else next.delete(k);
    setParams(next, { replace: true });
  };
  const summary = useQuery({
    queryKey: ['advisor-summary'],
    queryFn: () => advisorApi.summary(),
    // While a scan that started elsewhere is running, keep the summary fresh.
    refetchInterval: (q) => (q.state.data?.domains.some((d) => ACTIVE_RUN.has(String(d.latestRun?.status))) ? 2000 : false),
  });
  const findings = useQuery({
    queryKey: ['findings', { domain, severity, status, offset }],
    queryFn: () => advisorApi.findings({ domain, severity, status, limit: LIMIT, offset }),
    placeholderData: (prev) => prev,
  });
  const toggleSeverity = (s: Severity) =>
    set({ severity: (severity.includes(s) ? severity.filter((x) => x !== s) : [...severity, s]).join(',') });
  const statusValue = status.join(',');

  return (
    <>
      <PageHeader title="Advisor">Cost, rightsizing, security and availability findings from scans of your tenancy.</PageHeader>
      <ErrorBanner error={summary.error} />
      {summary.data ? (
        <section className="advisor-summary" aria-label="Summary">
          <div className="card advisor-total">
            <span className="muted">Potential savings</span>
            <strong data-testid="total-saving">{formatMoney(summary.data.totalMonthlySaving)}</strong>
            <span className="muted">per month</span>
          </div>
          {summary.data.domains.map((d) => {
            const run = d.latestRun as { status?: string; finished_at?: string | null; created_at?: string } | null;
            return (
              <button
                type="button"
                key={d.domain}
                className={`card advisor-domain${domain === d.domain ? ' active' : ''}`}
                aria-pressed={domain === d.domain}
                onClick={() => set({ domain: domain === d.domain ? '' : d.domain })}
              >
                <span className="advisor-domain-name">{DOMAIN_LABEL[d.domain]}</span>
                <strong>{d.open}</strong> <span className="muted">open</span>
                {d.monthlySaving > 0 ? <div className="saving">{formatMoney(d.monthlySaving)}/mo</div> : null}
                <div className="row advisor-sev">
                  {SEVERITIES.filter((s) => d.bySeverity[s]).map((s) => (
                    <Badge key={s} tone={severityTone(s)}>
                      {d.bySeverity[s]} {s}
                    </Badge>
                  ))}
                </div>
                <small className="muted">
                  {run
                    ? ACTIVE_RUN.has(String(run.status))
                      ? 'scanning…'
                      : `scanned ${formatDate(run.finished_at ?? run.created_at)}`
                    : 'never scanned'}
                </small>
              </button>
            );
          })}
        </section>
      ) : summary.isLoading ? (
        <Loading />
      ) : null}

      <div className="row advisor-filters" role="group" aria-label="Filters">
        <Select label="Domain" value={domain} onChange={(e) => set({ domain: e.target.value })}>
          <option value="">All domains</option>
          {DOMAINS.map((d) => (
            <option key={d} value={d}>
              {DOMAIN_LABEL[d]}
            </option>
          ))}
        </Select>
        <Select label="Status" value={statusValue} onChange={(e) => set({ status: e.target.value })}>
          <option value="open,acknowledged">Active (open + acknowledged)</option>
          {FINDING_STATUSES.map((s) => (
            <option key={s} value={s}>
              {s[0]!.toUpperCase() + s.slice(1)}
            </option>
          ))}
          <option value={FINDING_STATUSES.join(',')}>Any</option>
        </Select>
        <fieldset className="chips">
          <legend>Severity</legend>
          {SEVERITIES.map((s) => (
            <button
              key={s}
              type="button"
              className={`chip${severity.includes(s) ? ' on' : ''}`}
              aria-pressed={severity.includes(s)}
              onClick={() => toggleSeverity(s)}
            >
              {s}
            </button>
          ))}
        </fieldset>
      </div>

      <ErrorBanner error={findings.error} />
      {findings.isLoading ? (
        <Loading />
      ) : !findings.data?.items.length ? (
        <Empty title={summary.data?.domains.some((d) => d.latestRun) ? 'No findings match' : 'No findings yet'}>
          {summary.data?.domains.some((d) => d.latestRun) ? 'Try other filters.' : 'Press “Run now” to scan your tenancy.'}
        </Empty>
      ) : (
        <div className="table-wrap">
          <table aria-label="Findings">
            <thead>
              <tr>
                <th>Severity</th>
                <th>Finding</th>
                <th>Domain</th>
                <th>Resources</th>
                <th>Saving / month</th>
                <th>Status</th>
                <th>Last seen</th>
                <th>
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {findings.data.items.map((f) => (
                <tr key={f.id}>
                  <td>
                    <Badge tone={severityTone(f.severity)}>{f.severity}</Badge>
                  </td>
                  <td>
                    <Link to={`/advisor/findings/${f.id}`}>{f.title}</Link>
                    <div className="muted advisor-summary-line">{f.summary}</div>
                  </td>
                  <td>{DOMAIN_LABEL[f.domain]}</td>
                  <td>{f.resources.length}</td>
                  <td className="num">{f.monthlySaving > 0 ? formatMoney(f.monthlySaving) : '—'}</td>
                  <td>{f.status}</td>
                  <td>{formatDate(f.lastSeenAt)}</td>
                  <td>
                    <Link to={askCharlieLink(f.charliePrompt)} aria-label={`Ask Charlie about ${f.title}`}>
                      Ask Charlie
                    </Link>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {findings.data ? (
        <Pager offset={offset} limit={LIMIT} total={findings.data.total} onChange={(o) => set({ offset: o ? String(o) : '' })} />
      ) : null}
    </>
  );
}
