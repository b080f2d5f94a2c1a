import type { UIMessage } from 'ai';

/** Most history messages sent to a model, whatever the budget: never the whole thread. */
export const MAX_HISTORY_MESSAGES = 100;

/** What replaces a tool result dropped from an old turn. */
export const OMITTED_OUTPUT = {
  omitted: 'Tool output dropped from older history to fit the context window; call the tool again if needed.',
};

/** Options of {@link trimHistory}. */
export interface TrimOptions {
  /** Cap on kept messages (default {@link MAX_HISTORY_MESSAGES}). */
  readonly maxMessages?: number;
}

type Part = UIMessage['parts'][number];

function chars(value: unknown): number {
  if (value === undefined || value === null) return 0;
  return typeof value === 'string' ? value.length : JSON.stringify(value).length;
}

/** Estimated tokens of one part: text, tool input/output/error, ~4 characters per token. */
function partTokens(part: Part): number {
  const p = part as Record<string, unknown>;
  if (part.type === 'text' || part.type === 'reasoning') return Math.ceil(chars(p.text) / 4);
  if (part.type === 'step-start') return 0;
  if (isToolPart(part)) return Math.ceil((chars(p.input) + chars(p.output) + chars(p.errorText) + 40) / 4);
  return Math.ceil(chars(part) / 4);
}

/** Estimated tokens of a UI message (parts plus a small per-message overhead). */
export function estimateMessageTokens(message: UIMessage): number {
  return 4 + message.parts.reduce((n, part) => n + partTokens(part), 0);
}

function isToolPart(part: Part): boolean {
  return part.type === 'dynamic-tool' || part.type.startsWith('tool-');
}

/** The message without its bulky payloads: tool outputs and files replaced by stubs, reasoning dropped. */
function stripPayloads(message: UIMessage): UIMessage {
  const parts = message.parts.flatMap((part): Part[] => {
    if (part.type === 'reasoning') return [];
    const p = part as Record<string, unknown>;
    if (part.type === 'file') return [{ type: 'text', text: `[file ${part.filename ?? part.mediaType} omitted from older history]` }];
    if (isToolPart(part) && p.state === 'output-available') return [{ ...part, output: OMITTED_OUTPUT } as Part];
    return [part];
  });
  return { ...message, parts };
}

/**
 * Keeps the newest messages that fit in `budgetTokens` (estimated), never more than
 * `maxMessages`. The current turn — the latest user message and everything after it (tool
 * approvals being resumed) — is always kept whole, even over budget. To make room, tool outputs,
 * files and reasoning of older turns are dropped first (oldest first); then whole older messages,
 * oldest first. The kept history never starts with an assistant message. Pure: the input is not
 * modified.
 */
export function trimHistory(messages: readonly UIMessage[], budgetTokens: number, options: TrimOptions = {}): UIMessage[] {
  const maxMessages = options.maxMessages ?? MAX_HISTORY_MESSAGES;
  let lastUser = -1;
  for (let i = messages.length - 1; i >= 0 && lastUser < 0; i--) if (messages[i]!.role === 'user') lastUser = i;
  const turnStart = Math.max(0, lastUser);
  const turn = messages.slice(turnStart);
  const older = messages.slice(0, turnStart).slice(-Math.max(0, maxMessages - turn.length));

  const cost = older.map(estimateMessageTokens);
  const turnCost = turn.reduce((n, m) => n + estimateMessageTokens(m), 0);
  let total = turnCost + cost.reduce((a, b) => a + b, 0);

  const kept = [...older];
  for (let i = 0; i < kept.length && total > budgetTokens; i++) {
    const stripped = stripPayloads(kept[i]!);
    const after = estimateMessageTokens(stripped);
    total -= cost[i]! - after;
    cost[i] = after;
    kept[i] = stripped;
  }
  let first = 0;
  while (first < kept.length && total > budgetTokens) total -= cost[first++]!;
  while (first < kept.length && kept[first]!.role === 'assistant') first++;
  return [...kept.slice(first), ...turn];
}
