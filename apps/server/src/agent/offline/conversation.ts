import type { LanguageModelV4Prompt, LanguageModelV4ToolResultOutput } from '@ai-sdk/provider';

/** One tool call the model made in the conversation, with its outcome once known. */
export interface ToolOutcome {
  readonly toolCallId: string;
  readonly toolName: string;
  readonly input: unknown;
  /** `ok` with the result value, `error` with a message, `denied` when the user refused it. */
  readonly status: 'ok' | 'error' | 'denied' | 'pending';
  readonly value?: unknown;
  readonly message?: string;
}

/** What the offline model needs to know about a conversation. */
export interface ConversationView {
  /** Text of the newest user message ('' when there is none). */
  readonly latestRequest: string;
  /** Calls made after the newest user message (this turn), in order. */
  readonly turn: readonly ToolOutcome[];
  /** Every call with a result in the whole conversation, newest first (for name → id lookups). */
  readonly history: readonly ToolOutcome[];
}

function parseMaybeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function errorMessage(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object') {
    const v = value as Record<string, unknown>;
    if (typeof v.message === 'string') return v.message;
    if (typeof v.error === 'string') return v.error;
  }
  return JSON.stringify(value);
}

/** Maps a prompt tool-result output to an outcome status and value. */
function readOutput(output: LanguageModelV4ToolResultOutput): Pick<ToolOutcome, 'status' | 'value' | 'message'> {
  switch (output.type) {
    case 'json':
      return { status: 'ok', value: output.value };
    case 'text':
      return { status: 'ok', value: parseMaybeJson(output.value) };
    case 'content': {
      const text = output.value.flatMap((p) => (p.type === 'text' ? [p.text] : [])).join('');
      return { status: 'ok', value: parseMaybeJson(text) };
    }
    case 'error-text':
      return { status: 'error', message: output.value };
    case 'error-json':
      return { status: 'error', message: errorMessage(output.value) };
    case 'execution-denied':
      return { status: 'denied', message: output.reason ?? '' };
  }
}

/**
 * Reads a language-model prompt into the newest request, the tool calls of the current turn with
 * their outcomes, and every earlier outcome. A denied approval reaches the model as an
 * `execution-denied` tool result (the AI SDK converts the `tool-approval-response`).
 */
export function readConversation(prompt: LanguageModelV4Prompt): ConversationView {
  let lastUser = -1;
  prompt.forEach((m, i) => {
    if (m.role === 'user') lastUser = i;
  });
  const latestRequest =
    lastUser < 0
      ? ''
      : (prompt[lastUser]!.content as Array<{ type: string; text?: string }>)
          .flatMap((p) => (p.type === 'text' && p.text ? [p.text] : []))
          .join('\n');

  const calls = new Map<string, { toolName: string; input: unknown; index: number }>();
  const results = new Map<string, Pick<ToolOutcome, 'status' | 'value' | 'message'>>();
  prompt.forEach((m, index) => {
    if (m.role === 'assistant' || m.role === 'tool') {
      for (const part of m.content) {
        if (part.type === 'tool-call') calls.set(part.toolCallId, { toolName: part.toolName, input: part.input, index });
        else if (part.type === 'tool-result') results.set(part.toolCallId, readOutput(part.output));
      }
    }
  });

  const turn: ToolOutcome[] = [];
  const history: ToolOutcome[] = [];
  for (const [toolCallId, call] of calls) {
    const result = results.get(toolCallId) ?? { status: 'pending' as const };
    const outcome: ToolOutcome = { toolCallId, toolName: call.toolName, input: call.input, ...result };
    if (call.index > lastUser) turn.push(outcome);
    if (outcome.status !== 'pending') history.unshift(outcome);
  }
  return { latestRequest, turn, history };
}

/** A resource row from a list/get result: `{ items: [...] }` lists or a single object. */
export type Row = Record<string, unknown>;

/** The rows of a tool result (`{ items }`, a bare array, or one object). */
export function rowsOf(value: unknown): Row[] {
  if (Array.isArray(value)) return value.filter((r): r is Row => !!r && typeof r === 'object');
  if (value && typeof value === 'object') {
    const items = (value as Row).items;
    if (Array.isArray(items)) return rowsOf(items);
    return [value as Row];
  }
  return [];
}

/** The display name of a resource row (`displayName`, else `name`). */
export function nameOf(row: Row): string | undefined {
  const n = row.displayName ?? row.name;
  return typeof n === 'string' ? n : undefined;
}

/** The OCID of a resource row (`id`, else `ocid`). */
export function idOf(row: Row): string | undefined {
  const id = row.id ?? row.ocid;
  return typeof id === 'string' ? id : undefined;
}

/**
 * Finds the id of an instance the user named, from the newest instance listing or lookup in the
 * conversation (case-insensitive exact name match).
 */
export function resolveInstanceId(name: string, history: readonly ToolOutcome[]): string | undefined {
  const wanted = name.toLowerCase();
  for (const outcome of history) {
    if (outcome.status !== 'ok' || !/instance/.test(outcome.toolName)) continue;
    for (const row of rowsOf(outcome.value)) {
      const id = idOf(row);
      if (id && nameOf(row)?.toLowerCase() === wanted) return id;
    }
  }
  return undefined;
}
