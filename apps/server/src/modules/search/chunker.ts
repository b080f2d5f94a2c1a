/** Chunking settings, in characters (Unicode code points, never half a surrogate pair). */
export interface ChunkOptions {
  /** Longest chunk. Default 1000. */
  size?: number;
  /** Characters a chunk repeats from the end of the one before it. Default 150; must be < size. */
  overlap?: number;
}

/** One chunk of a text: its content and where it starts (code-point offset into the text). */
export interface Chunk {
  index: number;
  start: number;
  content: string;
}

export const CHUNK_SIZE = 1000;
export const CHUNK_OVERLAP = 150;

/**
 * Splits `text` into chunks of at most `size` code points, each starting `overlap` code points
 * before the previous one ended, so a sentence cut at a boundary is whole in one of the two.
 * A cut prefers the last paragraph break, line break, sentence end or space in the second half
 * of the window (in that order), so words stay whole where the text allows. Whitespace-only
 * text gives no chunks. Deterministic: the same text always gives the same chunks (chunk ids
 * derive from the index, so re-ingestion replaces rather than adds).
 */
export function chunkText(text: string, opts: ChunkOptions = {}): Chunk[] {
  const size = opts.size ?? CHUNK_SIZE;
  const overlap = opts.overlap ?? CHUNK_OVERLAP;
  if (!Number.isInteger(size) || size < 1) throw new RangeError('chunk size must be a positive integer');
  if (!Number.isInteger(overlap) || overlap < 0 || overlap >= size) throw new RangeError('chunk overlap must be in [0, size)');
  const chars = Array.from(text.normalize('NFC'));
  const out: Chunk[] = [];
  let start = 0;
  while (start < chars.length) {
    let end = Math.min(start + size, chars.length);
    if (end < chars.length) end = breakBefore(chars, start, end, overlap);
    const content = chars.slice(start, end).join('');
    if (content.trim().length > 0) out.push({ index: out.length, start, content: content.trim() });
    if (end >= chars.length) break;
    start = Math.max(end - overlap, start + 1);
  }
  return out;
}

const BREAKS: ReadonlyArray<(chars: readonly string[], i: number) => boolean> = [
  (c, i) => c[i - 1] === '\n' && c[i - 2] === '\n',
  (c, i) => c[i - 1] === '\n',
  (c, i) => /[.!?。！？]/u.test(c[i - 2] ?? '') && /\s/u.test(c[i - 1] ?? ''),
  (c, i) => /\s/u.test(c[i - 1] ?? ''),
];

/** The best cut in (start + max(overlap, half the window), end], else `end`. */
function breakBefore(chars: readonly string[], start: number, end: number, overlap: number): number {
  const floor = start + Math.max(overlap + 1, Math.ceil((end - start) / 2));
  for (const isBreak of BREAKS) {
    for (let i = end; i > floor; i--) if (isBreak(chars, i)) return i;
  }
  return end;
}
