import { ApiError } from '../../api/client.ts';
import { stripField } from '../../api/auth.ts';
import { Field, Select, TextArea, TextInput } from '../ui.tsx';

/** The JSON Schema subset tool inputs use. */
export interface JsonSchema {
  type?: string | string[];
  description?: string;
  enum?: unknown[];
  default?: unknown;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  minimum?: number;
  maximum?: number;
}

/** Form values are kept as text (or a boolean) and converted once, when the tool runs. */
export type FormValues = Record<string, string | boolean>;

const typeOf = (s: JsonSchema): string => (Array.isArray(s.type) ? (s.type.find((t) => t !== 'null') ?? 'string') : (s.type ?? 'string'));

/** Initial values: the schema's defaults. */
export function initialValues(schema: JsonSchema): FormValues {
  const out: FormValues = {};
  for (const [k, p] of Object.entries(schema.properties ?? {})) {
    if (p.default === undefined) continue;
    out[k] = typeOf(p) === 'boolean' ? !!p.default : typeof p.default === 'object' ? JSON.stringify(p.default) : String(p.default);
  }
  return out;
}

/** Turns the form into the tool's arguments: empty fields are left out; numbers, lists and JSON parsed. */
export function toArgs(schema: JsonSchema, values: FormValues): Record<string, unknown> {
  const args: Record<string, unknown> = {};
  for (const [k, p] of Object.entries(schema.properties ?? {})) {
    const v = values[k];
    if (v === undefined || v === '') continue;
    const t = typeOf(p);
    if (t === 'boolean') args[k] = !!v;
    else if (t === 'number' || t === 'integer') args[k] = Number(v);
    else if (t === 'array' && typeOf(p.items ?? {}) === 'string' && !String(v).trim().startsWith('['))
      args[k] = String(v)
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
    else if (t === 'object' || t === 'array') {
      try {
        args[k] = JSON.parse(String(v));
      } catch {
        args[k] = v; // the server names the field
      }
    } else args[k] = v;
  }
  return args;
}

const label = (k: string) => k.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/^./, (c) => c.toUpperCase());

/** A form for a tool's JSON Schema; server errors naming `args.<field>` show beside the field. */
export function SchemaForm({
  schema,
  values,
  onChange,
  error,
}: {
  schema: JsonSchema;
  values: FormValues;
  onChange: (v: FormValues) => void;
  error: unknown;
}) {
  const props = Object.entries(schema.properties ?? {});
  const required = new Set(schema.required ?? []);
  if (props.length === 0) return <p className="muted">This tool takes no arguments.</p>;
  const err = (k: string) =>
    error instanceof ApiError && (error.field === `args.${k}` || error.field === k) ? stripField(error.message) : null;
  const set = (k: string, v: string | boolean) => onChange({ ...values, [k]: v });
  return (
    <div>
      {props.map(([k, p]) => {
        const t = typeOf(p);
        const text = `${label(k)}${required.has(k) ? ' *' : ''}`;
        const hint = p.description;
        if (p.enum)
          return (
            <Select key={k} label={text} value={String(values[k] ?? '')} onChange={(e) => set(k, e.target.value)} error={err(k)}>
              <option value="">{required.has(k) ? 'Choose…' : '(not set)'}</option>
              {p.enum.map((o) => (
                <option key={String(o)} value={String(o)}>
                  {String(o)}
                </option>
              ))}
            </Select>
          );
        if (t === 'boolean')
          return (
            <Field key={k} label={text} error={err(k)} {...(hint ? { hint } : {})}>
              {(id) => <input id={id} type="checkbox" checked={!!values[k]} onChange={(e) => set(k, e.target.checked)} />}
            </Field>
          );
        if (t === 'object' || (t === 'array' && typeOf(p.items ?? {}) !== 'string'))
          return (
            <TextArea
              key={k}
              label={text}
              className="json-editor"
              hint={hint ? `${hint} (JSON)` : 'JSON'}
              value={String(values[k] ?? '')}
              onChange={(e) => set(k, e.target.value)}
              error={err(k)}
            />
          );
        return (
          <TextInput
            key={k}
            label={text}
            type={t === 'number' || t === 'integer' ? 'number' : 'text'}
            {...(p.minimum !== undefined ? { min: p.minimum } : {})}
            {...(p.maximum !== undefined ? { max: p.maximum } : {})}
            hint={t === 'array' ? `${hint ? `${hint} — ` : ''}comma-separated` : hint}
            value={String(values[k] ?? '')}
            onChange={(e) => set(k, e.target.value)}
            error={err(k)}
          />
        );
      })}
    </div>
  );
}
