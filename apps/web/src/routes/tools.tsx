import { useMemo, useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ApiError } from '../api/client.ts';
import { can, useMe } from '../api/session.ts';
import { RISKS, TOOL_CATEGORIES, type Approval, type ExecuteResult, type ToolDetail, type ToolSummary } from '../api/types.ts';
import { ResultView } from '../components/chat/result-view.tsx';
import { SchemaForm, initialValues, toArgs, type FormValues, type JsonSchema } from '../components/tools/schema-form.tsx';
import { Badge, Button, Empty, ErrorBanner, Loading, PageHeader, Select, TextArea, TextInput, riskTone } from '../components/ui.tsx';
import './lists.css';

/** Tools: the catalogue (`/tools`) or one tool's playground (`/tools/:name`). */
export default function ToolsPage() {
  const { name } = useParams();
  return name ? <ToolPlayground name={name} /> : <Catalogue />;
}

const APPROVAL_LABEL: Record<ToolSummary['approval'], string> = {
  never: 'runs at once',
  once_per_thread: 'approval once per thread',
  always: 'approval every time',
};

function Catalogue() {
  const [q, setQ] = useState('');
  const [category, setCategory] = useState('');
  const [risk, setRisk] = useState('');
  const tools = useQuery({
    queryKey: ['tools', category, risk],
    queryFn: () =>
      api.get<{ items: ToolSummary[]; total: number }>('/api/v1/tools', { category: category || undefined, risk: risk || undefined }),
    placeholderData: (prev) => prev,
  });
  const groups = useMemo(() => {
    const needle = q.trim().toLowerCase();
    const items = (tools.data?.items ?? []).filter(
      (t) => !needle || t.name.toLowerCase().includes(needle) || t.description.toLowerCase().includes(needle),
    );
    const by = new Map<string, ToolSummary[]>();
    for (const t of items) by.set(t.category, [...(by.get(t.category) ?? []), t]);
    return [...by.entries()].sort(([a], [b]) => TOOL_CATEGORIES.indexOf(a as never) - TOOL_CATEGORIES.indexOf(b as never));
  }, [tools.data, q]);
  const count = groups.reduce((n, [, ts]) => n + ts.length, 0);

  return (
    <>
      <PageHeader title="Tools">
        The OCI tools Charlie, workflows and the API can use. Open one to try it: every run goes through the approval gate.
      </PageHeader>
      <div className="filters" role="search">
        <TextInput label="Search tools" type="search" placeholder="Name or description" value={q} onChange={(e) => setQ(e.target.value)} />
        <Select label="Category" value={category} onChange={(e) => setCategory(e.target.value)}>
          <option value="">All categories</option>
          {TOOL_CATEGORIES.map((c) => (
            <option key={c} value={c}>
              {c}
            </option>
          ))}
        </Select>
        <Select label="Risk" value={risk} onChange={(e) => setRisk(e.target.value)}>
          <option value="">Any risk</option>
          {RISKS.map((r) => (
            <option key={r}>{r}</option>
          ))}
        </Select>
      </div>
      {tools.isLoading ? <Loading /> : null}
      <ErrorBanner error={tools.error} />
      {tools.data ? (
        <p className="muted" role="status">
          {count} {count === 1 ? 'tool' : 'tools'}
        </p>
      ) : null}
      {tools.data && count === 0 ? <Empty title="No tool matches">Try another search or clear the filters.</Empty> : null}
      {groups.map(([cat, items]) => (
        <section key={cat} aria-labelledby={`cat-${cat}`}>
          <h2 id={`cat-${cat}`} className="category-title">
            {cat} <small className="muted">({items.length})</small>
          </h2>
          <div className="tool-grid">
            {items.map((t) => (
              <Link key={t.name} to={`/tools/${encodeURIComponent(t.name)}`} className="card tool-tile">
                <span className="row">
                  <code className="tool-name">{t.name}</code>
                  <Badge tone={riskTone(t.risk)}>{t.risk}</Badge>
                  {!t.enabled ? <Badge tone="neutral">disabled</Badge> : null}
                </span>
                <p>{t.description}</p>
                <small className="muted">{APPROVAL_LABEL[t.approval]}</small>
              </Link>
            ))}
          </div>
        </section>
      ))}
    </>
  );
}

function ToolPlayground({ name }: { name: string }) {
  const me = useMe();
  const qc = useQueryClient();
  const tool = useQuery({ queryKey: ['tool', name], queryFn: () => api.get<ToolDetail>(`/api/v1/tools/${encodeURIComponent(name)}`) });
  const schema = (tool.data?.inputSchema ?? {}) as JsonSchema;
  const [mode, setMode] = useState<'form' | 'json'>('form');
  const [values, setValues] = useState<FormValues | null>(null);
  const [json, setJson] = useState('{}');
  const [jsonError, setJsonError] = useState<string | null>(null);
  const formValues = values ?? initialValues(schema);

  const run = useMutation({
    mutationFn: (approvalId?: string) => {
      let args: Record<string, unknown>;
      if (mode === 'json') {
        try {
          args = JSON.parse(json || '{}') as Record<string, unknown>;
        } catch {
          throw new ApiError(400, 'INVALID_JSON', 'args: not valid JSON');
        }
      } else args = toArgs(schema, formValues);
      return api.post<ExecuteResult>(`/api/v1/tools/${encodeURIComponent(name)}/execute`, { args, ...(approvalId ? { approvalId } : {}) });
    },
    onSettled: () => {
      void qc.invalidateQueries({ queryKey: ['activity'] });
      void qc.invalidateQueries({ queryKey: ['approvals'] });
    },
  });
  const pending = run.data?.status === 'pending_approval' ? run.data.approval : null;
  const approval = useQuery({
    queryKey: ['approval', pending?.id],
    queryFn: () => api.get<Approval>(`/api/approvals/${encodeURIComponent(pending!.id)}`),
    enabled: !!pending,
    refetchInterval: (q) => (q.state.data && q.state.data.status !== 'pending' ? false : 3000),
  });

  const switchMode = (m: 'form' | 'json') => {
    if (m === 'json') setJson(JSON.stringify(toArgs(schema, formValues), null, 2));
    setJsonError(null);
    setMode(m);
  };
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    if (mode === 'json') {
      try {
        JSON.parse(json || '{}');
        setJsonError(null);
      } catch {
        setJsonError('Not valid JSON');
        return;
      }
    }
    run.mutate(undefined);
  };

  if (tool.isLoading) return <Loading />;
  if (tool.error)
    return (
      <>
        <PageHeader title={name} />
        <ErrorBanner error={tool.error} />
        <Link to="/tools">← All tools</Link>
      </>
    );
  const t = tool.data!;
  const canRun = can(me.data, 'tools:execute') && t.enabled;
  const decided = approval.data && approval.data.status !== 'pending' ? approval.data : null;
  const argFields = Object.keys(schema.properties ?? {}).map((k) => `args.${k}`);

  return (
    <>
      <p>
        <Link to="/tools">← All tools</Link>
      </p>
      <PageHeader title={t.name}>{t.description}</PageHeader>
      <div className="row" style={{ marginBottom: '1rem' }}>
        <Badge tone="info">{t.category}</Badge>
        <Badge tone={riskTone(t.risk)}>risk: {t.risk}</Badge>
        <Badge tone={t.requiresApproval ? 'warn' : 'good'}>{APPROVAL_LABEL[t.approval]}</Badge>
        {!t.enabled ? <Badge tone="neutral">disabled by policy</Badge> : null}
        {t.changes ? <span className="muted">Changes: {t.changes}</span> : null}
      </div>
      <div className="playground">
        <form className="card" onSubmit={onSubmit} aria-label="Arguments">
          <h2 style={{ marginTop: 0 }}>Arguments</h2>
          <div className="mode-switch" role="group" aria-label="Editor">
            <Button aria-pressed={mode === 'form'} onClick={() => switchMode('form')}>
              Form
            </Button>
            <Button aria-pressed={mode === 'json'} onClick={() => switchMode('json')}>
              JSON
            </Button>
          </div>
          {mode === 'form' ? (
            <SchemaForm schema={schema} values={formValues} onChange={setValues} error={run.error} />
          ) : (
            <TextArea
              label="Arguments (JSON)"
              className="json-editor"
              spellCheck={false}
              value={json}
              onChange={(e) => setJson(e.target.value)}
              error={jsonError ?? (run.error instanceof ApiError && run.error.field?.startsWith('args') ? run.error.message : null)}
            />
          )}
          <ErrorBanner error={run.error} fields={mode === 'json' ? ['args', ...argFields] : argFields} />
          {canRun ? (
            <Button type="submit" variant="primary" busy={run.isPending}>
              Run tool
            </Button>
          ) : (
            <p className="muted">
              {t.enabled ? 'Your role cannot run tools (tools:execute).' : 'This tool is disabled by the organisation policy.'}
            </p>
          )}
        </form>
        <section className="card" aria-label="Result" aria-live="polite">
          <h2 style={{ marginTop: 0 }}>Result</h2>
          {!run.data && !run.isPending ? <p className="muted">Run the tool to see its output here.</p> : null}
          {run.isPending ? <Loading label="Running…" /> : null}
          {run.data?.status === 'ok' ? (
            <div className="stack">
              <span className="row">
                <Badge tone="good">ok</Badge>
                <small className="muted">
                  {run.data.durationMs} ms{run.data.truncated ? ' · output truncated' : ''}
                  {run.data.approvalId ? ' · ran under an approval' : ''}
                </small>
              </span>
              <ResultView value={run.data.output} caption={`${t.name} result`} />
            </div>
          ) : null}
          {run.data?.status === 'error' ? (
            <div className="banner banner-error" role="alert">
              <code>{run.data.error.code}</code> {run.data.error.message}
            </div>
          ) : null}
          {pending ? (
            <div className="stack">
              <div className="banner banner-info" role="status">
                {decided ? (
                  <>
                    The approval was <strong>{decided.status}</strong>
                    {decided.reason ? `: ${decided.reason}` : '.'}
                  </>
                ) : (
                  <>
                    <strong>Waiting for approval.</strong> This {t.risk}-risk call needs a decision in the{' '}
                    <Link to={`/approvals#${pending.id}`}>Approvals inbox</Link> before it runs (it expires in five minutes).
                  </>
                )}
              </div>
              {decided?.status === 'approved' ? (
                <div>
                  <Button variant="primary" busy={run.isPending} onClick={() => run.mutate(pending.id)}>
                    Run with this approval
                  </Button>
                </div>
              ) : null}
            </div>
          ) : null}
        </section>
      </div>
    </>
  );
}
