import { useState } from 'react';
import { Link } from 'react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { can, useMe } from '../../api/session.ts';
import { DOMAIN_LABEL, advisorApi, askCharlieLink, formatMoney, severityTone, type FindingStatus } from '../../api/advisor.ts';
import { Badge, Button, ErrorBanner, Loading, TextArea, fieldError, formatDate } from '../ui.tsx';

const ACTIONS: Array<{ status: FindingStatus; label: string; hint: string }> = [
  { status: 'acknowledged', label: 'Acknowledge', hint: 'Seen and accepted; it stays on the list.' },
  { status: 'resolved', label: 'Resolve', hint: 'Fixed; a later scan reopens it if it comes back.' },
  { status: 'dismissed', label: 'Dismiss', hint: 'Not relevant here.' },
  { status: 'open', label: 'Reopen', hint: 'Back on the open list.' },
];

/** One finding: what, why, the evidence, affected resources, a status change with a note, and "Ask Charlie". */
export function FindingDetail({ id }: { id: string }) {
  const me = useMe();
  const qc = useQueryClient();
  const finding = useQuery({ queryKey: ['finding', id], queryFn: () => advisorApi.finding(id) });
  const [note, setNote] = useState('');
  const change = useMutation({
    mutationFn: (status: FindingStatus) => advisorApi.setStatus(id, status, note.trim() || undefined),
    onSuccess: (f) => {
      qc.setQueryData(['finding', id], f);
      setNote('');
      void qc.invalidateQueries({ queryKey: ['findings'] });
      void qc.invalidateQueries({ queryKey: ['advisor-summary'] });
    },
  });
  if (finding.isLoading) return <Loading label="Loading the finding…" />;
  if (finding.isError || !finding.data) return <ErrorBanner error={finding.error} />;
  const f = finding.data;
  return (
    <article className="advisor-detail stack">
      <div>
        <Link to="/advisor">← All findings</Link>
      </div>
      <header className="page-header">
        <div>
          <h1>{f.title}</h1>
          <div className="row">
            <Badge tone={severityTone(f.severity)}>{f.severity}</Badge>
            <Badge>{DOMAIN_LABEL[f.domain]}</Badge>
            <Badge tone={f.status === 'open' ? 'warn' : f.status === 'resolved' ? 'good' : 'neutral'}>{f.status}</Badge>
            {f.monthlySaving > 0 ? <strong className="saving">{formatMoney(f.monthlySaving)}/month</strong> : null}
            <span className="muted">
              confidence {Math.round(f.confidence * 100)}% · first seen {formatDate(f.firstSeenAt)} · last seen {formatDate(f.lastSeenAt)}
            </span>
          </div>
        </div>
        <div className="page-actions">
          <Link className="btn btn-primary" to={askCharlieLink(f.charliePrompt)}>
            Ask Charlie
          </Link>
        </div>
      </header>
      <p>{f.summary}</p>
      <div className="grid advisor-explain">
        <section className="card">
          <h2>Impact</h2>
          <p>{f.impact}</p>
        </section>
        <section className="card">
          <h2>Recommendation</h2>
          <p>{f.recommendation}</p>
        </section>
      </div>
      <section>
        <h2>Affected resources ({f.resources.length})</h2>
        {f.resources.length ? (
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th>Name</th>
                  <th>Type</th>
                  <th>OCID</th>
                </tr>
              </thead>
              <tbody>
                {f.resources.map((r) => (
                  <tr key={r.id}>
                    <td>{r.name}</td>
                    <td>{r.type}</td>
                    <td>
                      <code>{r.id}</code>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : (
          <p className="muted">None listed.</p>
        )}
      </section>
      <section>
        <h2>Evidence</h2>
        {f.evidence.length ? (
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th>Call</th>
                  <th>Observed</th>
                </tr>
              </thead>
              <tbody>
                {f.evidence.map((e, i) => (
                  <tr key={i}>
                    <td>
                      <code>{e.call}</code>
                    </td>
                    <td>{e.observed}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : (
          <p className="muted">No evidence recorded.</p>
        )}
      </section>
      {can(me.data, 'findings:write') ? (
        <section className="card stack">
          <h2>Status</h2>
          {f.statusNote ? (
            <p>
              Note: <em>{f.statusNote}</em>
            </p>
          ) : null}
          <TextArea
            label="Note (optional)"
            value={note}
            maxLength={1000}
            rows={2}
            placeholder="Why — e.g. the instance is kept for month-end batch jobs"
            error={fieldError(change.error, 'note')}
            onChange={(e) => setNote(e.target.value)}
          />
          <ErrorBanner error={change.error} fields={['note']} />
          <div className="row">
            {ACTIONS.filter((a) => a.status !== f.status).map((a) => (
              <Button
                key={a.status}
                title={a.hint}
                busy={change.isPending && change.variables === a.status}
                onClick={() => change.mutate(a.status)}
              >
                {a.label}
              </Button>
            ))}
          </div>
        </section>
      ) : null}
    </article>
  );
}
