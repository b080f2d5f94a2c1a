import { useState, type FormEvent } from 'react';
import { getToolName, type DynamicToolUIPart, type ToolUIPart } from 'ai';
import { Badge, Button } from '../ui.tsx';
import { ResultView, rowsOf } from './result-view.tsx';

export type AnyToolPart = ToolUIPart | DynamicToolUIPart;

const STATE_LABEL: Record<AnyToolPart['state'], [string, 'neutral' | 'good' | 'warn' | 'bad' | 'info']> = {
  'input-streaming': ['preparing…', 'info'],
  'input-available': ['running…', 'info'],
  'approval-requested': ['needs approval', 'warn'],
  'approval-responded': ['answered', 'info'],
  'output-available': ['done', 'good'],
  'output-error': ['failed', 'bad'],
  'output-denied': ['denied', 'bad'],
};

const pretty = (name: string) => name.replace(/_/g, ' ');
const isShort = (v: unknown) => JSON.stringify(v ?? null).length < 4000;

/**
 * One tool call in the conversation: name, state, arguments (collapsible) and the result — lists
 * as tables — or the approval card when the gate wants a decision.
 */
export function ToolCard({
  part,
  onDecide,
  busy,
}: {
  part: AnyToolPart;
  onDecide: (approvalId: string, approved: boolean, reason: string) => void;
  busy: boolean;
}) {
  const name = getToolName(part);
  const [label, tone] = STATE_LABEL[part.state];
  // Results are shown open (a list as a table, a resource as its fields); large raw JSON starts folded.
  const openResult = part.state === 'output-available' && (rowsOf(part.output) !== null || isShort(part.output));
  const approved = part.approval?.approved;
  return (
    <article className={`tool-card tool-${part.state}`} aria-label={`Tool ${name}`}>
      <header className="tool-card-head">
        <span className="tool-icon" aria-hidden="true">
          ⚙
        </span>
        <strong>{pretty(name)}</strong>
        <code className="muted">{name}</code>
        <Badge tone={tone}>{label}</Badge>
        {approved === true && part.state !== 'approval-responded' ? <Badge tone="good">approved</Badge> : null}
        {part.state === 'input-available' || part.state === 'input-streaming' || part.state === 'approval-responded' ? (
          <span className="spinner" aria-hidden="true" />
        ) : null}
      </header>
      {part.input !== undefined && Object.keys((part.input as object) ?? {}).length > 0 ? (
        <details className="tool-section">
          <summary>Arguments</summary>
          <pre>{JSON.stringify(part.input, null, 2)}</pre>
        </details>
      ) : null}
      {part.state === 'approval-requested' ? (
        <ApprovalPrompt toolName={name} input={part.input} onDecide={(ok, reason) => onDecide(part.approval.id, ok, reason)} busy={busy} />
      ) : null}
      {part.state === 'approval-responded' ? (
        <p className="muted tool-note">{part.approval.approved ? 'Approved — running the tool…' : 'Denied — telling Charlie…'}</p>
      ) : null}
      {part.state === 'output-available' ? (
        <details className="tool-section" open={openResult || undefined}>
          <summary>Result</summary>
          <ResultView value={part.output} caption={`${pretty(name)} result`} />
        </details>
      ) : null}
      {part.state === 'output-error' ? (
        <div className="banner banner-error" role="alert">
          {part.errorText}
        </div>
      ) : null}
      {part.state === 'output-denied' ? (
        <p className="tool-note">
          <Badge tone="bad">Denied</Badge> {part.approval.reason ? `Reason: ${part.approval.reason}` : 'No reason given.'}
        </p>
      ) : null}
    </article>
  );
}

function ApprovalPrompt({
  toolName,
  input,
  onDecide,
  busy,
}: {
  toolName: string;
  input: unknown;
  onDecide: (approved: boolean, reason: string) => void;
  busy: boolean;
}) {
  const [reason, setReason] = useState('');
  const target = (input as { instanceId?: string; name?: string } | undefined)?.instanceId;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onDecide(true, reason);
  };
  return (
    <form className="approval-card" onSubmit={submit} aria-label={`Approve ${toolName}`}>
      <p>
        <strong>Charlie wants to run {pretty(toolName)}</strong>
        {target ? (
          <>
            {' '}
            on <code>{target}</code>
          </>
        ) : null}
        . This changes your tenancy; approve it to go ahead.
      </p>
      <input
        placeholder="Reason (optional)"
        aria-label="Reason"
        value={reason}
        maxLength={1000}
        onChange={(e) => setReason(e.target.value)}
      />
      <div className="row">
        <Button type="submit" variant="primary" busy={busy}>
          Approve
        </Button>
        <Button variant="danger" onClick={() => onDecide(false, reason)} disabled={busy}>
          Deny
        </Button>
      </div>
    </form>
  );
}
