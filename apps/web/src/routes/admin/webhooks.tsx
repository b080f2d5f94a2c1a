import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client.ts';
import { Badge, Button, Empty, ErrorBanner, Loading, TextInput, fieldError, formatDate } from '../../components/ui.tsx';
import { ConfirmButton, SecretOnce } from '../../components/admin/dialog.tsx';
import { CheckboxGroup, SectionHeader } from '../../components/admin/common.tsx';

const EVENTS = [
  'tool.executed',
  'approval.requested',
  'approval.decided',
  'workflow.completed',
  'workflow.failed',
  'finding.created',
] as const;
type EventType = (typeof EVENTS)[number];
interface Subscription {
  id: string;
  url: string;
  description: string;
  eventTypes: EventType[];
  status: 'active' | 'paused';
  pausedReason: string | null;
  consecutiveFailures: number;
  createdAt: string;
}
interface Delivery {
  id: string;
  eventId: string;
  eventType: string;
  attempt: number;
  status: 'succeeded' | 'failed';
  responseStatus: number | null;
  error: string | null;
  durationMs: number;
  createdAt: string;
}

/** Webhooks: subscribe (the signing secret shown once), pause/resume, rotate the secret, deliveries with redeliver. */
export default function WebhooksSection() {
  const qc = useQueryClient();
  const subs = useQuery({
    queryKey: ['admin', 'webhooks'],
    queryFn: () => api.get<{ items: Subscription[]; total: number }>('/api/webhooks', { limit: 100, offset: 0 }),
  });
  const [url, setUrl] = useState('');
  const [description, setDescription] = useState('');
  const [events, setEvents] = useState<EventType[]>(['workflow.completed', 'workflow.failed']);
  const [secret, setSecret] = useState<{ label: string; value: string } | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  const refresh = () => void qc.invalidateQueries({ queryKey: ['admin', 'webhooks'] });
  const create = useMutation({
    mutationFn: () =>
      api.post<Subscription & { secret: string }>('/api/webhooks', { url, eventTypes: events, ...(description ? { description } : {}) }),
    onSuccess: (s) => {
      setSecret({ label: `Signing secret for ${s.url}`, value: s.secret });
      setUrl('');
      setDescription('');
      refresh();
    },
  });
  const status = useMutation({
    mutationFn: (s: Subscription) => api.patch(`/api/webhooks/${s.id}`, { status: s.status === 'active' ? 'paused' : 'active' }),
    onSettled: refresh,
  });
  return (
    <>
      <SectionHeader title="Webhooks">
        POSTs of portal events to your URLs, signed with HMAC-SHA256 (the secret is shown once). Private and loopback addresses are refused.
      </SectionHeader>
      {secret ? <SecretOnce label={secret.label} secret={secret.value} onDone={() => setSecret(null)} /> : null}
      <form
        className="card admin-form"
        aria-label="New webhook"
        onSubmit={(e) => {
          e.preventDefault();
          create.mutate();
        }}
      >
        <div className="row">
          <TextInput
            label="Endpoint URL"
            type="url"
            required
            value={url}
            placeholder="https://hooks.example.com/cloudnow"
            error={fieldError(create.error, 'url')}
            onChange={(e) => setUrl(e.target.value)}
          />
          <TextInput
            label="Description"
            value={description}
            error={fieldError(create.error, 'description')}
            onChange={(e) => setDescription(e.target.value)}
          />
        </div>
        <CheckboxGroup
          legend="Events"
          options={EVENTS}
          value={events}
          onChange={setEvents}
          error={fieldError(create.error, 'eventTypes')}
        />
        <ErrorBanner error={create.error} fields={['url', 'description', 'eventTypes']} />
        <Button type="submit" variant="primary" busy={create.isPending} disabled={!events.length}>
          Add webhook
        </Button>
      </form>
      <ErrorBanner error={subs.error ?? status.error} />
      {subs.isLoading ? (
        <Loading />
      ) : !subs.data?.items.length ? (
        <Empty title="No webhooks" />
      ) : (
        <div className="stack">
          {subs.data.items.map((s) => (
            <article key={s.id} className="card">
              <div className="row" style={{ justifyContent: 'space-between' }}>
                <div>
                  <strong>{s.url}</strong> <Badge tone={s.status === 'active' ? 'good' : 'warn'}>{s.status}</Badge>
                  {s.consecutiveFailures ? <Badge tone="bad">{s.consecutiveFailures} failures in a row</Badge> : null}
                  <div className="muted">
                    {s.description ? `${s.description} · ` : ''}
                    {s.eventTypes.join(', ')} · since {formatDate(s.createdAt)}
                  </div>
                  {s.pausedReason ? <div className="field-error">{s.pausedReason}</div> : null}
                </div>
                <div className="row actions-cell">
                  <Button className="btn-small" onClick={() => setOpen(open === s.id ? null : s.id)} aria-expanded={open === s.id}>
                    Deliveries
                  </Button>
                  <Button className="btn-small" onClick={() => status.mutate(s)}>
                    {s.status === 'active' ? 'Pause' : 'Resume'}
                  </Button>
                  <ConfirmButton
                    small
                    variant="secondary"
                    label="Rotate secret"
                    title="Rotate the signing secret?"
                    message="Deliveries are signed with the new secret at once; update your receiver."
                    onConfirm={async () => {
                      const r = await api.post<{ secret: string }>(`/api/webhooks/${s.id}/rotate-secret`);
                      setSecret({ label: `New signing secret for ${s.url}`, value: r.secret });
                    }}
                  />
                  <ConfirmButton
                    small
                    label="Delete"
                    title="Delete this webhook?"
                    message={`Events stop being sent to ${s.url}.`}
                    onConfirm={async () => {
                      await api.del(`/api/webhooks/${s.id}`);
                      refresh();
                    }}
                  />
                </div>
              </div>
              {open === s.id ? <Deliveries id={s.id} /> : null}
            </article>
          ))}
        </div>
      )}
    </>
  );
}

function Deliveries({ id }: { id: string }) {
  const qc = useQueryClient();
  const list = useQuery({
    queryKey: ['admin', 'webhook-deliveries', id],
    queryFn: () => api.get<{ items: Delivery[]; total: number }>(`/api/webhooks/${id}/deliveries`, { limit: 50, offset: 0 }),
    refetchInterval: 10_000,
  });
  const redeliver = useMutation({
    mutationFn: (deliveryId: string) => api.post(`/api/webhooks/${id}/deliveries/${deliveryId}/redeliver`),
    onSuccess: () => setTimeout(() => void qc.invalidateQueries({ queryKey: ['admin', 'webhook-deliveries', id] }), 1500),
  });
  if (list.isLoading) return <Loading />;
  if (list.isError) return <ErrorBanner error={list.error} />;
  if (!list.data?.items.length) return <p className="muted">No deliveries yet.</p>;
  return (
    <div className="table-wrap" style={{ marginTop: '0.75rem' }}>
      <ErrorBanner error={redeliver.error} />
      <table aria-label="Deliveries">
        <thead>
          <tr>
            <th>When</th>
            <th>Event</th>
            <th>Attempt</th>
            <th>Result</th>
            <th>Duration</th>
            <th>
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {list.data.items.map((d) => (
            <tr key={d.id}>
              <td>{formatDate(d.createdAt)}</td>
              <td>
                <code>{d.eventType}</code>
              </td>
              <td>{d.attempt}</td>
              <td>
                <Badge tone={d.status === 'succeeded' ? 'good' : 'bad'}>{d.responseStatus ?? d.status}</Badge>
                {d.error ? <div className="field-error">{d.error}</div> : null}
              </td>
              <td>{d.durationMs} ms</td>
              <td>
                <Button
                  className="btn-small"
                  busy={redeliver.isPending && redeliver.variables === d.id}
                  onClick={() => redeliver.mutate(d.id)}
                >
                  {redeliver.isSuccess && redeliver.variables === d.id ? 'Queued' : 'Redeliver'}
                </Button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
