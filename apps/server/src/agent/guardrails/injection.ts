import createError from '@fastify/error';

/** A score at or above this blocks the message. */
export const INJECTION_THRESHOLD = 0.7;

/** What the user sees when a message is blocked. */
export const INJECTION_BLOCKED_MESSAGE =
  'Your message was blocked by the safety filter because it looks like an attempt to override my instructions. ' +
  'Please rephrase your request and try again.';

/** 400: the newest user message scored as a prompt-injection attempt. */
export const PromptInjectionBlocked = createError('PROMPT_INJECTION_BLOCKED', INJECTION_BLOCKED_MESSAGE, 400);

/** One rule that fired, with its weight and the text it matched (at most 80 characters). */
export interface InjectionMatch {
  readonly rule: string;
  readonly weight: number;
  readonly excerpt: string;
}

/** The injection score (0..1, noisy-or of the rule weights) and the rules that fired. */
export interface InjectionScore {
  readonly score: number;
  readonly matches: readonly InjectionMatch[];
}

interface Rule {
  readonly rule: string;
  readonly weight: number;
  readonly re: RegExp;
}

const TARGET = '(?:instructions?|prompts?|rules|directions|guidelines|directives|constraints|system\\s+prompt)';

const RULES: readonly Rule[] = [
  {
    rule: 'ignore-previous-instructions',
    weight: 0.9,
    re: new RegExp(
      `\\b(?:ignore|disregard|forget|override|bypass|skip)\\s+(?:all\\s+|any\\s+|the\\s+|your\\s+|my\\s+|of\\s+)*(?:previous|prior|above|earlier|preceding|former|original|initial|existing)\\s+${TARGET}`,
      'i',
    ),
  },
  {
    rule: 'forget-your-instructions',
    weight: 0.85,
    re: new RegExp(`\\b(?:ignore|disregard|forget)\\s+(?:all\\s+|everything\\s+(?:about\\s+)?)?(?:your|the\\s+system)\\s+${TARGET}`, 'i'),
  },
  { rule: 'role-override', weight: 0.75, re: /\byou\s+are\s+now\s+(?:a|an|the|my|in|no\s+longer)\b/i },
  { rule: 'role-override', weight: 0.75, re: /\bfrom\s+now\s+on,?\s+you\s+(?:are|will\s+act|must\s+act)\b/i },
  {
    rule: 'act-as-system',
    weight: 0.8,
    re: /\b(?:act|behave|respond)\s+as\s+(?:if\s+you\s+(?:were|are|have)\s+)?(?:an?\s+|the\s+)?(?:system|root|developer\s+mode|admin(?:istrator)?\s+with|unrestricted|jailbroken|dan\b|no\s+(?:restrictions|rules|filters|guidelines))/i,
  },
  { rule: 'act-as-system', weight: 0.8, re: /\bpretend\s+(?:that\s+)?you\s+(?:have\s+no|are\s+not\s+bound|are\s+an?\s+unrestricted)/i },
  { rule: 'new-instructions', weight: 0.8, re: /\bnew\s+(?:system\s+)?instructions?\s*:/i },
  {
    rule: 'reveal-system-prompt',
    weight: 0.7,
    re: /\b(?:reveal|print|show|repeat|output)\s+(?:me\s+)?(?:your|the)\s+(?:system\s+prompt|hidden\s+instructions|initial\s+instructions)/i,
  },
  {
    rule: 'chat-template-token',
    weight: 0.95,
    re: /\[\/?INST\]|<<\/?SYS>>|<\|im_(?:start|end)\|>|<\|(?:system|assistant|user|endoftext)\|>/i,
  },
  { rule: 'system-line', weight: 0.8, re: /^[ \t>]*(?:#{1,3}\s*)?system\s*:/im },
];

function excerpt(text: string, at: number, length: number): string {
  return text.slice(at, at + Math.min(length, 80));
}

/** Excessive repetition: one token 20+ times in a row, one line 20+ times, a character run of 80+. */
function repetition(text: string): InjectionMatch | null {
  const tokenRun = /(\b\S{1,40}\b)(?:\s+\1\b){19,}/i.exec(text);
  if (tokenRun) return { rule: 'repeated-token', weight: 0.75, excerpt: excerpt(text, tokenRun.index, tokenRun[0].length) };
  const charRun = /([^\s\-=_*#~.|])\1{79,}/.exec(text);
  if (charRun) return { rule: 'repeated-character', weight: 0.7, excerpt: excerpt(text, charRun.index, charRun[0].length) };
  const counts = new Map<string, number>();
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line.length < 3) continue;
    const n = (counts.get(line) ?? 0) + 1;
    counts.set(line, n);
    if (n >= 20) return { rule: 'repeated-line', weight: 0.75, excerpt: line.slice(0, 80) };
  }
  return null;
}

/**
 * Scores text for prompt-injection patterns: instruction overrides, role overrides, chat-template
 * tokens, `system:` at the start of a line, and excessive repetition. Rules combine as a noisy-or
 * (two weak signals add up); a rule counts once however often it matches.
 */
export function scoreInjection(text: string): InjectionScore {
  const matches: InjectionMatch[] = [];
  const seen = new Set<string>();
  for (const { rule, weight, re } of RULES) {
    if (seen.has(rule)) continue;
    const m = re.exec(text);
    if (!m) continue;
    seen.add(rule);
    matches.push({ rule, weight, excerpt: excerpt(text, m.index, m[0].length) });
  }
  const rep = repetition(text);
  if (rep) matches.push(rep);
  const score = 1 - matches.reduce((keep, m) => keep * (1 - m.weight), 1);
  return { score: Math.min(1, Math.round(score * 1000) / 1000), matches };
}

/** The verdict for one message: blocked at or above the threshold, with the score to log. */
export interface InjectionVerdict extends InjectionScore {
  readonly blocked: boolean;
  /** Shown to the user when blocked; null otherwise. */
  readonly message: string | null;
}

/** Scores text and decides. Log `score` and `matches[].rule` (never the text) when blocked. */
export function checkInjection(text: string, threshold = INJECTION_THRESHOLD): InjectionVerdict {
  const scored = scoreInjection(text);
  const blocked = scored.score >= threshold;
  return { ...scored, blocked, message: blocked ? INJECTION_BLOCKED_MESSAGE : null };
}

/** Text of the newest user message among UI messages (`parts`) — the one the guard checks. */
export function latestUserText(messages: ReadonlyArray<{ role: string; parts?: ReadonlyArray<{ type: string; text?: unknown }> }>): string {
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i]!;
    if (m.role !== 'user') continue;
    return (m.parts ?? []).flatMap((p) => (p.type === 'text' && typeof p.text === 'string' ? [p.text] : [])).join('\n');
  }
  return '';
}
