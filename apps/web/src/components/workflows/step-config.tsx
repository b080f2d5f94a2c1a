import { useState } from 'react';
import type { ToolSummary } from '../../api/workflows.ts';
import { Button, Select, TextInput } from '../ui.tsx';
import { JsonField, ToolArgs } from './fields.tsx';

/** The per-type editors of the properties panel: numbers, the tool picker, input, loop and output mappings. */

export function NumberInput({
  label,
  value,
  onChange,
  error,
}: {
  label: string;
  value: unknown;
  onChange: (v: number | undefined) => void;
  error?: string | null;
}) {
  return (
    <TextInput
      label={label}
      type="number"
      value={typeof value === 'number' ? value : ''}
      error={error ?? null}
      onChange={(e) => onChange(e.target.value === '' ? undefined : Number(e.target.value))}
    />
  );
}

export function ToolSelect({
  label,
  tools,
  value,
  onChange,
  error,
}: {
  label: string;
  tools: ToolSummary[];
  value: string;
  onChange: (t: string) => void;
  error?: string | null;
}) {
  const cats = [...new Set(tools.map((t) => t.category))].sort();
  return (
    <Select label={label} value={value} error={error ?? null} onChange={(e) => onChange(e.target.value)}>
      <option value="">Choose a tool…</option>
      {cats.map((cat) => (
        <optgroup key={cat} label={cat}>
          {tools
            .filter((t) => t.category === cat)
            .map((t) => (
              <option key={t.name} value={t.name}>
                {t.name} ({t.risk})
              </option>
            ))}
        </optgroup>
      ))}
    </Select>
  );
}

export function InputConfig({
  schema,
  onChange,
}: {
  schema: Record<string, unknown> | null;
  onChange: (s: Record<string, unknown> | null) => void;
}) {
  return (
    <JsonField
      label="Run input schema (JSON Schema)"
      rows={6}
      hint='Optional. e.g. {"type":"object","properties":{"region":{"type":"string","default":"eu-frankfurt-1"}}}'
      value={schema ?? undefined}
      onChange={(v) => onChange((v as Record<string, unknown>) ?? null)}
    />
  );
}

export function LoopConfig({
  c,
  set,
  issue,
  tools,
}: {
  c: Record<string, unknown>;
  set: (k: string, v: unknown) => void;
  issue: (f: string) => string | null;
  tools: ToolSummary[];
}) {
  const body = (c.body as { tool?: string; args?: Record<string, unknown> }) ?? {};
  return (
    <>
      <TextInput
        label="Items"
        value={String(c.items ?? '')}
        className="mono"
        hint="A template giving a list, e.g. {{steps.list.output.items}}"
        error={issue('items')}
        onChange={(e) => set('items', e.target.value)}
      />
      <ToolSelect
        label="Tool for each item"
        tools={tools}
        value={body.tool ?? ''}
        error={issue('body.tool')}
        onChange={(t) => set('body', { tool: t, args: {} })}
      />
      <ToolArgs
        tool={body.tool ?? ''}
        args={body.args ?? {}}
        onChange={(a) => set('body', { ...body, args: a })}
        issues={issue}
        prefix="body.args"
      />
      <div className="row">
        <Select label="Mode" value={String(c.mode ?? 'sequential')} onChange={(e) => set('mode', e.target.value)}>
          <option value="sequential">One at a time</option>
          <option value="parallel">In parallel</option>
        </Select>
        <TextInput
          label="Concurrency"
          type="number"
          value={typeof c.concurrency === 'number' ? c.concurrency : ''}
          onChange={(e) => set('concurrency', e.target.value ? Number(e.target.value) : undefined)}
        />
        <TextInput
          label="Max iterations"
          type="number"
          value={typeof c.maxIterations === 'number' ? c.maxIterations : ''}
          onChange={(e) => set('maxIterations', e.target.value ? Number(e.target.value) : undefined)}
        />
      </div>
      <TextInput
        label="Filter"
        value={String(c.filter ?? '')}
        className="mono"
        hint="Optional: keep items where this is true (item, index)"
        error={issue('filter')}
        onChange={(e) => set('filter', e.target.value)}
      />
      <TextInput
        label="Stop when"
        value={String(c.breakWhen ?? '')}
        className="mono"
        hint="Optional: stop after an iteration where this is true (item, index, result)"
        error={issue('breakWhen')}
        onChange={(e) => set('breakWhen', e.target.value)}
      />
    </>
  );
}

/** The output mapping as key → template rows. */
export function MappingEditor({
  mapping,
  onChange,
  error,
}: {
  mapping: Record<string, unknown>;
  onChange: (m: Record<string, unknown>) => void;
  error: string | null;
}) {
  const rows = Object.entries(mapping);
  const [newKey, setNewKey] = useState('');
  const show = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));
  return (
    <fieldset className="wf-mapping">
      <legend>Output mapping</legend>
      <p className="muted">Each key of the run output and where it comes from, e.g. {'{{steps.list_instances_1.output}}'}.</p>
      {rows.map(([k, v]) => (
        <div className="row" key={k}>
          <TextInput label={k} value={show(v)} className="mono" onChange={(e) => onChange({ ...mapping, [k]: e.target.value })} />
          <Button
            variant="ghost"
            aria-label={`Remove ${k}`}
            onClick={() => {
              const next = { ...mapping };
              delete next[k];
              onChange(next);
            }}
          >
            ✕
          </Button>
        </div>
      ))}
      <div className="row">
        <TextInput label="New key" value={newKey} placeholder="e.g. instances" onChange={(e) => setNewKey(e.target.value)} />
        <Button
          disabled={!newKey.trim() || newKey.trim() in mapping}
          onClick={() => {
            onChange({ ...mapping, [newKey.trim()]: '' });
            setNewKey('');
          }}
        >
          Add key
        </Button>
      </div>
      {error ? (
        <small className="field-error" role="alert">
          {error}
        </small>
      ) : null}
    </fieldset>
  );
}

/** Outgoing edges with remove buttons, and a keyboard way to connect to another step. */
