import { useEffect, useState } from 'react';
import { Link, useParams } from 'react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { can, useMe } from '../../api/session.ts';
import { TERMINAL_RUN, statusTone, workflowsApi, type RunDetail, type RunStatus, type StepView } from '../../api/workflows.ts';
import { Badge, Button, ErrorBanner, Loading, PageHeader, TextInput, formatDate } from '../../components/ui.tsx';
import { ConfirmButton } from '../../components/admin/dialog.tsx';
import { TYPE_LABEL } from '../../components/workflows/graph.ts';
import './run.css';

interface LiveEvent {
  kind: 'status' | 'step';
  at: string;
  status: string;
  nodeId?: string;
  error?: string | null;
}

/**
 * Follows a run over SSE from the moment the page opens: every status or step event is appended to
 * the live log and refreshes the run. The server ends the stream after a terminal status (at once,
 * with the current status, for a run that has already finished), and the page then closes it.
 */
function useRunStream(runId: string): { events: LiveEvent[]; connected: boolean } {
  const qc = useQueryClient();
  const [events, setEvents] = useState<LiveEvent[]>([]);
  const [connected, setConnected] = useState(false);
  useEffect(() => {
    setEvents([]);
    let es: EventSource | null = null;
    let retry: ReturnType<typeof setTimeout> | null = null;
    let attempts = 0;
    let ended = false;
    const refresh = () => void qc.invalidateQueries({ queryKey: ['run', runId] });
    const onEvent = (kind: LiveEvent['kind']) => (m: MessageEvent<string>) => {
      const e = JSON.parse(m.data) as { at: string; status: string; nodeId?: string; error?: string | null };
      attempts = 0;
      setEvents((list) => [...list.slice(-199), { kind, at: e.at, status: e.status, nodeId: e.nodeId, error: e.error ?? null }]);
      refresh();
    };
    const open = () => {
      es = new EventSource(`/api/v1/workflows/runs/${runId}/stream`);
      es.onopen = () => setConnected(true);
      es.addEventListener('status', onEvent('status'));
      es.addEventListener('step', onEvent('step'));
      es.addEventListener('end', (m: MessageEvent<string>) => {
        const reason = (JSON.parse(m.data) as { reason?: string }).reason;
        es?.close();
        setConnected(false);
        refresh();
        // An idle timeout or a server shutdown is not the end of the run: follow it again.
        if (reason === 'finished') ended = true;
        else schedule();
      });
      es.onerror = () => {
        // A refused or dropped stream (a 503 under load, a restart): close it and reconnect with backoff.
        es?.close();
        setConnected(false);
        refresh();
        schedule();
      };
    };
    const schedule = () => {
      if (ended || attempts >= 8) return;
      const delay = Math.min(30_000, 500 * 2 ** attempts++);
      retry = setTimeout(open, delay);
    };
    open();
    return () => {
      ended = true;
      if (retry) clearTimeout(retry);
      es?.close();
    };
  }, [runId, qc]);
  return { events, connected };
}

/** /workflows/runs/:runId: status, a live timeline of steps, output, approve / cancel. */
export default function RunPage() {
  const { runId } = useParams();
  const me = useMe();
  const qc = useQueryClient();
  const run = useQuery({
    queryKey: ['run', runId],
    queryFn: () => workflowsApi.runDetail(runId!),
    // A safety net for a dropped stream: poll slowly until the run finishes.
    refetchInterval: (q) => (q.state.data && TERMINAL_RUN.has(q.state.data.status) ? false : 5000),
  });
  const finished = !!run.data && TERMINAL_RUN.has(run.data.status);
  const { events, connected } = useRunStream(runId!);
  const def = useQuery({
    queryKey: ['workflow', run.data?.definitionId],
    queryFn: () => workflowsApi.get(run.data!.definitionId),
    enabled: !!run.data,
    staleTime: 60_000,
  });
  const [comment, setComment] = useState('');
  const approve = useMutation({
    mutationFn: () => workflowsApi.approve(runId!, comment || undefined),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['run', runId] }),
  });
  const reject = useMutation({
    mutationFn: () => workflowsApi.reject(runId!, comment || undefined),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['run', runId] }),
  });

  if (run.isLoading) return <Loading label="Loading the run…" />;
  if (run.isError || !run.data) return <ErrorBanner error={run.error} />;
  const r = run.data;
  const canExec = can(me.data, 'workflows:execute');
  const nodes = def.data?.nodes ?? [];
  const timeline = buildTimeline(r, nodes);

  return (
    <div className="run-page">
      <PageHeader
        title={def.data?.name ?? 'Workflow run'}
        actions={
          <>
            {def.data ? <Link to={`/workflows/${def.data.id}`}>Open in designer</Link> : null}
            {canExec && !finished ? (
              <ConfirmButton
                label="Cancel run"
                title="Cancel this run?"
                message="Steps that have not started will not run. Steps with compensations are undone."
                onConfirm={async () => {
                  await workflowsApi.cancel(r.id);
                  await qc.invalidateQueries({ queryKey: ['run', runId] });
                }}
              />
            ) : null}
          </>
        }
      >
        Run <code>{r.id.slice(0, 8)}</code> of version {r.version} · {r.trigger} run started {formatDate(r.createdAt)}
      </PageHeader>

      <div className="row run-status" aria-live="polite">
        <span>Status</span>
        <Badge tone={statusTone(r.status)}>
          <span data-testid="run-status">{r.status}</span>
        </Badge>
        {!finished ? <span className="muted">{connected ? '● live' : 'connecting…'}</span> : null}
        {r.finishedAt ? <span className="muted">finished {formatDate(r.finishedAt)}</span> : null}
        <span className="muted">{r.stepsExecuted} step(s) executed</span>
      </div>
      {r.error ? (
        <div className="banner banner-error" role="alert">
          {r.error}
        </div>
      ) : null}

      {r.status === 'suspended' && canExec ? (
        <section className="card stack run-approval">
          <h2>Waiting for approval</h2>
          <p>{String(nodes.find((n) => n.id === r.suspendedNode)?.config.message ?? `Step ${r.suspendedNode} needs approval.`)}</p>
          <TextInput label="Comment (optional)" value={comment} onChange={(e) => setComment(e.target.value)} />
          <ErrorBanner error={approve.error ?? reject.error} />
          <div className="row">
            <Button variant="primary" busy={approve.isPending} disabled={reject.isPending} onClick={() => approve.mutate()}>
              Approve and continue
            </Button>
            <Button variant="danger" busy={reject.isPending} disabled={approve.isPending} onClick={() => reject.mutate()}>
              Reject
            </Button>
          </div>
        </section>
      ) : null}

      <div className="run-grid">
        <section>
          <h2>Timeline</h2>
          <ol className="timeline" aria-label="Run timeline">
            {timeline.map((t) => (
              <li key={`${t.nodeId}:${t.iteration}`} className={`tl-item tl-${t.status}`} data-status={t.status}>
                <span className="tl-dot" aria-hidden="true" />
                <div className="tl-body">
                  <div className="row">
                    <strong>{t.title}</strong>
                    <span className="muted">{t.typeLabel}</span>
                    <Badge tone={statusTone(t.status)}>{t.status}</Badge>
                    {t.attempts > 1 ? <span className="muted">{t.attempts} attempts</span> : null}
                    {t.duration !== null ? <span className="muted">{t.duration} ms</span> : null}
                  </div>
                  {t.error ? <div className="field-error">{t.error}</div> : null}
                  {t.output !== undefined && t.output !== null ? (
                    <details>
                      <summary>Output</summary>
                      <pre>{JSON.stringify(t.output, null, 2)}</pre>
                    </details>
                  ) : null}
                </div>
              </li>
            ))}
          </ol>
        </section>
        <aside className="stack">
          {finished ? (
            <section>
              <h2>Output</h2>
              <pre data-testid="run-output">{JSON.stringify(r.output, null, 2)}</pre>
            </section>
          ) : null}
          <section>
            <h2>Input</h2>
            <pre>{JSON.stringify(r.input, null, 2)}</pre>
          </section>
          {events.length ? (
            <section>
              <h2>Live events</h2>
              <ul className="live-log" aria-label="Live events">
                {events.map((e, i) => (
                  <li key={i}>
                    <time className="muted">{new Date(e.at).toLocaleTimeString()}</time>{' '}
                    {e.kind === 'step' ? <code>{e.nodeId}</code> : 'run'} → {e.status}
                  </li>
                ))}
              </ul>
            </section>
          ) : null}
        </aside>
      </div>
    </div>
  );
}

interface TimelineItem {
  nodeId: string;
  iteration: number;
  title: string;
  typeLabel: string;
  status: string;
  attempts: number;
  duration: number | null;
  error: string | null;
  output: unknown;
}

/** Steps as they ran (by start time), then the definition's steps that have not run yet. */
function buildTimeline(
  r: RunDetail,
  nodes: Array<{ id: string; type: string; name?: string; config: Record<string, unknown> }>,
): TimelineItem[] {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const title = (id: string) => {
    const n = byId.get(id);
    return n?.name ?? (n?.type === 'tool' ? String(n.config.tool ?? id) : id);
  };
  const label = (t: string) => TYPE_LABEL[t as keyof typeof TYPE_LABEL] ?? t;
  const steps = [...r.steps].sort((a, b) => (a.startedAt ?? '￿').localeCompare(b.startedAt ?? '￿'));
  const items: TimelineItem[] = steps.map((s: StepView) => ({
    nodeId: s.nodeId,
    iteration: s.iteration,
    title: s.iteration ? `${title(s.nodeId)} #${s.iteration}` : title(s.nodeId),
    typeLabel: label(s.nodeType),
    status: s.status,
    attempts: s.attempts,
    duration: s.startedAt && s.finishedAt ? new Date(s.finishedAt).getTime() - new Date(s.startedAt).getTime() : null,
    error: s.error,
    output: s.output,
  }));
  const seen = new Set(r.steps.map((s) => s.nodeId));
  const waiting: RunStatus[] = ['pending', 'running', 'suspended'];
  for (const n of nodes) {
    if (seen.has(n.id)) continue;
    items.push({
      nodeId: n.id,
      iteration: 0,
      title: title(n.id),
      typeLabel: label(n.type),
      status: waiting.includes(r.status) ? 'waiting' : 'not run',
      attempts: 0,
      duration: null,
      error: null,
      output: undefined,
    });
  }
  return items;
}
