import { useEffect, useState } from 'react';
import type { Edge } from '@xyflow/react';
import type { ModelInfo, ToolSummary } from '../../api/workflows.ts';
import { Button, Field, Select, TextArea, TextInput } from '../ui.tsx';
import { JsonField, ToolArgs } from './fields.tsx';
import { InputConfig, LoopConfig, MappingEditor, NumberInput, ToolSelect } from './step-config.tsx';
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
