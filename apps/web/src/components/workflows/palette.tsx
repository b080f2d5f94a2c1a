import { useMemo, useState, type DragEvent } from 'react';
import type { NodeType, ToolSummary } from '../../api/workflows.ts';
import { CONTROL_NODES } from './graph.ts';

/** What a palette entry adds: a control node type, or a tool node calling `tool`. */
export type PaletteItem = { kind: 'control'; type: NodeType } | { kind: 'tool'; tool: ToolSummary };

export const DRAG_MIME = 'application/x-cloudnow-step';

/** Case-insensitive match of every word of the query against the haystack. */
function matches(query: string, ...hay: string[]): boolean {
  const text = hay.join(' ').toLowerCase().replace(/_/g, ' ');
  return query
    .toLowerCase()
    .replace(/_/g, ' ')
    .split(/\s+/)
    .filter(Boolean)
    .every((w) => text.includes(w));
}

/**
 * The searchable palette: control nodes, then catalogue tools grouped by category, coloured by
 * risk. Click (or Enter) adds the step after the selected one; dragging drops it on the canvas.
 */
export function Palette({
  tools,
  loading,
  onAdd,
  hasInput,
}: {
  tools: ToolSummary[];
  loading: boolean;
  onAdd: (item: PaletteItem) => void;
  hasInput: boolean;
}) {
  const [query, setQuery] = useState('');
  const controls = CONTROL_NODES.filter((c) => (c.type !== 'input' || !hasInput) && matches(query, c.label, c.description, c.type));
  const groups = useMemo(() => {
    const by = new Map<string, ToolSummary[]>();
    for (const t of tools) {
      if (!t.enabled || !matches(query, t.name, t.description, t.category, t.risk)) continue;
      by.set(t.category, [...(by.get(t.category) ?? []), t]);
    }
    return [...by.entries()].sort(([a], [b]) => a.localeCompare(b));
  }, [tools, query]);

  const drag = (e: DragEvent, item: PaletteItem) => {
    e.dataTransfer.setData(DRAG_MIME, JSON.stringify(item.kind === 'control' ? item : { kind: 'tool', tool: item.tool.name }));
    e.dataTransfer.effectAllowed = 'move';
  };

  return (
    <aside className="wf-palette" aria-label="Step palette">
      <input
        type="search"
        placeholder="Search steps and tools…"
        aria-label="Search steps and tools"
        value={query}
        onChange={(e) => setQuery(e.target.value)}
      />
      <div className="wf-palette-scroll">
        {controls.length ? (
          <section>
            <h3>Control</h3>
            <ul>
              {controls.map((c) => (
                <li key={c.type}>
                  <button
                    type="button"
                    className={`wf-pal-item type-${c.type}`}
                    draggable
                    onDragStart={(e) => drag(e, { kind: 'control', type: c.type })}
                    onClick={() => onAdd({ kind: 'control', type: c.type })}
                    title={c.description}
                    aria-label={`Add ${c.label}`}
                  >
                    <span className="wf-pal-name">{c.label}</span>
                    <small>{c.description}</small>
                  </button>
                </li>
              ))}
            </ul>
          </section>
        ) : null}
        {loading ? <p className="muted">Loading tools…</p> : null}
        {groups.map(([category, list]) => (
          <section key={category}>
            <h3>{category}</h3>
            <ul>
              {list.map((t) => (
                <li key={t.name}>
                  <button
                    type="button"
                    className={`wf-pal-item risk-${t.risk}`}
                    draggable
                    onDragStart={(e) => drag(e, { kind: 'tool', tool: t })}
                    onClick={() => onAdd({ kind: 'tool', tool: t })}
                    title={t.description}
                    aria-label={`Add tool ${t.name} (${t.risk} risk)`}
                  >
                    <span className="wf-pal-name">
                      {t.name}
                      <span className="wf-risk">{t.risk}</span>
                    </span>
                    <small>{t.description}</small>
                  </button>
                </li>
              ))}
            </ul>
          </section>
        ))}
        {!loading && !controls.length && !groups.length ? <p className="muted">Nothing matches “{query}”.</p> : null}
      </div>
    </aside>
  );
}
