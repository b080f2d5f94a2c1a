import { createHash } from 'node:crypto';
import type {
  LanguageModelV4,
  LanguageModelV4CallOptions,
  LanguageModelV4Content,
  LanguageModelV4FinishReason,
  LanguageModelV4GenerateResult,
  LanguageModelV4StreamPart,
  LanguageModelV4StreamResult,
  LanguageModelV4Usage,
} from '@ai-sdk/provider';
import { answerFor, capabilities, OFFLINE_NOTICE } from './offline/answers.ts';
import { readConversation } from './offline/conversation.ts';
import { isHelp, planCalls, type PlannedCall } from './offline/intents.ts';

/** Provider id of the built-in model (as in `cloudnow:offline`). */
export const OFFLINE_PROVIDER_ID = 'cloudnow';
/** Model id of the built-in model. */
export const OFFLINE_MODEL_ID = 'offline';
/** How the built-in model is labelled everywhere it appears. */
export const OFFLINE_MODEL_LABEL = 'Offline model (built-in)';

/** What the offline model decided to do for one step. */
export type OfflineDecision =
  | { readonly kind: 'tool-calls'; readonly calls: ReadonlyArray<PlannedCall & { toolCallId: string }> }
  | { readonly kind: 'text'; readonly text: string };

const WORDS_PER_CHUNK = 4;

function fingerprint(options: LanguageModelV4CallOptions): string {
  return createHash('sha256').update(JSON.stringify(options.prompt)).digest('hex').slice(0, 12);
}

function offeredTools(options: LanguageModelV4CallOptions): Set<string> {
  if (options.toolChoice?.type === 'none') return new Set();
  return new Set((options.tools ?? []).filter((t) => t.type === 'function').map((t) => t.name));
}

/**
 * The whole brain: answer from this turn's tool results when there are any; otherwise call the
 * offered tools the request asks for; otherwise say honestly what it is and what it can do.
 * Pure function of the call options, so the same prompt always gives the same decision.
 */
export function decide(options: LanguageModelV4CallOptions): OfflineDecision {
  const convo = readConversation(options.prompt);
  const offered = offeredTools(options);
  if (convo.turn.length > 0) return { kind: 'text', text: convo.turn.map(answerFor).join('\n\n') };

  const planned = planCalls(convo.latestRequest, convo.history);
  const callable = planned.filter((c) => offered.has(c.toolName));
  if (callable.length > 0) {
    const id = fingerprint(options);
    return { kind: 'tool-calls', calls: callable.map((c, i) => ({ ...c, toolCallId: `offline-${id}-${i}` })) };
  }
  if (planned.length > 0) {
    const missing = planned.map((c) => `\`${c.toolName}\``).join(', ');
    return { kind: 'text', text: `I would need ${missing} for that, but it is not available to me here. ${capabilities(offered)}` };
  }
  if (isHelp(convo.latestRequest)) {
    return { kind: 'text', text: `I'm Charlie, running on the ${OFFLINE_MODEL_LABEL.toLowerCase()}. ${capabilities(offered)}` };
  }
  return { kind: 'text', text: `${OFFLINE_NOTICE}\n\n${capabilities(offered)}` };
}

function tokens(chars: number): number {
  return Math.ceil(chars / 4);
}

function usageFor(options: LanguageModelV4CallOptions, outputChars: number): LanguageModelV4Usage {
  const input = tokens(JSON.stringify(options.prompt).length);
  const output = tokens(outputChars);
  return {
    inputTokens: { total: input, noCache: input, cacheRead: 0, cacheWrite: 0 },
    outputTokens: { total: output, text: output, reasoning: 0 },
  };
}

function finishReason(decision: OfflineDecision): LanguageModelV4FinishReason {
  return decision.kind === 'tool-calls' ? { unified: 'tool-calls', raw: 'tool-calls' } : { unified: 'stop', raw: 'stop' };
}

function outputChars(decision: OfflineDecision): number {
  return decision.kind === 'text' ? decision.text.length : JSON.stringify(decision.calls).length;
}

/** Splits text into word groups (whitespace kept), so the stream has several deltas. */
export function wordChunks(text: string, size = WORDS_PER_CHUNK): string[] {
  const words = text.match(/\s*\S+\s*/g) ?? [text];
  const chunks: string[] = [];
  for (let i = 0; i < words.length; i += size) chunks.push(words.slice(i, i + size).join(''));
  return chunks;
}

function streamParts(options: LanguageModelV4CallOptions, decision: OfflineDecision): LanguageModelV4StreamPart[] {
  const parts: LanguageModelV4StreamPart[] = [
    { type: 'stream-start', warnings: [] },
    { type: 'response-metadata', id: `offline-${fingerprint(options)}`, modelId: OFFLINE_MODEL_ID },
  ];
  if (decision.kind === 'text') {
    const id = 'text-0';
    parts.push({ type: 'text-start', id });
    for (const delta of wordChunks(decision.text)) parts.push({ type: 'text-delta', id, delta });
    parts.push({ type: 'text-end', id });
  } else {
    for (const call of decision.calls) {
      const input = JSON.stringify(call.input);
      parts.push({ type: 'tool-input-start', id: call.toolCallId, toolName: call.toolName });
      parts.push({ type: 'tool-input-delta', id: call.toolCallId, delta: input });
      parts.push({ type: 'tool-input-end', id: call.toolCallId });
      parts.push({ type: 'tool-call', toolCallId: call.toolCallId, toolName: call.toolName, input });
    }
  }
  parts.push({ type: 'finish', finishReason: finishReason(decision), usage: usageFor(options, outputChars(decision)) });
  return parts;
}

/**
 * The built-in language model (AI SDK `LanguageModelV4`): deterministic, no network. It is the
 * embedded default and what e2e tests and benchmarks use. The stream is pull-based, one part per
 * pull, and stops at the next pull once `abortSignal` fires.
 */
export class OfflineLanguageModel implements LanguageModelV4 {
  readonly specificationVersion = 'v4' as const;
  readonly provider = OFFLINE_PROVIDER_ID;
  readonly modelId = OFFLINE_MODEL_ID;
  readonly label = OFFLINE_MODEL_LABEL;
  readonly supportedUrls: Record<string, RegExp[]> = {};

  async doGenerate(options: LanguageModelV4CallOptions): Promise<LanguageModelV4GenerateResult> {
    options.abortSignal?.throwIfAborted();
    const decision = decide(options);
    const content: LanguageModelV4Content[] =
      decision.kind === 'text'
        ? [{ type: 'text', text: decision.text }]
        : decision.calls.map((c) => ({
            type: 'tool-call',
            toolCallId: c.toolCallId,
            toolName: c.toolName,
            input: JSON.stringify(c.input),
          }));
    return {
      content,
      finishReason: finishReason(decision),
      usage: usageFor(options, outputChars(decision)),
      response: { id: `offline-${fingerprint(options)}`, modelId: OFFLINE_MODEL_ID },
      warnings: [],
    };
  }

  async doStream(options: LanguageModelV4CallOptions): Promise<LanguageModelV4StreamResult> {
    options.abortSignal?.throwIfAborted();
    const parts = streamParts(options, decide(options));
    const signal = options.abortSignal;
    let next = 0;
    const stream = new ReadableStream<LanguageModelV4StreamPart>(
      {
        pull(controller) {
          if (signal?.aborted) return controller.error(signal.reason);
          const part = parts[next++];
          if (part) controller.enqueue(part);
          if (next >= parts.length) controller.close();
        },
      },
      { highWaterMark: 0 },
    );
    return { stream };
  }
}

/** A fresh offline model instance. */
export function createOfflineModel(): OfflineLanguageModel {
  return new OfflineLanguageModel();
}
