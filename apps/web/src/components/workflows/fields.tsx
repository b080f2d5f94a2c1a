import { useEffect, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { workflowsApi, type JsonSchema } from '../../api/workflows.ts';
import { Field, TextArea, TextInput } from '../ui.tsx';

/** A JSON value edited as text: parsed on blur, with the parse error shown beside the field. */
export function JsonField({
  label,
  value,
  onChange,
  error,
  hint,
  rows = 4,
}: {
  label: string;
  value: unknown;
  onChange: (v: unknown) => void;
  error?: string | null;
  hint?: string;
  rows?: number;
}) {
  const pretty = value === undefined ? '' : JSON.stringify(value, null, 2);
  const [text, setText] = useState(pretty);
  const [bad, setBad] = useState<string | null>(null);
  useEffect(() => {
    setText(pretty);
    setBad(null);
  }, [pretty]);
  return (
    <TextArea
      label={label}
      value={text}
      rows={rows}
      spellCheck={false}
      className="mono"
      error={bad ?? error ?? null}
      {...(hint ? { hint } : {})}
      onChange={(e) => setText(e.target.value)}
      onBlur={() => {
        if (text.trim() === '') {
          setBad(null);
          onChange(undefined);
          return;
        }
        try {
          onChange(JSON.parse(text));
          setBad(null);
        } catch (e) {
          setBad(`not valid JSON: ${(e as Error).message}`);
        }
      }}
    />
  );
}

function typeOf(s: JsonSchema): string {
  return Array.isArray(s.type) ? (s.type.find((t) => t !== 'null') ?? 'string') : (s.type ?? 'string');
}

/** What a typed text becomes: templates and plain text stay strings; numbers, booleans and JSON take their type. */
function coerce(text: string, s: JsonSchema): unknown {
  if (text.includes('{{')) return text;
  const t = typeOf(s);
  if ((t === 'number' || t === 'integer') && /^-?\d+(\.\d+)?$/.test(text.trim())) return Number(text);
  if (t === 'boolean' && (text === 'true' || text === 'false')) return text === 'true';
  if (t === 'array' || t === 'object') {
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }
  return text;
}

const show = (v: unknown): string => (v === undefined || v === null ? '' : typeof v === 'string' ? v : JSON.stringify(v));

/**
 * A tool's arguments as a form built from its input schema (one field per property, required ones
 * marked); every value may be a `{{template}}` reading the input or earlier steps.
 */
export function ToolArgs({
  tool,
  args,
  onChange,
  issues,
  prefix,
}: {
  tool: string;
  args: Record<string, unknown>;
  onChange: (args: Record<string, unknown>) => void;
  issues: (field: string) => string | null;
  prefix: string;
}) {
  const detail = useQuery({ queryKey: ['tool', tool], queryFn: () => workflowsApi.tool(tool), enabled: !!tool, staleTime: 300_000 });
  if (!tool) return null;
  if (detail.isLoading) return <p className="muted">Loading the tool’s arguments…</p>;
  if (detail.isError) return <p className="field-error">Unknown tool “{tool}”.</p>;
  const schema = detail.data?.inputSchema ?? {};
  const props = Object.entries(schema.properties ?? {});
  const required = new Set(schema.required ?? []);
  const extra = Object.keys(args).filter((k) => !(schema.properties ?? {})[k]);
  return (
    <div className="stack wf-args">
      {props.length === 0 ? <p className="muted">This tool takes no arguments.</p> : null}
      {props.map(([key, s]) => {
        const enumValues = Array.isArray(s.enum) ? s.enum : null;
        const label = `${key}${required.has(key) ? ' *' : ''}`;
        const set = (text: string) => {
          const next = { ...args };
          if (text === '') delete next[key];
          else next[key] = coerce(text, s);
          onChange(next);
        };
        const error = issues(`${prefix}.${key}`);
        return enumValues ? (
          <Field key={key} label={label} error={error}>
            {(id) => (
              <select id={id} value={show(args[key])} onChange={(e) => set(e.target.value)}>
                <option value="">{required.has(key) ? 'Choose…' : '(default)'}</option>
                {enumValues.map((v) => (
                  <option key={String(v)} value={String(v)}>
                    {String(v)}
                  </option>
                ))}
              </select>
            )}
          </Field>
        ) : (
          <TextInput
            key={key}
            label={label}
            value={show(args[key])}
            placeholder={s.default !== undefined ? `default ${show(s.default)}` : typeOf(s)}
            hint={s.description ?? typeOf(s)}
            error={error}
            onChange={(e) => set(e.target.value)}
          />
        );
      })}
      {extra.length ? <p className="muted">Also set: {extra.join(', ')} (edit them as JSON below).</p> : null}
      <details>
        <summary>Arguments as JSON</summary>
        <JsonField label="Arguments" value={args} onChange={(v) => onChange((v as Record<string, unknown>) ?? {})} />
      </details>
    </div>
  );
}
