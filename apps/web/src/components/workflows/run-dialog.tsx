import { useState } from 'react';
import type { JsonSchema } from '../../api/workflows.ts';
import { Button, ErrorBanner } from '../ui.tsx';
import { JsonField } from './fields.tsx';
import { Modal } from '../admin/dialog.tsx';

/** The run input, prefilled with the input schema's defaults, in a modal dialog. */
export function RunDialog({
  schema,
  busy,
  error,
  onRun,
  onCancel,
}: {
  schema: JsonSchema;
  busy: boolean;
  error: unknown;
  onRun: (input: Record<string, unknown>) => void;
  onCancel: () => void;
}) {
  const defaults = Object.fromEntries(
    Object.entries(schema.properties ?? {})
      .filter(([, s]) => s.default !== undefined)
      .map(([k, s]) => [k, s.default]),
  );
  const [input, setInput] = useState<Record<string, unknown>>(defaults);
  return (
    <Modal title="Run with input" onClose={onCancel}>
      {Object.entries(schema.properties ?? {}).length ? (
        <ul className="muted">
          {Object.entries(schema.properties ?? {}).map(([k, s]) => (
            <li key={k}>
              <code>{k}</code>
              {s.description ? ` — ${s.description}` : ''}
              {(schema.required ?? []).includes(k) ? ' (required)' : ''}
            </li>
          ))}
        </ul>
      ) : null}
      <JsonField label="Input (JSON)" rows={8} value={input} onChange={(v) => setInput((v as Record<string, unknown>) ?? {})} />
      <ErrorBanner error={error} />
      <div className="row modal-actions">
        <Button onClick={onCancel}>Cancel</Button>
        <Button variant="primary" busy={busy} onClick={() => onRun(input)}>
          Run
        </Button>
      </div>
    </Modal>
  );
}
