import type { ButtonHTMLAttributes, InputHTMLAttributes, ReactNode, SelectHTMLAttributes, TextareaHTMLAttributes } from 'react';
import { useId } from 'react';
import { ApiError } from '../api/client.ts';

/** Shared building blocks: every page composes these so the portal looks and behaves as one app. */

type ButtonProps = ButtonHTMLAttributes<HTMLButtonElement> & { variant?: 'primary' | 'secondary' | 'danger' | 'ghost'; busy?: boolean };

export function Button({ variant = 'secondary', busy, children, disabled, className, ...rest }: ButtonProps) {
  return (
    <button
      type="button"
      {...rest}
      className={`btn btn-${variant}${className ? ` ${className}` : ''}`}
      disabled={disabled || busy}
      aria-busy={busy || undefined}
    >
      {busy ? <span className="spinner" aria-hidden="true" /> : null}
      {children}
    </button>
  );
}

/** A labelled control with its server-side error shown beside it. */
export function Field({
  label,
  error,
  hint,
  children,
}: {
  label: string;
  error?: string | null;
  hint?: string;
  children: (id: string) => ReactNode;
}) {
  const id = useId();
  return (
    <div className={`field${error ? ' field-invalid' : ''}`}>
      <label htmlFor={id}>{label}</label>
      {children(id)}
      {hint && !error ? <small className="hint">{hint}</small> : null}
      {error ? (
        <small className="field-error" role="alert">
          {error}
        </small>
      ) : null}
    </div>
  );
}

export function TextInput({
  label,
  error,
  hint,
  ...rest
}: InputHTMLAttributes<HTMLInputElement> & { label: string; error?: string | null; hint?: string }) {
  return (
    <Field label={label} error={error ?? null} {...(hint ? { hint } : {})}>
      {(id) => <input id={id} aria-invalid={!!error || undefined} {...rest} />}
    </Field>
  );
}

export function TextArea({
  label,
  error,
  hint,
  ...rest
}: TextareaHTMLAttributes<HTMLTextAreaElement> & { label: string; error?: string | null; hint?: string }) {
  return (
    <Field label={label} error={error ?? null} {...(hint ? { hint } : {})}>
      {(id) => <textarea id={id} aria-invalid={!!error || undefined} {...rest} />}
    </Field>
  );
}

export function Select({
  label,
  error,
  children,
  ...rest
}: SelectHTMLAttributes<HTMLSelectElement> & { label: string; error?: string | null }) {
  return (
    <Field label={label} error={error ?? null}>
      {(id) => (
        <select id={id} aria-invalid={!!error || undefined} {...rest}>
          {children}
        </select>
      )}
    </Field>
  );
}

/** The error of a mutation or query for a form: the field it names (if any) and the message. */
export function fieldError(error: unknown, field: string): string | null {
  return error instanceof ApiError && error.field === field ? error.message : null;
}

/** An error that names no field of the form, shown above it. */
export function ErrorBanner({ error, fields = [] }: { error: unknown; fields?: string[] }) {
  if (!error) return null;
  if (error instanceof ApiError && error.field && fields.includes(error.field)) return null;
  const message = error instanceof Error ? error.message : String(error);
  return (
    <div className="banner banner-error" role="alert">
      {message}
    </div>
  );
}

export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <div className="loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" /> {label}
    </div>
  );
}

export function Empty({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="empty">
      <strong>{title}</strong>
      {children ? <div>{children}</div> : null}
    </div>
  );
}

export function PageHeader({ title, actions, children }: { title: string; actions?: ReactNode; children?: ReactNode }) {
  return (
    <header className="page-header">
      <div>
        <h1>{title}</h1>
        {children ? <p className="muted">{children}</p> : null}
      </div>
      {actions ? <div className="page-actions">{actions}</div> : null}
    </header>
  );
}

export function Badge({ tone = 'neutral', children }: { tone?: 'neutral' | 'good' | 'warn' | 'bad' | 'info'; children: ReactNode }) {
  return <span className={`badge badge-${tone}`}>{children}</span>;
}

/** Offset pagination under a list. */
export function Pager({
  offset,
  limit,
  total,
  onChange,
}: {
  offset: number;
  limit: number;
  total: number;
  onChange: (offset: number) => void;
}) {
  if (total <= limit) return null;
  const page = Math.floor(offset / limit) + 1;
  const pages = Math.max(1, Math.ceil(total / limit));
  return (
    <nav className="pager" aria-label="Pagination">
      <Button onClick={() => onChange(Math.max(0, offset - limit))} disabled={offset === 0}>
        Previous
      </Button>
      <span>
        Page {page} of {pages} · {total} in all
      </span>
      <Button onClick={() => onChange(offset + limit)} disabled={offset + limit >= total}>
        Next
      </Button>
    </nav>
  );
}

/** Tone for a risk level of the tool catalogue. */
export function riskTone(risk: string): 'good' | 'info' | 'warn' | 'bad' {
  return risk === 'read' || risk === 'low'
    ? 'good'
    : risk === 'medium' || risk === 'write'
      ? 'warn'
      : risk === 'high' || risk === 'danger' || risk === 'critical'
        ? 'bad'
        : 'info';
}

export function formatDate(value: string | number | Date | null | undefined): string {
  if (value === null || value === undefined) return '—';
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? '—' : d.toLocaleString();
}

/** Tone for an OCI lifecycle state or an execution/approval status (RUNNING, STOPPED, ok, pending…). */
export function stateTone(state: string): 'neutral' | 'good' | 'warn' | 'bad' | 'info' {
  const s = state.toUpperCase();
  if (['RUNNING', 'AVAILABLE', 'ACTIVE', 'OK', 'APPROVED', 'SUCCEEDED', 'COMPLETED', 'ENABLED', 'HEALTHY'].includes(s)) return 'good';
  if (['STOPPING', 'STARTING', 'PROVISIONING', 'UPDATING', 'PENDING', 'PENDING_APPROVAL', 'CREATING', 'RESTORING', 'SCALING'].includes(s))
    return 'warn';
  if (['STOPPED', 'INACTIVE', 'EXPIRED', 'DISABLED'].includes(s)) return 'neutral';
  if (['TERMINATED', 'TERMINATING', 'FAILED', 'ERROR', 'DENIED', 'INVALID', 'DELETED', 'DELETING', 'UNAVAILABLE'].includes(s)) return 'bad';
  return 'info';
}

/** A short relative time ("3 min ago"), falling back to the date. */
export function timeAgo(value: string | number | Date | null | undefined): string {
  if (value === null || value === undefined) return '—';
  const t = new Date(value).getTime();
  if (Number.isNaN(t)) return '—';
  const s = Math.round((Date.now() - t) / 1000);
  if (s < 45) return 'just now';
  if (s < 3600) return `${Math.round(s / 60)} min ago`;
  if (s < 86_400) return `${Math.round(s / 3600)} h ago`;
  return new Date(t).toLocaleDateString();
}
