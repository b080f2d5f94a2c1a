/** Output as the gate returns it: JSON-serialisable, at most `maxBytes` when serialised. */
export interface CappedOutput {
  output: unknown;
  truncated: boolean;
}

const byteLength = (s: string): number => Buffer.byteLength(s, 'utf8');

/**
 * Caps a tool's output at `maxBytes` of JSON. Within the cap it is returned as is. Over it, an
 * array keeps as many leading items as fit; anything else becomes a string preview. Either way the
 * result is valid JSON with a note saying what was cut: `{ truncated: true, note, items | preview }`.
 */
export function capOutput(value: unknown, maxBytes: number): CappedOutput {
  const text = JSON.stringify(value ?? null);
  const size = byteLength(text);
  if (size <= maxBytes) return { output: value ?? null, truncated: false };
  const budget = Math.max(0, maxBytes - 512);
  const note = (kept: string): string => `Output truncated: ${size} bytes exceed the ${maxBytes}-byte limit; ${kept}.`;
  const list = Array.isArray(value) ? value : findList(value);
  if (list) {
    const items: unknown[] = [];
    let used = 2;
    for (const item of list) {
      const n = byteLength(JSON.stringify(item ?? null)) + 1;
      if (used + n > budget) break;
      items.push(item);
      used += n;
    }
    return { output: { truncated: true, note: note(`showing ${items.length} of ${list.length} items`), items }, truncated: true };
  }
  let preview = text.slice(0, budget);
  while (byteLength(preview) > budget) preview = preview.slice(0, Math.floor(preview.length * 0.9));
  return { output: { truncated: true, note: note(`showing the first ${byteLength(preview)} bytes as text`), preview }, truncated: true };
}

// `{ items: [...] }`-shaped outputs (most list tools) keep their items rather than becoming text.
function findList(value: unknown): unknown[] | null {
  if (!value || typeof value !== 'object') return null;
  const arrays = Object.values(value as Record<string, unknown>).filter(Array.isArray);
  return arrays.length === 1 ? arrays[0]! : null;
}
