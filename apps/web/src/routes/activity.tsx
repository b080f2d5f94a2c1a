import { useState } from 'react';
import { Link } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { api, type Page } from '../api/client.ts';
import { can, useMe } from '../api/session.ts';
import { EXECUTION_STATUSES, type Execution } from '../api/types.ts';
import { Badge, Empty, ErrorBanner, Loading, PageHeader, Pager, Select, TextInput, formatDate, stateTone } from '../components/ui.tsx';
import './lists.css';

const PAGE = 25;

interface Filters {
  scope: 'mine' | 'org';
  tool: string;
  status: string;
  from: string;
  to: string;
}

/**
 * Activity: every tool execution, newest first. Everyone sees their own (`/api/activity`);
 * auditors can switch to the whole organisation, where tool, status and date filters apply
 * (`/api/audit/tools`).
 */
export default function ActivityPage() {
  const me = useMe();
  const auditor = can(me.data, 'admin:audit');
  const [f, setF] = useState<Filters>({ scope: 'mine', tool: '', status: '', from: '', to: '' });
  const [offset, setOffset] = useState(0);
  const set = (k: keyof Filters) => (e: { target: { value: string } }) => {
    setF((x) => ({ ...x, [k]: e.target.value }));
    setOffset(0);
  };
  const org = auditor && f.scope === 'org';
  const activity = useQuery({
    queryKey: ['activity', org ? 'org' : 'mine', f, offset],
    queryFn: () =>
      api.get<Page<Execution>>(org ? '/api/audit/tools' : '/api/activity', {
        limit: PAGE,
        offset,
        tool: f.tool.trim() || undefined,
        status: f.status || undefined,
        from: f.from ? new Date(f.from).toISOString() : undefined,
        to: f.to ? new Date(f.to).toISOString() : undefined,
      }),
    enabled: !!me.data,
    placeholderData: (prev) => prev,
  });
  const items = activity.data?.items ?? [];

  return (
    <>
      <PageHeader title="Activity">
        Tool executions through Charlie, the API, MCP and workflows — including refusals and approvals.
      </PageHeader>
      <div className="filters" role="search">
        {auditor ? (
          <Select label="Scope" value={f.scope} onChange={set('scope')}>
            <option value="mine">My activity</option>
            <option value="org">Whole organisation</option>
          </Select>
        ) : null}
        <TextInput label="Tool" placeholder="e.g. stop_instance" value={f.tool} onChange={set('tool')} />
        <Select label="Status" value={f.status} onChange={set('status')}>
          <option value="">Any status</option>
          {EXECUTION_STATUSES.map((s) => (
            <option key={s} value={s}>
              {s.replace('_', ' ')}
            </option>
          ))}
        </Select>
        <TextInput label="From" type="datetime-local" value={f.from} onChange={set('from')} />
        <TextInput label="To" type="datetime-local" value={f.to} onChange={set('to')} />
      </div>
      {activity.isLoading ? <Loading /> : null}
      <ErrorBanner error={activity.error} />
      {activity.data && items.length === 0 ? (
        <Empty title={f.tool || f.status || f.from || f.to ? 'Nothing matches the filters' : 'No activity yet'}>
          Ask Charlie to list your instances, or run a tool from the <Link to="/tools">Tools</Link> page.
        </Empty>
      ) : null}
      {items.length > 0 ? (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Tool</th>
                <th scope="col">Status</th>
                <th scope="col">Via</th>
                <th scope="col">Duration</th>
                <th scope="col">Details</th>
              </tr>
            </thead>
            <tbody>
              {items.map((x) => (
                <tr key={x.id}>
                  <td className="nowrap">{formatDate(x.createdAt)}</td>
                  <td>
                    <Link to={`/tools/${encodeURIComponent(x.tool)}`}>
                      <code>{x.tool}</code>
                    </Link>
                  </td>
                  <td>
                    <Badge tone={stateTone(x.status)}>{x.status.replace('_', ' ')}</Badge>
                  </td>
                  <td>
                    {x.via === 'chat' && x.threadId ? <Link to={`/chat/${x.threadId}`}>chat</Link> : x.via}
                    {x.approvalId ? <small className="muted"> · approved</small> : null}
                  </td>
                  <td className="nowrap">{x.durationMs} ms</td>
                  <td>
                    {x.error ? (
                      <span className="field-error">
                        {x.errorCode ? <code>{x.errorCode}</code> : null} {x.error}
                      </span>
                    ) : null}
                    <details>
                      <summary>Arguments</summary>
                      <pre>{JSON.stringify(x.args, null, 2)}</pre>
                    </details>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      <Pager offset={offset} limit={PAGE} total={activity.data?.total ?? 0} onChange={setOffset} />
    </>
  );
}
