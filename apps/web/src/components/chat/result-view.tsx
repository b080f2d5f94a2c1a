import { Badge, stateTone } from '../ui.tsx';
import './result-view.css';

type Row = Record<string, unknown>;

/** Keys shown first when present, in this order (OCI resources share these names). */
const PREFERRED = [
  'displayName',
  'name',
  'lifecycleState',
  'state',
  'status',
  'severity',
  'title',
  'shape',
  'ocpus',
  'memoryGb',
  'cidrBlock',
  'namespace',
  'storageTier',
  'publicAccessType',
  'dbWorkload',
  'availabilityDomain',
  'timeCreated',
  'id',
];
const STATE_KEYS = new Set(['lifecycleState', 'state', 'status']);
const MAX_COLUMNS = 7;

const isRow = (v: unknown): v is Row => !!v && typeof v === 'object' && !Array.isArray(v);
const isScalar = (v: unknown) => v === null || ['string', 'number', 'boolean'].includes(typeof v);

/** The rows of a list result: an array of objects, or `{ items: [...] }` (our tools' page shape). */
export function rowsOf(value: unknown): Row[] | null {
  if (Array.isArray(value) && value.length > 0 && value.every(isRow)) return value;
  if (isRow(value)) {
    for (const key of ['items', 'data', 'results']) {
      const v = value[key];
      if (Array.isArray(v) && v.every(isRow)) return v;
    }
  }
  return null;
}

function columnsOf(rows: Row[]): string[] {
  const present = new Set<string>();
  for (const r of rows.slice(0, 50)) for (const [k, v] of Object.entries(r)) if (isScalar(v) || Array.isArray(v)) present.add(k);
  const ordered = PREFERRED.filter((k) => present.has(k));
  // a name column is enough: prefer displayName over name when both exist
  if (ordered.includes('displayName') && ordered.includes('name')) ordered.splice(ordered.indexOf('name'), 1);
  for (const k of present) if (!ordered.includes(k)) ordered.push(k);
  return ordered.slice(0, MAX_COLUMNS);
}

const LABELS: Record<string, string> = {
  displayName: 'Name',
  lifecycleState: 'State',
  ocpus: 'OCPUs',
  memoryGb: 'Memory (GB)',
  availabilityDomain: 'Availability domain',
  timeCreated: 'Created',
  cidrBlock: 'CIDR',
  dbWorkload: 'Workload',
  id: 'ID',
};
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

const label = (key: string) =>
  LABELS[key] ??
  key
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/_/g, ' ')
    .replace(/^./, (c) => c.toUpperCase())
    .replace(/\bGb\b/, '(GB)')
    .replace(/\bId\b/, 'ID');

function Cell({ k, v }: { k: string; v: unknown }) {
  if (v === null || v === undefined || v === '') return <span className="muted">—</span>;
  if (STATE_KEYS.has(k) && typeof v === 'string') return <Badge tone={stateTone(v)}>{v}</Badge>;
  if (Array.isArray(v)) return <>{v.map((x) => (isScalar(x) ? String(x) : JSON.stringify(x))).join(', ')}</>;
  if (typeof v === 'string' && v.startsWith('ocid1.')) return <code title={v}>…{v.slice(-12)}</code>;
  if (typeof v === 'string' && ISO.test(v)) return <time dateTime={v}>{new Date(v).toLocaleDateString()}</time>;
  return <>{String(v)}</>;
}

/** A list result as a table, with lifecycle states as badges. */
export function ResultTable({ rows, caption }: { rows: Row[]; caption?: string }) {
  const cols = columnsOf(rows);
  return (
    <div className="table-wrap result-table">
      <table>
        {caption ? <caption className="sr-only">{caption}</caption> : null}
        <thead>
          <tr>
            {cols.map((c) => (
              <th key={c} scope="col">
                {label(c)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r, i) => (
            <tr key={typeof r.id === 'string' ? r.id : i}>
              {cols.map((c) => (
                <td key={c}>
                  <Cell k={c} v={r[c]} />
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/**
 * Any tool result: lists as tables, a single resource as a definition list (its state as a
 * badge), anything else as JSON.
 */
export function ResultView({ value, caption }: { value: unknown; caption?: string }) {
  const rows = rowsOf(value);
  if (rows) {
    const total = isRow(value) && typeof value.count === 'number' ? value.count : rows.length;
    return (
      <div className="stack result-view">
        <ResultTable rows={rows} {...(caption ? { caption } : {})} />
        <small className="muted">
          {total} {total === 1 ? 'item' : 'items'}
          {total > rows.length ? ` (showing ${rows.length})` : ''}
        </small>
      </div>
    );
  }
  if (isRow(value)) {
    const entries = Object.entries(value).filter(([, v]) => isScalar(v) || (Array.isArray(v) && v.every(isScalar)));
    const nested = Object.entries(value).filter(([, v]) => !(isScalar(v) || (Array.isArray(v) && v.every(isScalar))));
    if (entries.length > 0) {
      return (
        <div className="result-view">
          <dl className="kv">
            {entries.map(([k, v]) => (
              <div key={k}>
                <dt>{label(k)}</dt>
                <dd>{STATE_KEYS.has(k) && typeof v === 'string' ? <Badge tone={stateTone(v)}>{v}</Badge> : <Cell k="" v={v} />}</dd>
              </div>
            ))}
          </dl>
          {nested.length > 0 ? <pre>{JSON.stringify(Object.fromEntries(nested), null, 2)}</pre> : null}
        </div>
      );
    }
  }
  if (value === undefined) return <span className="muted">No output.</span>;
  return <pre className="result-view">{typeof value === 'string' ? value : JSON.stringify(value, null, 2)}</pre>;
}
