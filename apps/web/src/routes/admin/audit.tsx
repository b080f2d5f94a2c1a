import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../api/client.ts';
import { Empty, ErrorBanner, Loading, Pager, TextInput, formatDate } from '../../components/ui.tsx';
import { SectionHeader } from '../../components/admin/common.tsx';

interface Entry {
  id: string;
  actorUserId: string;
  actorVia: string;
  apiKeyId: string | null;
  action: string;
  targetType: string;
  targetId: string | null;
  before: unknown;
  after: unknown;
  createdAt: string;
}
const LIMIT = 50;

/** The org's admin changes, newest first, filterable by action, with before/after. */
export default function AuditSection() {
  const [offset, setOffset] = useState(0);
  const [action, setAction] = useState('');
  const [typed, setTyped] = useState('');
  const log = useQuery({
    queryKey: ['admin', 'audit', action, offset],
    queryFn: () => api.get<{ items: Entry[]; total: number }>('/api/admin/audit', { limit: LIMIT, offset, action: action || undefined }),
    placeholderData: (p) => p,
  });
  return (
    <>
      <SectionHeader title="Audit log">Every admin change: who, what, and the value before and after.</SectionHeader>
      <form
        className="row"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          setOffset(0);
          setAction(typed.trim());
        }}
      >
        <TextInput
          label="Action"
          type="search"
          value={typed}
          placeholder="e.g. ai_provider.create"
          onChange={(e) => setTyped(e.target.value)}
        />
      </form>
      <ErrorBanner error={log.error} />
      {log.isLoading ? (
        <Loading />
      ) : !log.data?.items.length ? (
        <Empty title="Nothing recorded" />
      ) : (
        <div className="table-wrap">
          <table aria-label="Audit log">
            <thead>
              <tr>
                <th>When</th>
                <th>Action</th>
                <th>Target</th>
                <th>By</th>
                <th>Change</th>
              </tr>
            </thead>
            <tbody>
              {log.data.items.map((e) => (
                <tr key={e.id}>
                  <td>{formatDate(e.createdAt)}</td>
                  <td>
                    <code>{e.action}</code>
                  </td>
                  <td>
                    {e.targetType} {e.targetId ? <code>{e.targetId}</code> : null}
                  </td>
                  <td>
                    <code>{e.actorUserId.slice(0, 12)}</code> <span className="muted">via {e.actorVia}</span>
                  </td>
                  <td>
                    <details>
                      <summary>Before / after</summary>
                      <pre>{JSON.stringify({ before: e.before, after: e.after }, null, 2)}</pre>
                    </details>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {log.data ? <Pager offset={offset} limit={LIMIT} total={log.data.total} onChange={setOffset} /> : null}
    </>
  );
}
