import { deltaOf, MAX_OPEN_BLOCKS, withDelta, type GuardChunk } from './output.ts';
import { createRedactor, redactText, type Redactor } from './redact.ts';

/** Redacts every string inside a JSON-like value (tool inputs and outputs). */
export function redactDeep(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return redactText(value);
  if (depth > 32 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => redactDeep(v, depth + 1));
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactDeep(v, depth + 1)]));
}

const DELTA = /^(text|reasoning)-delta$/;
const END = /^(text|reasoning)-end$/;
const STREAM_END = new Set(['finish', 'error', 'abort']);

/** Whole-value fields of UI-message-stream chunks that can carry secrets, by chunk type. */
const WHOLE: Record<string, 'input' | 'output' | 'errorText'> = {
  'tool-input-available': 'input',
  'tool-input-error': 'errorText',
  'tool-output-available': 'output',
  'tool-output-error': 'errorText',
  error: 'errorText',
};

/** A partial tool input streamed as `tool-input-delta` (UI stream) — redacted like text. */
type ToolInputDelta = { type: 'tool-input-delta'; toolCallId: string; inputTextDelta: string };

/**
 * Redacts secrets and PII (see `redact.ts`) in the stream, exactly across chunk boundaries:
 * text and reasoning deltas per block id (the held-back tail is released with the next delta,
 * before the block's `*-end`, or when the stream ends), streamed tool-input deltas per call, and
 * whole tool inputs, outputs and error texts. Other chunks pass unchanged. Note the model still
 * sees unredacted tool results; this guards what leaves the server.
 */
export function createRedactionTransform<T extends GuardChunk>(): TransformStream<T, T> {
  const open = new Map<string, { redactor: Redactor; template: T }>();
  const write = (template: T, value: string): T =>
    template.type === 'tool-input-delta' ? ({ ...template, inputTextDelta: value } as T) : withDelta(template, value);
  const release = (key: string, controller: TransformStreamDefaultController<T>) => {
    const block = open.get(key);
    if (!block) return;
    open.delete(key);
    const rest = block.redactor.flush();
    if (rest) controller.enqueue(write(block.template, rest));
  };
  const push = (key: string, chunk: T, delta: string, controller: TransformStreamDefaultController<T>) => {
    let block = open.get(key);
    if (!block) {
      if (open.size >= MAX_OPEN_BLOCKS) release(open.keys().next().value!, controller);
      block = { redactor: createRedactor(), template: chunk };
      open.set(key, block);
    }
    const safe = block.redactor.push(delta);
    if (safe) controller.enqueue(write(chunk, safe));
  };
  return new TransformStream<T, T>({
    transform(chunk, controller) {
      const delta = deltaOf(chunk);
      if (DELTA.test(chunk.type) && delta !== undefined)
        return push(`${chunk.type.split('-')[0]}:${chunk.id ?? ''}`, chunk, delta, controller);
      if (chunk.type === 'tool-input-delta') {
        const c = chunk as unknown as ToolInputDelta;
        return push(`tool:${c.toolCallId}`, chunk, c.inputTextDelta, controller);
      }
      if (END.test(chunk.type)) release(`${chunk.type.split('-')[0]}:${chunk.id ?? ''}`, controller);
      else if (chunk.type.startsWith('tool-input-')) release(`tool:${(chunk as { toolCallId?: string }).toolCallId}`, controller);
      else if (STREAM_END.has(chunk.type)) for (const k of [...open.keys()]) release(k, controller);
      const field = WHOLE[chunk.type];
      const record = chunk as unknown as Record<string, unknown>;
      controller.enqueue(field && field in record ? ({ ...chunk, [field]: redactDeep(record[field]) } as T) : chunk);
    },
    flush(controller) {
      for (const k of [...open.keys()]) release(k, controller);
    },
  });
}

/**
 * A UI message with the same redaction applied to its text, reasoning, tool inputs, outputs and
 * error texts — for persisting a message assembled from the unguarded stream (e.g. in
 * `toUIMessageStream({ onFinish })`), so what is saved matches what the user saw.
 */
export function redactUIMessage<M extends { parts: ReadonlyArray<{ type: string }> }>(message: M): M {
  const parts = message.parts.map((part) => {
    const p = part as Record<string, unknown>;
    const out: Record<string, unknown> = { ...p };
    for (const field of ['text', 'input', 'output', 'errorText'] as const) if (field in p) out[field] = redactDeep(p[field]);
    return out;
  });
  return { ...message, parts } as M;
}
