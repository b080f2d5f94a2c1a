import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { can, useMe } from '../../api/session.ts';
import { statusTone, workflowsApi, type DefinitionStatus, type RunSummary } from '../../api/workflows.ts';
import { Badge, Empty, ErrorBanner, Loading, PageHeader, Pager, Select, TextInput, formatDate } from '../../components/ui.tsx';

const LIMIT = 20;

/** /workflows: definitions (search, status filter, pages) with their latest run, and recent runs. */
export default function ListPage() {
  const me = useMe();
  const [params, setParams] = useSearchParams();
  const status = (params.get('status') ?? '') as DefinitionStatus | '';
  const search = params.get('q') ?? '';
  const offset = Number(params.get('offset') ?? 0) || 0;
  const runsOf = params.get('runsOf') ?? '';
  const [typed, setTyped] = useState(search);
  const set = (patch: Record<string, string>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(patch))
      if (v) next.set(k, v);
      else next.delete(k);
    setParams(next, { replace: true });
  };

  const list = useQuery({
    queryKey: ['workflows', { status, search, offset }],
    queryFn: () => workflowsApi.list({ limit: LIMIT, offset, status, ...(search ? { search } : {}) }),
    placeholderData: (prev) => prev,
  });
  const runs = useQuery({
    queryKey: ['workflow-runs', { runsOf }],
    queryFn: () => workflowsApi.runs({ limit: 50, offset: 0, ...(runsOf ? { definitionId: runsOf } : {}) }),
    refetchInterval: 10_000,
  });
  const latest = new Map<string, RunSummary>();
  for (const r of runs.data?.items ?? []) if (!latest.has(r.definitionId)) latest.set(r.definitionId, r);
  const names = new Map((list.data?.items ?? []).map((d) => [d.id, d.name]));

  return (
    <>
      <PageHeader
        title="Workflows"
        actions={
          can(me.data, 'workflows:write') ? (
            <>
              <Link className="btn btn-secondary" to="/workflows/templates">
                From a template
              </Link>
              <Link className="btn btn-primary" to="/workflows/new">
                New workflow
              </Link>
            </>
          ) : null
        }
      >
        Multi-step automations over your tenancy: design, publish, run and watch them live.
      </PageHeader>
      <form
        className="row"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          set({ q: typed.trim(), offset: '' });
        }}
      >
        <TextInput
          label="Search"
          type="search"
          value={typed}
          placeholder="Name"
          onChange={(e) => setTyped(e.target.value)}
          onBlur={() => set({ q: typed.trim(), offset: '' })}
        />
        <Select label="Status" value={status} onChange={(e) => set({ status: e.target.value, offset: '' })}>
          <option value="">Any</option>
          <option value="draft">Draft</option>
          <option value="published">Published</option>
          <option value="archived">Archived</option>
        </Select>
      </form>
      <ErrorBanner error={list.error} />
      {list.isLoading ? (
        <Loading />
      ) : !list.data?.items.length ? (
        <Empty title={search || status ? 'No workflow matches' : 'No workflows yet'}>
          {search || status ? (
            'Try another search or status.'
          ) : (
            <>
              Start from a <Link to="/workflows/templates">template</Link> or <Link to="/workflows/new">design one</Link>.
            </>
          )}
        </Empty>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th>Name</th>
                <th>Status</th>
                <th>Version</th>
                <th>Steps</th>
                <th>Last run</th>
                <th>Updated</th>
              </tr>
            </thead>
            <tbody>
              {list.data.items.map((d) => {
                const last = latest.get(d.id);
                return (
                  <tr key={d.id}>
                    <td>
                      <Link to={`/workflows/${d.id}`}>{d.name}</Link>
                      {d.description ? <div className="muted">{d.description}</div> : null}
                      {d.tags.length ? (
                        <div className="row">
                          {d.tags.map((t) => (
                            <Badge key={t}>{t}</Badge>
                          ))}
                        </div>
                      ) : null}
                    </td>
                    <td>
                      <Badge tone={statusTone(d.status)}>{d.status}</Badge>
                    </td>
                    <td>v{d.currentVersion}</td>
                    <td>{d.nodeCount ?? '—'}</td>
                    <td>
                      {last ? (
                        <Link to={`/workflows/runs/${last.id}`}>
                          <Badge tone={statusTone(last.status)}>{last.status}</Badge> {formatDate(last.createdAt)}
                        </Link>
                      ) : (
                        <span className="muted">never</span>
                      )}
                    </td>
                    <td>{formatDate(d.updatedAt)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {list.data ? (
        <Pager offset={offset} limit={LIMIT} total={list.data.total} onChange={(o) => set({ offset: o ? String(o) : '' })} />
      ) : null}

      <h2>
        Recent runs
        {runsOf ? (
          <>
            {' '}
            of {names.get(runsOf) ?? 'this workflow'} ·{' '}
            <Link to="/workflows" onClick={() => set({ runsOf: '' })}>
              all
            </Link>
          </>
        ) : null}
      </h2>
      <ErrorBanner error={runs.error} />
      {runs.isLoading ? (
        <Loading />
      ) : !runs.data?.items.length ? (
        <Empty title="No runs yet">Open a workflow and press Run.</Empty>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th>Run</th>
                <th>Workflow</th>
                <th>Status</th>
                <th>Trigger</th>
                <th>Started</th>
                <th>Finished</th>
              </tr>
            </thead>
            <tbody>
              {runs.data.items.slice(0, 15).map((r) => (
                <tr key={r.id}>
                  <td>
                    <Link to={`/workflows/runs/${r.id}`}>
                      <code>{r.id.slice(0, 8)}</code>
                    </Link>
                  </td>
                  <td>{names.get(r.definitionId) ?? <Link to={`/workflows/${r.definitionId}`}>open</Link>}</td>
                  <td>
                    <Badge tone={statusTone(r.status)}>{r.status}</Badge>
                  </td>
                  <td>{r.trigger}</td>
                  <td>{formatDate(r.createdAt)}</td>
                  <td>{formatDate(r.finishedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
