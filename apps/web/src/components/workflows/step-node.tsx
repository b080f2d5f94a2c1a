import { Handle, Position, type NodeProps } from '@xyflow/react';
import { TYPE_LABEL, nodeTitle, type StepNode } from './graph.ts';

/** Colour class of a node: tools by risk, control nodes by type. */
export function nodeTone(d: StepNode['data']): string {
  if (d.type === 'tool') return `risk-${d.risk ?? 'unknown'}`;
  return `type-${d.type}`;
}

/** One step on the canvas: type, title, a short summary of its config, and its validation errors. */
export function StepNodeView({ id, data, selected }: NodeProps<StepNode>) {
  const errors = data.errors ?? [];
  const summary = describe(data);
  return (
    <div
      className={`wf-node ${nodeTone(data)}${selected ? ' selected' : ''}${errors.length ? ' invalid' : ''}`}
      data-testid={`node-${id}`}
      aria-label={`${TYPE_LABEL[data.type]} step ${nodeTitle(id, data)}${errors.length ? `, ${errors.length} problem(s)` : ''}`}
    >
      {data.type !== 'input' ? <Handle type="target" position={Position.Top} aria-label={`Into ${id}`} /> : null}
      <div className="wf-node-type">
        {TYPE_LABEL[data.type]}
        {data.type === 'tool' && data.risk ? <span className="wf-risk">{data.risk}</span> : null}
      </div>
      <div className="wf-node-title">{nodeTitle(id, data)}</div>
      <div className="wf-node-id">{id}</div>
      {summary ? <div className="wf-node-summary">{summary}</div> : null}
      {errors.length ? (
        <ul className="wf-node-errors" role="alert">
          {errors.slice(0, 3).map((e, i) => (
            <li key={i}>{e}</li>
          ))}
        </ul>
      ) : null}
      {data.type === 'condition' ? (
        <>
          <Handle type="source" id="true" position={Position.Bottom} style={{ left: '30%' }} aria-label={`${id} when true`} />
          <Handle type="source" id="false" position={Position.Bottom} style={{ left: '70%' }} aria-label={`${id} when false`} />
          <div className="wf-branches">
            <span>yes</span>
            <span>no</span>
          </div>
        </>
      ) : data.type !== 'output' ? (
        <Handle type="source" position={Position.Bottom} aria-label={`Out of ${id}`} />
      ) : null}
    </div>
  );
}

function describe(d: StepNode['data']): string {
  const c = d.config;
  switch (d.type) {
    case 'condition':
      return String(c.expression ?? '');
    case 'approval':
      return String(c.message ?? '');
    case 'ai-step':
      return String(c.model ?? '');
    case 'loop':
      return `each of ${String(c.items ?? '…')}`;
    case 'parallel':
      return `${Array.isArray(c.branches) ? c.branches.length : 0} branch(es)`;
    case 'output': {
      const keys = Object.keys((c.mapping as Record<string, unknown>) ?? {});
      return keys.length ? keys.join(', ') : '';
    }
    default:
      return '';
  }
}
