/**
 * PII and secret redaction that is exact on a stream: `createRedactor()` gives the same output
 * however the text is split into chunks, by holding back a bounded tail that could still be the
 * start (or the unfinished end) of a match.
 */

interface Pattern {
  readonly name: string;
  readonly re: RegExp;
  /** Replacement for a match (null leaves it, e.g. a card number that fails the Luhn check). */
  readonly replace: (match: string) => string | null;
  /**
   * For patterns without a length bound: once a match is long enough that holding it would exceed
   * the tail, the replacement is emitted and the rest of the match is swallowed as it streams in —
   * while characters match `swallow` (a class) or until `until` matches (inclusive).
   */
  readonly swallow?: RegExp;
  readonly until?: RegExp;
}

/** Luhn checksum over the digits of a candidate card number. */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return digits.length >= 13 && sum % 10 === 0;
}

const TOKEN_CHARS = 'A-Za-z0-9\\-._~+/=';
const PEM_END = /-----END (?:[A-Z0-9]{1,12} ){0,3}PRIVATE KEY-----/;

const PATTERNS: readonly Pattern[] = [
  {
    name: 'pem',
    re: /-----BEGIN (?:[A-Z0-9]{1,12} ){0,3}PRIVATE KEY-----(?:[\s\S]*?-----END (?:[A-Z0-9]{1,12} ){0,3}PRIVATE KEY-----|[\s\S]*$)/g,
    replace: () => '[PRIVATE_KEY REDACTED]',
    until: PEM_END,
  },
  {
    name: 'bearer',
    re: new RegExp(`\\b([Bb]earer[ \\t]{1,8})(?=[${TOKEN_CHARS}]{0,23}[0-9])[${TOKEN_CHARS}]{16,}`, 'g'),
    replace: (m) => `${/^[Bb]earer[ \t]{1,8}/.exec(m)![0]}[TOKEN REDACTED]`,
    swallow: new RegExp(`^[${TOKEN_CHARS}]*`),
  },
  { name: 'aws', re: /(?<![A-Za-z0-9])(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Za-z0-9])/g, replace: () => '[AWS_KEY REDACTED]' },
  { name: 'oci-key', re: /\bocid1\.key\.[a-z0-9._-]*[a-z0-9]/g, replace: () => '[OCI_KEY REDACTED]' },
  {
    name: 'oci-credential',
    re: /(?<=\b(?:user|tenancy|user_?id|tenancy_?id|userId|tenancyId)["']?[ \t]*[=:][ \t]*["']?)ocid1\.(?:user|tenancy)\.[a-z0-9._-]*[a-z0-9]/g,
    replace: (m) => (m.startsWith('ocid1.user.') ? '[OCI_USER REDACTED]' : '[OCI_TENANCY REDACTED]'),
  },
  {
    name: 'ssn',
    re: /(?<![\d-])(?!000|666|9\d\d)\d{3}-(?!00)\d{2}-(?!0000)\d{4}(?![\d-])/g,
    replace: () => '[SSN REDACTED]',
  },
  {
    name: 'card',
    re: /(?<![\d-])[2-6](?:\d{12,18}|\d{3}(?:[ -]\d{4}){2}[ -]\d{1,7}|\d{3}[ -]\d{6}[ -]\d{5})(?![\d])/g,
    replace: (m) => (luhnValid(m.replace(/\D/g, '')) ? '[CARD REDACTED]' : null),
  },
];

/**
 * Characters always held back. Every pattern matches as soon as its first characters are there
 * (a tentative match then holds the cut before it), so the tail only has to cover the longest
 * lead-in that does not match yet: a PEM header (≤ 66), `Bearer` + spaces + the digit look-ahead
 * (≤ 38), a spaced card number before its last group (≤ 17).
 */
const HOLD = 96;
/** Text is released in steps of at least this much, so a stream of tiny deltas is not rescanned per delta. */
const STEP = 24;
/** Characters of already-emitted text kept so look-behinds see what preceded the buffer. */
const CONTEXT = 48;

interface Found {
  readonly start: number;
  readonly end: number;
  readonly pattern: Pattern;
  readonly replacement: string | null;
}

/** Every raw match of every pattern in `text` from `from`, sorted by start (longest first). */
function scan(text: string, from: number): Found[] {
  const found: Found[] = [];
  for (const pattern of PATTERNS) {
    const re = pattern.re; // global and used synchronously only, so its lastIndex can be reset here
    re.lastIndex = from;
    for (let m = re.exec(text); m; m = re.exec(text)) {
      if (m[0].length === 0) {
        re.lastIndex++;
        continue;
      }
      found.push({ start: m.index, end: m.index + m[0].length, pattern, replacement: pattern.replace(m[0]) });
    }
  }
  return found.sort((a, b) => a.start - b.start || b.end - a.end);
}

/** The matches that are replaced: leftmost first, no overlaps, ending at or before `cut`. */
function select(found: readonly Found[], cut: number): Found[] {
  const selected: Found[] = [];
  let at = 0;
  for (const f of found) {
    if (f.replacement === null || f.start < at || f.end > cut) continue;
    selected.push(f);
    at = f.end;
  }
  return selected;
}

/** The emit point: HOLD characters before the end, moved back before any match that crosses it. */
function holdBack(found: readonly Found[], length: number): number {
  let cut = Math.max(0, length - HOLD);
  for (let changed = true; changed;) {
    changed = false;
    for (const f of found) {
      if (f.start < cut && f.end > cut) {
        cut = f.start;
        changed = true;
      }
    }
  }
  return cut;
}

/** A streaming redactor: `push` returns what is safe to emit now, `flush` the rest at the end. */
export interface Redactor {
  push(text: string): string;
  flush(): string;
}

interface Swallowing {
  readonly swallow?: RegExp;
  readonly until?: RegExp;
  tail: string;
}

/**
 * Creates a streaming redactor; its output never depends on how the input was chunked. It holds
 * back at most HOLD characters plus an unfinished bounded match; an unbounded match (bearer
 * token, PEM block) that outgrows the tail is replaced at once and its rest swallowed.
 */
export function createRedactor(): Redactor {
  let buffer = '';
  let context = '';
  let swallowing: Swallowing | null = null;

  /** Drops the continuation of a match already replaced; returns the input left after it. */
  function consumeSwallow(input: string): string {
    const s = swallowing!;
    if (s.swallow) {
      const eaten = s.swallow.exec(input)![0].length;
      context = (context + input.slice(0, eaten)).slice(-CONTEXT);
      if (eaten === input.length) return '';
      swallowing = null;
      return input.slice(eaten);
    }
    const joined = s.tail + input;
    const end = s.until!.exec(joined);
    if (!end) {
      s.tail = joined.slice(-HOLD);
      return '';
    }
    swallowing = null;
    context = joined.slice(0, end.index + end[0].length).slice(-CONTEXT);
    return joined.slice(end.index + end[0].length);
  }

  function emit(final: boolean): string {
    if (!final && buffer.length < HOLD + STEP) return '';
    const base = context.length;
    const found = scan(context + buffer, base).map((f) => ({ ...f, start: f.start - base, end: f.end - base }));
    let cut = buffer.length;
    let long: Found | undefined;
    if (!final) {
      const limit = buffer.length - HOLD;
      long = found.find(
        (f) => f.end === buffer.length && f.start < limit && (f.pattern.swallow || f.pattern.until) && f.replacement !== null,
      );
      if (!long || !select(found, cut).includes(long)) {
        long = undefined;
        cut = holdBack(found, buffer.length);
      }
    }
    let out = '';
    let at = 0;
    for (const f of select(found, cut)) {
      out += buffer.slice(at, f.start) + f.replacement;
      at = f.end;
    }
    out += buffer.slice(at, cut);
    if (long)
      swallowing = { swallow: long.pattern.swallow, until: long.pattern.until, tail: buffer.slice(Math.max(long.start, cut - HOLD)) };
    context = (context + buffer.slice(0, cut)).slice(-CONTEXT);
    buffer = buffer.slice(cut);
    return out;
  }

  return {
    push(text) {
      const input = swallowing ? consumeSwallow(text) : text;
      if (swallowing) return '';
      buffer += input;
      return emit(false);
    },
    flush() {
      swallowing = null;
      const out = emit(true);
      buffer = '';
      return out;
    },
  };
}

/** Redacts a whole string (the same rules as the stream). */
export function redactText(text: string): string {
  const r = createRedactor();
  return r.push(text) + r.flush();
}
