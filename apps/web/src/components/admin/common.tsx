import type { ReactNode } from 'react';
import { Field } from '../ui.tsx';

/** Comma- or newline-separated text → trimmed, non-empty items. */
export function splitList(text: string): string[] {
  return text
    .split(/[\n,]/)
    .map((s) => s.trim())
    .filter(Boolean);
}

/** `KEY=value` (or `Key: value`) lines → a record; lines without a separator are ignored. */
export function parsePairs(text: string, sep: '=' | ':'): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const i = line.indexOf(sep);
    if (i <= 0) continue;
    out[line.slice(0, i).trim()] = line.slice(i + 1).trim();
  }
  return out;
}

/** A titled block of an admin section with its actions on the right. */
export function SectionHeader({ title, actions, children }: { title: string; actions?: ReactNode; children?: ReactNode }) {
  return (
    <div className="admin-section-head">
      <div>
        <h2>{title}</h2>
        {children ? <p className="muted">{children}</p> : null}
      </div>
      {actions ? <div className="row">{actions}</div> : null}
    </div>
  );
}

/** A labelled checkbox (the field error slot included). */
export function Checkbox({
  label,
  checked,
  onChange,
  hint,
  error,
}: {
  label: string;
  checked: boolean;
  onChange: (v: boolean) => void;
  hint?: string;
  error?: string | null;
}) {
  return (
    <div className={`field check${error ? ' field-invalid' : ''}`}>
      <label>
        <input type="checkbox" checked={checked} onChange={(e) => onChange(e.target.checked)} /> {label}
      </label>
      {hint && !error ? <small className="hint">{hint}</small> : null}
      {error ? (
        <small className="field-error" role="alert">
          {error}
        </small>
      ) : null}
    </div>
  );
}

/** A group of checkboxes over a fixed list of values. */
export function CheckboxGroup<T extends string>({
  legend,
  options,
  value,
  onChange,
  error,
}: {
  legend: string;
  options: readonly T[];
  value: T[];
  onChange: (v: T[]) => void;
  error?: string | null;
}) {
  return (
    <fieldset className={`checks${error ? ' field-invalid' : ''}`}>
      <legend>{legend}</legend>
      {options.map((o) => (
        <label key={o}>
          <input
            type="checkbox"
            checked={value.includes(o)}
            onChange={(e) => onChange(e.target.checked ? [...value, o] : value.filter((x) => x !== o))}
          />{' '}
          {o}
        </label>
      ))}
      {error ? (
        <small className="field-error" role="alert">
          {error}
        </small>
      ) : null}
    </fieldset>
  );
}

/** A read-only value with a label (for details that are not edited). */
export function ReadOnly({ label, children }: { label: string; children: ReactNode }) {
  return <Field label={label}>{(id) => <output id={id}>{children}</output>}</Field>;
}
