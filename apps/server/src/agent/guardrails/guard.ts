import { assertInputLength, type CountableMessage } from './input-length.ts';
import { checkInjection, latestUserText, type InjectionVerdict } from './injection.ts';
import { createOutputCapTransform, type GuardChunk, type OutputCapOptions } from './output.ts';
import { createRedactionTransform } from './redact-stream.ts';

/** A UI message as the chat route receives it. */
export type GuardedMessage = CountableMessage & { readonly role: string; readonly parts?: ReadonlyArray<{ type: string; text?: unknown }> };

/**
 * The input guards in order: the length limit (throws `INPUT_TOO_LONG`, 400) and then the
 * injection score of the newest user message. Returns the verdict rather than throwing so the
 * route can log `score`/`matches[].rule` and answer with `message` (or throw
 * `PromptInjectionBlocked`) when `blocked`.
 */
export function guardInput(messages: readonly GuardedMessage[]): InjectionVerdict {
  assertInputLength(messages);
  return checkInjection(latestUserText(messages));
}

/**
 * The output guards in order — redaction, then the token cap (so the cap counts what the user
 * sees) — applied to a UI message stream (or any stream of {@link GuardChunk}s).
 */
export function guardOutput<T extends GuardChunk>(stream: ReadableStream<T>, options: OutputCapOptions = {}): ReadableStream<T> {
  return stream.pipeThrough(createRedactionTransform<T>()).pipeThrough(createOutputCapTransform<T>(options));
}
