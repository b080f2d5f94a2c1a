import { useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { api, type Page } from '../api/client.ts';
import { can, useAuthSession, useMe } from '../api/session.ts';
import type { AdvisorSummary, Execution, WorkflowTemplate } from '../api/types.ts';
import { usePendingApprovals } from '../hooks/use-approvals.ts';
import { Badge, Button, Empty, ErrorBanner, Loading, PageHeader, riskTone, stateTone, timeAgo } from '../components/ui.tsx';
import './home.css';

const PROMPTS = ['List my instances', 'Show my costs for the last 30 days', 'List my buckets and VCNs', 'Show high severity findings'];

const money = (n: number) => n.toLocaleString(undefined, { style: 'currency', currency: 'USD', maximumFractionDigits: 0 });

/** Home: ask Charlie, start a workflow, and what needs attention (approvals, findings, recent activity). */
export default function HomePage() {
  const me = useMe();
  const session = useAuthSession();
  const first = session.data?.user.name?.split(' ')[0];
  return (
    <>
      <PageHeader title={first ? `Welcome back, ${first}` : 'Home'}>What would you like to do in your tenancy today?</PageHeader>
      <div className="home-grid">
        {can(me.data, 'sessions:write') ? <AskCard /> : null}
        {can(me.data, 'workflows:read') ? <TemplatesCard /> : null}
        {can(me.data, 'tools:approve') ? <ApprovalsCard /> : null}
        {can(me.data, 'findings:read') ? <AdvisorCard /> : null}
        {can(me.data, 'tools:read') ? <ActivityCard /> : null}
      </div>
    </>
  );
}

function AskCard() {
  const navigate = useNavigate();
  const [prompt, setPrompt] = useState('');
  const go = (text: string) => void navigate(`/chat?prompt=${encodeURIComponent(text)}`);
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    if (prompt.trim()) go(prompt.trim());
  };
  return (
    <section className="card" aria-labelledby="ask-title">
      <h2 id="ask-title">
        Ask Charlie <Link to="/chat">All conversations</Link>
      </h2>
      <form className="ask-form" onSubmit={onSubmit}>
        <input
          aria-label="Ask Charlie"
          placeholder="e.g. stop instance dev-test-1"
          value={prompt}
          onChange={(e) => setPrompt(e.target.value)}
        />
        <Button type="submit" variant="primary" disabled={!prompt.trim()}>
          Ask
        </Button>
      </form>
      <div className="chips" aria-label="Suggested prompts">
        {PROMPTS.map((p) => (
          <Link key={p} className="chip" to={`/chat?prompt=${encodeURIComponent(p)}`}>
            {p}
          </Link>
        ))}
      </div>
    </section>
  );
}

function TemplatesCard() {
  const templates = useQuery({
    queryKey: ['workflow-templates'],
    queryFn: () => api.get<{ items: WorkflowTemplate[] }>('/api/v1/workflows/templates'),
    staleTime: 5 * 60_000,
  });
  const items = templates.data?.items.slice(0, 4) ?? [];
  return (
    <section className="card" aria-labelledby="tpl-title">
      <h2 id="tpl-title">
        Start a workflow <Link to="/workflows/templates">All templates</Link>
      </h2>
      {templates.isLoading ? <Loading /> : null}
      <ErrorBanner error={templates.error} />
      {templates.data && items.length === 0 ? <Empty title="No templates yet" /> : null}
      <ul className="mini-list">
        {items.map((t) => (
          <li key={t.id}>
            <span>
              <Link to="/workflows/templates">{t.name}</Link>
              <br />
              <small className="muted">{t.description}</small>
            </span>
            <small className="muted">{t.nodeCount} steps</small>
          </li>
        ))}
      </ul>
    </section>
  );
}

function ApprovalsCard() {
  const approvals = usePendingApprovals(0, 5);
  const items = approvals.data?.items ?? [];
  return (
    <section className="card" aria-labelledby="appr-title">
      <h2 id="appr-title">
        Pending approvals <Link to="/approvals">Open inbox{approvals.data?.total ? ` (${approvals.data.total})` : ''}</Link>
      </h2>
      {approvals.isLoading ? <Loading /> : null}
      <ErrorBanner error={approvals.error} />
      {approvals.data && items.length === 0 ? <Empty title="Nothing waiting">Risky actions that need a decision appear here.</Empty> : null}
      <ul className="mini-list">
        {items.map((a) => (
          <li key={a.id}>
            <span>
              <code>{a.tool}</code> <Badge tone={riskTone(a.risk)}>{a.risk}</Badge>
              <br />
              <small className="muted">
                via {a.via} · {timeAgo(a.createdAt)}
              </small>
            </span>
            <Link to={`/approvals#${a.id}`}>Review</Link>
          </li>
        ))}
      </ul>
    </section>
  );
}

function AdvisorCard() {
  const summary = useQuery({ queryKey: ['advisor-summary'], queryFn: () => api.get<AdvisorSummary>('/api/advisor/summary') });
  const s = summary.data;
  const open = s?.domains.reduce((n, d) => n + d.open, 0) ?? 0;
  return (
    <section className="card" aria-labelledby="adv-title">
      <h2 id="adv-title">
        CloudAdvisor <Link to="/advisor">All findings</Link>
      </h2>
      {summary.isLoading ? <Loading /> : null}
      <ErrorBanner error={summary.error} />
      {s ? (
        <>
          <div className="stat-row">
            <div className="stat">
              <strong>{open}</strong>
              <span>open findings</span>
            </div>
            <div className="stat">
              <strong>{money(s.totalMonthlySaving)}</strong>
              <span>possible monthly saving</span>
            </div>
          </div>
          {s.top.length === 0 ? (
            <Empty title="No findings yet">
              <Link to="/advisor">Run the advisor</Link> to check cost, security and availability.
            </Empty>
          ) : (
            <ul className="mini-list">
              {s.top.slice(0, 4).map((f) => (
                <li key={f.id}>
                  <span>
                    <Badge tone={riskTone(f.severity)}>{f.severity}</Badge> <Link to={`/advisor/findings/${f.id}`}>{f.title}</Link>
                  </span>
                  {f.monthlySaving > 0 ? <small className="muted">{money(f.monthlySaving)}/mo</small> : null}
                </li>
              ))}
            </ul>
          )}
        </>
      ) : null}
    </section>
  );
}

function ActivityCard() {
  const activity = useQuery({
    queryKey: ['activity', 'home'],
    queryFn: () => api.get<Page<Execution>>('/api/activity', { limit: 6, offset: 0 }),
  });
  const items = activity.data?.items ?? [];
  return (
    <section className="card" aria-labelledby="act-title">
      <h2 id="act-title">
        Recent activity <Link to="/activity">All activity</Link>
      </h2>
      {activity.isLoading ? <Loading /> : null}
      <ErrorBanner error={activity.error} />
      {activity.data && items.length === 0 ? <Empty title="No activity yet">Tools you run appear here.</Empty> : null}
      <ul className="mini-list">
        {items.map((x) => (
          <li key={x.id}>
            <span>
              <code>{x.tool}</code> <Badge tone={stateTone(x.status)}>{x.status.replace('_', ' ')}</Badge>
              <br />
              <small className="muted">
                via {x.via} · {x.durationMs} ms
              </small>
            </span>
            <small className="muted">{timeAgo(x.createdAt)}</small>
          </li>
        ))}
      </ul>
    </section>
  );
}
