import { useMemo, useState } from 'react';
import { Link } from 'react-router';
import { can, useMe } from '../api/session.ts';
import { RISKS, type Approval } from '../api/types.ts';
import { useDecideApproval, usePendingApprovals } from '../hooks/use-approvals.ts';
import {
  Badge,
  Button,
  Empty,
  ErrorBanner,
  Loading,
  PageHeader,
  Pager,
  Select,
  TextInput,
  formatDate,
  riskTone,
  timeAgo,
} from '../components/ui.tsx';
import './lists.css';

const PAGE = 20;
const STATUSES = ['pending', 'approved', 'denied', 'expired', 'all'] as const;
type Status = (typeof STATUSES)[number];

/** The approvals inbox: what waits for a decision, filterable, approved or denied with a reason. */
export default function ApprovalsPage() {
  const me = useMe();
  const allowed = can(me.data, 'tools:approve');
  const [status, setStatus] = useState<Status>('pending');
  const [q, setQ] = useState('');
  const [risk, setRisk] = useState('');
  const [via, setVia] = useState('');
  const [offset, setOffset] = useState(0);
  // Status, risk and via filter on the server (paginated there); the search narrows the page shown.
  const approvals = usePendingApprovals(offset, PAGE, allowed, { status, risk, via });
  const page = useMemo(() => {
    const needle = q.trim().toLowerCase();
    return (approvals.data?.items ?? []).filter(
      (a) => !needle || a.tool.toLowerCase().includes(needle) || JSON.stringify(a.args).toLowerCase().includes(needle),
    );
  }, [approvals.data, q]);
  const reset =
    <T,>(fn: (v: T) => void) =>
    (v: T) => {
      fn(v);
      setOffset(0);
    };

  if (me.data && !allowed)
    return (
      <>
        <PageHeader title="Approvals" />
        <Empty title="You cannot decide approvals">Your role does not include tools:approve.</Empty>
      </>
    );

  return (
    <>
      <PageHeader title="Approvals" actions={<Button onClick={() => void approvals.refetch()}>Refresh</Button>}>
        Risky tool calls wait here for a decision. Each approval is single use and expires after five minutes.
      </PageHeader>
      <div className="filters" role="search">
        <Select label="Status" value={status} onChange={(e) => reset(setStatus)(e.target.value as Status)}>
          {STATUSES.map((st) => (
            <option key={st} value={st}>
              {st === 'all' ? 'All' : st[0]!.toUpperCase() + st.slice(1)}
            </option>
          ))}
        </Select>
        <TextInput label="Search" placeholder="Tool or argument" value={q} onChange={(e) => reset(setQ)(e.target.value)} />
        <Select label="Risk" value={risk} onChange={(e) => reset(setRisk)(e.target.value)}>
          <option value="">Any risk</option>
          {RISKS.map((r) => (
            <option key={r}>{r}</option>
          ))}
        </Select>
        <Select label="Requested via" value={via} onChange={(e) => reset(setVia)(e.target.value)}>
          <option value="">Anywhere</option>
          <option value="chat">Charlie</option>
          <option value="api">API</option>
          <option value="mcp">MCP</option>
          <option value="workflow">Workflow</option>
        </Select>
      </div>
      {approvals.isLoading ? <Loading /> : null}
      <ErrorBanner error={approvals.error} />
      {approvals.data && page.length === 0 ? (
        <Empty
          title={
            approvals.data.total === 0 && status === 'pending' && !risk && !via
              ? 'Nothing waits for a decision'
              : 'No approval matches the filters'
          }
        >
          {approvals.data.total === 0 && status === 'pending'
            ? 'When Charlie, a workflow or an API client asks to run a risky tool, it appears here.'
            : null}
        </Empty>
      ) : null}
      <div className="stack">
        {page.map((a) => (
          <ApprovalRow key={a.id} approval={a} />
        ))}
      </div>
      <Pager offset={offset} limit={PAGE} total={approvals.data?.total ?? 0} onChange={setOffset} />
    </>
  );
}

function ApprovalRow({ approval: a }: { approval: Approval }) {
  const decide = useDecideApproval();
  const [reason, setReason] = useState('');
  const expired = a.status === 'expired' || (a.status === 'pending' && new Date(a.expiresAt).getTime() < Date.now());
  const decided = a.status !== 'pending';
  return (
    <article className="card approval-row" id={a.id} aria-label={`Approval for ${a.tool}`}>
      <header className="row">
        <code className="tool-name">{a.tool}</code>
        <Badge tone={riskTone(a.risk)}>{a.risk}</Badge>
        <Badge tone="info">via {a.via}</Badge>
        {expired ? <Badge tone="neutral">expired</Badge> : null}
        {decided && !expired ? <Badge tone={a.status === 'approved' ? 'good' : 'bad'}>{a.status}</Badge> : null}
        <span className="muted push-right" title={formatDate(a.createdAt)}>
          {timeAgo(a.createdAt)} · expires {formatDate(a.expiresAt)}
        </span>
      </header>
      <pre className="args">{JSON.stringify(a.args, null, 2)}</pre>
      {a.threadId && a.via === 'chat' ? (
        <p className="muted">
          From <Link to={`/chat/${a.threadId}`}>a conversation with Charlie</Link>
        </p>
      ) : null}
      {decided || expired ? (
        a.reason ? (
          <p className="muted">Reason: {a.reason}</p>
        ) : null
      ) : decide.data ? (
        <p role="status">
          <Badge tone={decide.data.status === 'approved' ? 'good' : 'bad'}>{decide.data.status}</Badge>
        </p>
      ) : (
        <div className="decide-row">
          <input
            aria-label={`Reason for ${a.tool}`}
            placeholder="Reason (optional)"
            maxLength={1000}
            value={reason}
            onChange={(e) => setReason(e.target.value)}
          />
          <Button
            variant="primary"
            busy={decide.isPending && decide.variables?.approve}
            disabled={decide.isPending}
            onClick={() => decide.mutate({ id: a.id, approve: true, reason })}
          >
            Approve
          </Button>
          <Button
            variant="danger"
            busy={decide.isPending && !decide.variables?.approve}
            disabled={decide.isPending}
            onClick={() => decide.mutate({ id: a.id, approve: false, reason })}
          >
            Deny
          </Button>
        </div>
      )}
      <ErrorBanner error={decide.error} />
    </article>
  );
}
