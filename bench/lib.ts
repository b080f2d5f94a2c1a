/**
 * The bench harness contract. A benchmark is a `bench/<name>.bench.ts` file whose default export
 * runs it and returns its result; `bench/run.ts` prints the table and writes
 * `bench/results/<name>.json`. Benchmarks measure time and are never part of `npm test`.
 */

/** One row of a result table: column → value. */
export type Row = Record<string, string | number | null>;

/** What a benchmark returns. */
export interface BenchResult {
  /** What was measured, in one line (printed above the table). */
  title: string;
  rows: Row[];
  /** Anything else worth keeping in the JSON (environment, skipped backends, notes). */
  meta?: Record<string, unknown>;
}

/** A benchmark: the default export of a `*.bench.ts` file. */
export type Benchmark = () => Promise<BenchResult>;

/** Median of a non-empty list. */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Rounds to `digits` decimals. */
export function round(value: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** Formats rows as an aligned text table (numbers right-aligned). */
export function formatTable(rows: Row[]): string {
  if (rows.length === 0) return '(no rows)';
  const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const cell = (v: Row[string] | undefined): string => (v === null || v === undefined ? '—' : String(v));
  const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => cell(r[c]).length)));
  const line = (values: string[], numeric: boolean[]): string =>
    '| ' + values.map((v, i) => (numeric[i] ? v.padStart(widths[i]!) : v.padEnd(widths[i]!))).join(' | ') + ' |';
  const numeric = columns.map((c) => rows.every((r) => typeof r[c] === 'number' || r[c] === null || r[c] === undefined));
  return [
    line(
      columns,
      columns.map(() => false),
    ),
    '| ' + widths.map((w, i) => (numeric[i] ? '-'.repeat(w - 1) + ':' : '-'.repeat(w))).join(' | ') + ' |',
    ...rows.map((r) =>
      line(
        columns.map((c) => cell(r[c])),
        numeric,
      ),
    ),
  ].join('\n');
}
