import { createHash } from 'node:crypto';

/** The region every sandbox tenancy lives in. */
export const SANDBOX_REGION = 'eu-frankfurt-1';

/** Resource types whose OCIDs carry the region (the others are global: `ocid1.<type>.oc1..<hash>`). */
const GLOBAL_TYPES = new Set(['tenancy', 'compartment', 'user', 'group', 'policy']);

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** A realistic OCID whose 60-character unique part is a hash of `parts` (deterministic). */
export function ocid(type: string, ...parts: string[]): string {
  const digest = createHash('sha256').update(parts.join('\u0000')).digest();
  const digest2 = createHash('sha256').update(digest).digest();
  const bytes = Buffer.concat([digest, digest2]);
  let unique = 'aaaaa';
  for (let i = 0; unique.length < 60; i++) unique += ALPHABET[bytes[i % bytes.length]! % ALPHABET.length];
  const region = GLOBAL_TYPES.has(type) ? '' : SANDBOX_REGION;
  return `ocid1.${type}.oc1.${region}.${unique}`;
}

/** FNV-1a 32-bit hash of a string: the seed of everything the sandbox generates. */
export function hash32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** A uniform number in [0, 1) determined by `seed` and `n` (a stateless integer hash). */
export function noise(seed: number, n: number): number {
  let x = (seed ^ Math.imul(n | 0, 0x9e3779b1)) >>> 0;
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  x ^= x >>> 16;
  return (x >>> 0) / 4294967296;
}

/** A deterministic pseudo-random sequence (mulberry32) for seeding a tenancy. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Rounds to `d` decimals. */
export function round(n: number, d = 2): number {
  const f = 10 ** d;
  return Math.round(n * f) / f;
}
