import { useEffect, useState } from 'react';
import type { Edge } from '@xyflow/react';
import type { ModelInfo, ToolSummary } from '../../api/workflows.ts';
import { Button, Field, Select, TextArea, TextInput } from '../ui.tsx';
import { JsonField, ToolArgs } from './fields.tsx';
import { TYPE_LABEL, fieldIssue, nodeTitle, type StepData, type StepNode } from './graph.ts';

interface Props {
  node: StepNode;
  nodes: StepNode[];
  edges: Edge[];
  tools: ToolSummary[];
  models: ModelInfo[];
  inputSchema: Record<string, unknown> | null;
  onInputSchema: (s: Record<string, unknown> | null) => void;
  onChange: (patch: Partial<StepData>) => void;
  onRename: (newId: string) => string | null;
  onDelete: () => void;
  onConnect: (target: string, branch?: 'true' | 'false') => void;
  onDisconnect: (edgeId: string) => void;
}

/** The selected step's settings: id and name, its type's config, retry/timeout and its connections. */
export function Properties(p: Props) {
  const { node } = p;
  const d = node.data;
  const c = d.config;
  const set = (key: string, value: unknown) => {
    const next = { ...c };
    if (value === undefined || value === '') delete next[key];
    else next[key] = value;
    p.onChange({ config: next });
  };
  const issue = (field: string) => fieldIssue(d.errors, field);
  const general = (d.errors ?? []).filter((m) => !/^config\.[\w]/.test(m));

  return (
    <aside className="wf-props" aria-label="Step properties">
      <div className="row wf-props-head">
        <h2>
          {TYPE_LABEL[d.type]}: {nodeTitle(node.id, d)}
        </h2>
      </div>
      {general.length ? (
        <div className="banner banner-error" role="alert">
          {general.map((m, i) => (
            <div key={i}>{m}</div>
          ))}
        </div>
      ) : null}
      <IdField id={node.id} onRename={p.onRename} />
      <TextInput
        label="Name"
        value={d.name ?? ''}
        placeholder="Shown on the canvas"
        onChange={(e) => p.onChange({ name: e.target.value || undefined })}
      />

      {d.type === 'input' ? <InputConfig schema={p.inputSchema} onChange={p.onInputSchema} /> : null}
      {d.type === 'tool' ? (
        <>
          <ToolSelect
            label="Tool"
            tools={p.tools}
            value={String(c.tool ?? '')}
            error={issue('tool')}
            onChange={(t) => p.onChange({ config: { ...c, tool: t, args: {} }, risk: p.tools.find((x) => x.name === t)?.risk })}
          />
          <ToolArgs
            tool={String(c.tool ?? '')}
            args={(c.args as Record<string, unknown>) ?? {}}
            onChange={(a) => set('args', a)}
            issues={issue}
            prefix="args"
          />
          <details>
            <summary>Compensation (undo on failure)</summary>
            <JsonField
              label="Compensating call"
              hint='e.g. {"tool":"delete_vcn","args":{"vcnId":"{{result.id}}"}}'
              value={c.compensate}
              error={issue('compensate')}
              onChange={(v) => set('compensate', v)}
            />
          </details>
        </>
      ) : null}
      {d.type === 'condition' ? (
        <TextArea
          label="Expression"
          value={String(c.expression ?? '')}
          rows={3}
          className="mono"
          hint="True or false, e.g. steps.list_instances_1.output.count > 0"
          error={issue('expression')}
          onChange={(e) => set('expression', e.target.value)}
        />
      ) : null}
      {d.type === 'approval' ? (
        <>
          <TextArea
            label="Message"
            value={String(c.message ?? '')}
            rows={2}
            error={issue('message')}
            onChange={(e) => set('message', e.target.value)}
          />
          <TextInput
            label="Approvers"
            value={Array.isArray(c.approvers) ? c.approvers.join(', ') : ''}
            hint="User ids or roles, comma-separated; empty: anyone who can run workflows"
            error={issue('approvers')}
            onChange={(e) =>
              set(
                'approvers',
                e.target.value
                  .split(',')
                  .map((s) => s.trim())
                  .filter(Boolean),
              )
            }
          />
          <div className="row">
            <NumberInput
              label="Timeout (seconds)"
              value={c.timeoutSeconds}
              error={issue('timeoutSeconds')}
              onChange={(v) => set('timeoutSeconds', v)}
            />
            <Select label="On timeout" value={String(c.onTimeout ?? 'cancel')} onChange={(e) => set('onTimeout', e.target.value)}>
              <option value="cancel">Cancel the run</option>
              <option value="continue">Continue</option>
            </Select>
          </div>
        </>
      ) : null}
      {d.type === 'ai-step' ? (
        <>
          <Select label="Model" value={String(c.model ?? '')} error={issue('model')} onChange={(e) => set('model', e.target.value)}>
            <option value="">Choose a model…</option>
            {p.models.map((m) => (
              <option key={m.id} value={m.id}>
                {m.label}
                {m.offline ? ' (offline)' : ''}
              </option>
            ))}
          </Select>
          <TextArea
            label="Prompt"
            value={String(c.prompt ?? '')}
            rows={4}
            hint="May use {{input.x}} and {{steps.id.output}}"
            error={issue('prompt')}
            onChange={(e) => set('prompt', e.target.value)}
          />
          <TextArea
            label="System prompt"
            value={String(c.system ?? '')}
            rows={2}
            error={issue('system')}
            onChange={(e) => set('system', e.target.value)}
          />
          <div className="row">
            <Select label="Output" value={String(c.output ?? 'text')} onChange={(e) => set('output', e.target.value)}>
              <option value="text">Text</option>
              <option value="json">JSON</option>
            </Select>
            <NumberInput
              label="Max output tokens"
              value={c.maxOutputTokens}
              error={issue('maxOutputTokens')}
              onChange={(v) => set('maxOutputTokens', v)}
            />
          </div>
        </>
      ) : null}
      {d.type === 'loop' ? <LoopConfig c={c} set={set} issue={issue} tools={p.tools} /> : null}
      {d.type === 'parallel' ? (
        <>
          <JsonField
            label="Branches"
            rows={6}
            hint='A list of tool calls: [{"name":"a","tool":"list_vcns","args":{}}]'
            value={c.branches}
            error={issue('branches')}
            onChange={(v) => set('branches', v)}
          />
          <div className="row">
            <Select label="Merge" value={String(c.merge ?? 'all')} onChange={(e) => set('merge', e.target.value)}>
              <option value="all">Wait for all</option>
              <option value="first">First to finish</option>
              <option value="any">First to succeed</option>
            </Select>
            <Select label="Errors" value={String(c.errors ?? 'fail')} onChange={(e) => set('errors', e.target.value)}>
              <option value="fail">Fail the step</option>
              <option value="collect">Collect them</option>
            </Select>
          </div>
        </>
      ) : null}
      {d.type === 'output' ? (
        <MappingEditor
          mapping={(c.mapping as Record<string, unknown>) ?? {}}
          error={issue('mapping')}
          onChange={(m) => set('mapping', m)}
        />
      ) : null}

      {d.type !== 'input' && d.type !== 'output' ? (
        <details>
          <summary>Retry and timeout</summary>
          <div className="row">
            <NumberInput
              label="Attempts"
              value={d.retry?.attempts}
              onChange={(v) => p.onChange({ retry: v ? { ...d.retry, attempts: Number(v) } : undefined })}
            />
            <NumberInput label="Timeout (ms)" value={d.timeoutMs} onChange={(v) => p.onChange({ timeoutMs: v as number | undefined })} />
          </div>
        </details>
      ) : null}

      <Connections {...p} />
      <div className="row wf-props-foot">
        <Button variant="danger" onClick={p.onDelete}>
          Delete step
        </Button>
      </div>
    </aside>
  );
}

function IdField({ id, onRename }: { id: string; onRename: (id: string) => string | null }) {
  const [value, setValue] = useState(id);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    setValue(id);
    setError(null);
  }, [id]);
  const commit = () => {
    if (value === id) return;
    const err = onRename(value);
    setError(err);
    if (err) return;
  };
  return (
    <TextInput
      label="Step id"
      value={value}
      hint="Later steps read this step as {{steps.<id>.output}}"
      error={error}
      onChange={(e) => setValue(e.target.value)}
      onBlur={commit}
      onKeyDown={(e) => {
        if (e.key === 'Enter') commit();
      }}
    />
  );
}

function NumberInput({
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

function ToolSelect({
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

function InputConfig({
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

function LoopConfig({
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
function MappingEditor({
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
function Connections({ node, nodes, edges, onConnect, onDisconnect }: Props) {
  const out = edges.filter((e) => e.source === node.id);
  const targets = nodes.filter((n) => n.id !== node.id && n.data.type !== 'input' && !out.some((e) => e.target === n.id));
  const [target, setTarget] = useState('');
  const [branch, setBranch] = useState<'true' | 'false'>('true');
  const isCondition = node.data.type === 'condition';
  if (node.data.type === 'output') return null;
  return (
    <section className="wf-connections">
      <h3>Next steps</h3>
      {out.length === 0 ? <p className="muted">Not connected to anything yet.</p> : null}
      <ul>
        {out.map((e) => (
          <li key={e.id} className="row">
            <span>
              → <code>{e.target}</code>
              {e.sourceHandle ? ` (when ${e.sourceHandle})` : ''}
            </span>
            <Button variant="ghost" aria-label={`Disconnect ${e.target}`} onClick={() => onDisconnect(e.id)}>
              ✕
            </Button>
          </li>
        ))}
      </ul>
      {targets.length ? (
        <div className="row wf-connect">
          <Field label="Connect to">
            {(id) => (
              <select id={id} value={target} onChange={(e) => setTarget(e.target.value)}>
                <option value="">Choose a step…</option>
                {targets.map((n) => (
                  <option key={n.id} value={n.id}>
                    {nodeTitle(n.id, n.data)} ({n.id})
                  </option>
                ))}
              </select>
            )}
          </Field>
          {isCondition ? (
            <Select label="When" value={branch} onChange={(e) => setBranch(e.target.value as 'true' | 'false')}>
              <option value="true">true</option>
              <option value="false">false</option>
            </Select>
          ) : null}
          <Button
            disabled={!target}
            onClick={() => {
              onConnect(target, isCondition ? branch : undefined);
              setTarget('');
            }}
          >
            Connect
          </Button>
        </div>
      ) : null}
    </section>
  );
}
