/**
 * An embedder turns texts into vectors of a fixed dimension (a property of the index it feeds).
 * The local embedder needs no provider and no network, so search works offline.
 */
export interface Embedder {
  /** Stable id, recorded with the index (vectors of different embedders never mix). */
  readonly id: string;
  readonly dimension: number;
  embed(texts: readonly string[]): Promise<number[][]>;
}

const DIM = 384;

/** FNV-1a, 32-bit. */
function fnv1a(s: string, seed = 0x811c9dc5): number {
  let h = seed >>> 0;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

function features(text: string): Array<{ f: string; w: number }> {
  const out: Array<{ f: string; w: number }> = [];
  const words = text
    .toLowerCase()
    .normalize('NFKD')
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 0);
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    out.push({ f: `w:${w}`, w: 1 });
    if (i + 1 < words.length) out.push({ f: `b:${w} ${words[i + 1]}`, w: 0.5 });
    const padded = `#${w}#`;
    for (let j = 0; j + 3 <= padded.length; j++) out.push({ f: `c:${padded.slice(j, j + 3)}`, w: 0.25 });
  }
  return out;
}

/**
 * Deterministic feature hashing of words, word bigrams and character trigrams into 384 signed
 * buckets, L2-normalised: similar wording → high cosine similarity. Not semantic like a trained
 * model, but stable, fast and offline.
 */
export function embedLocal(text: string, dimension = DIM): number[] {
  const v = new Array<number>(dimension).fill(0);
  for (const { f, w } of features(text)) {
    const h = fnv1a(f);
    const sign = fnv1a(f, 0x9e3779b9) & 1 ? 1 : -1;
    v[h % dimension]! += sign * w;
  }
  let norm = 0;
  for (const x of v) norm += x * x;
  norm = Math.sqrt(norm);
  if (norm === 0) return v;
  return v.map((x) => x / norm);
}

/** The built-in offline embedder (384 dimensions). */
export const localEmbedder: Embedder = {
  id: 'local-hash-384',
  dimension: DIM,
  embed: async (texts) => texts.map((t) => embedLocal(t)),
};
