/**
 * The chunk shapes the output guards understand: AI SDK UI-message-stream chunks and model stream
 * parts (`text-delta` with `delta`) and `streamText` full-stream parts (`text-delta` with `text`).
 * Every other chunk passes through unchanged.
 */
export type GuardChunk = { readonly type: string; readonly id?: string; readonly delta?: string; readonly text?: string };

/** Most blocks tracked at once (a stream normally has one or two open). */
export const MAX_OPEN_BLOCKS = 64;

/** The text a delta chunk carries (`delta`, else `text`). */
export function deltaOf(chunk: GuardChunk): string | undefined {
  return typeof chunk.delta === 'string' ? chunk.delta : typeof chunk.text === 'string' ? chunk.text : undefined;
}

/** The chunk with its delta text replaced, in whichever field it used. */
export function withDelta<T extends GuardChunk>(chunk: T, value: string): T {
  return typeof chunk.delta === 'string' ? { ...chunk, delta: value } : { ...chunk, text: value };
}

/** Most output tokens per response. */
export const MAX_OUTPUT_TOKENS = 4_000;

/** Estimated tokens of a text: ~4 characters per token, rounded up. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

/** The visible note appended when the output is cut. */
export function truncationNote(maxTokens: number): string {
  return `\n\n*Response truncated at about ${maxTokens.toLocaleString('en-US')} tokens to stay within output limits.*`;
}

/** Options of the output cap. */
export interface OutputCapOptions {
  /** Token budget (default {@link MAX_OUTPUT_TOKENS}). */
  readonly maxTokens?: number;
  /** Called once when the cap is hit, e.g. to abort the model call so it stops generating. */
  readonly onTruncate?: () => void;
}

/** Cuts a delta to at most `budget` characters, snapping back to a space within 20% of the budget. */
function cutAt(delta: string, budget: number, total: number): string {
  const head = delta.slice(0, budget);
  const space = head.lastIndexOf(' ');
  return space > 0 && budget - space <= total * 0.2 ? head.slice(0, space) : head;
}

/**
 * Caps the text of a stream at `maxTokens` (characters of text deltas / 4, across all blocks):
 * the delta that crosses the budget is cut, the truncation note follows in the same block, and
 * every later text delta — and any text block started later — is dropped. Other chunks (tool
 * parts, finish, errors) still pass, so the stream stays well-formed.
 */
export function createOutputCapTransform<T extends GuardChunk>(options: OutputCapOptions = {}): TransformStream<T, T> {
  const maxTokens = options.maxTokens ?? MAX_OUTPUT_TOKENS;
  const maxChars = maxTokens * 4;
  let used = 0;
  let truncated = false;
  const dropped = new Set<string>();
  return new TransformStream<T, T>({
    transform(chunk, controller) {
      if (!chunk.type.startsWith('text-')) return controller.enqueue(chunk);
      const id = chunk.id ?? '';
      if (chunk.type === 'text-start' && truncated) {
        if (dropped.size < MAX_OPEN_BLOCKS) dropped.add(id);
        return;
      }
      if (dropped.has(id)) {
        if (chunk.type === 'text-end') dropped.delete(id);
        return;
      }
      const delta = chunk.type === 'text-delta' ? deltaOf(chunk) : undefined;
      if (delta === undefined) return controller.enqueue(chunk);
      if (truncated) return;
      if (used + delta.length <= maxChars) {
        used += delta.length;
        return controller.enqueue(chunk);
      }
      truncated = true;
      const head = cutAt(delta, maxChars - used, maxChars);
      used += head.length;
      controller.enqueue(withDelta(chunk, head + truncationNote(maxTokens)));
      options.onTruncate?.();
    },
  });
}
