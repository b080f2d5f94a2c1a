import createError from '@fastify/error';

/** Most characters a chat request may carry across all its messages. */
export const MAX_INPUT_CHARS = 50_000;

/** 400: the request's messages are longer than {@link MAX_INPUT_CHARS} in total. */
export const InputTooLong = createError<[number, number]>(
  'INPUT_TOO_LONG',
  'messages: %d characters in total, over the limit of %d characters; shorten the message or start a new thread',
  400,
);

/** The message shapes we count: UI messages (`parts`) and model messages (`content`). */
export interface CountableMessage {
  readonly parts?: ReadonlyArray<{ readonly type: string; readonly text?: unknown }>;
  readonly content?: unknown;
}

function textOfParts(parts: ReadonlyArray<{ type: string; text?: unknown }>): number {
  let n = 0;
  for (const p of parts) if ((p.type === 'text' || p.type === 'reasoning') && typeof p.text === 'string') n += p.text.length;
  return n;
}

/**
 * Characters of text across the messages: text and reasoning parts of UI messages, string or
 * text-part content of model messages. Tool inputs and outputs are not counted: they are produced
 * by the server, and the history trimmer bounds them.
 */
export function countInputChars(messages: readonly CountableMessage[]): number {
  let total = 0;
  for (const m of messages) {
    if (Array.isArray(m.parts)) total += textOfParts(m.parts);
    else if (typeof m.content === 'string') total += m.content.length;
    else if (Array.isArray(m.content)) total += textOfParts(m.content);
  }
  return total;
}

/** Throws `INPUT_TOO_LONG` (400, naming the limit) when the messages exceed `limit` characters. */
export function assertInputLength(messages: readonly CountableMessage[], limit = MAX_INPUT_CHARS): void {
  const total = countInputChars(messages);
  if (total > limit) throw new InputTooLong(total, limit);
}
