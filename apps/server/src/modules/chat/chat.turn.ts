import { randomUUID } from 'node:crypto';
import {
  convertToModelMessages,
  createUIMessageStream,
  safeValidateUIMessages,
  stepCountIs,
  streamText,
  toUIMessageStream,
  type UIMessage,
  type UIMessageChunk,
} from 'ai';
import type { Kysely } from 'kysely';
import type { FastifyBaseLogger } from 'fastify';
import type { Actor } from '@cloudnow/shared';
import type { DB } from '../../db/schema.ts';
import { withTenant } from '../../db/tenant.ts';
import type { Jobs } from '../../plugins/jobs.ts';
import type { ProviderRegistry } from '../../agent/provider-registry.ts';
import { guardInput, guardOutput } from '../../agent/guardrails/guard.ts';
import { INJECTION_BLOCKED_MESSAGE } from '../../agent/guardrails/injection.ts';
import { redactUIMessage } from '../../agent/guardrails/redact-stream.ts';
import { trimHistory, MAX_HISTORY_MESSAGES } from '../../agent/context.ts';
import { buildSystemPrompt, type SystemPromptContext } from '../../agent/system-prompt.ts';
import type { ApprovalService } from '../approvals/approvals.service.ts';
import { SEARCH_INGEST_QUEUE } from '../search/search.contract.ts';
import {
  deleteMessagesAfter,
  insertThreadIfAbsent,
  loadTurnContext,
  saveMessages,
  touchThread,
  type HistoryMessage,
} from './chat.repository.ts';
import type { StoredPart } from './chat.tables.ts';
import { buildChatTools, type ChatToolsDeps, type GrantedCall } from './chat.tools.ts';
import { approvalIndexOf, decideChatApprovals, mergeApprovalAnswers } from './chat.approvals.ts';
import { ChatAborted, type AbortReason, type ChatRuns } from './chat.runs.ts';
import { InvalidChatMessage, ThreadNotFound } from './chat.errors.ts';
import type { ChatBody } from './chat.schemas.ts';

/** What a chat turn needs; each a narrow port. */
export interface TurnDeps {
  db: () => Kysely<DB>;
  models: Pick<ProviderRegistry, 'resolve' | 'defaultModelId'>;
  tools: ChatToolsDeps;
  approvals: Pick<ApprovalService, 'decide'>;
  jobs: Pick<Jobs, 'send'>;
  runs: ChatRuns;
  log: FastifyBaseLogger;
  /** Region, compartment and cloud kind for the system prompt. */
  place: Omit<SystemPromptContext, 'orgName' | 'now'>;
  /** Server-side limit of one generation (CHAT_TIMEOUT_MS). */
  timeoutMs: number;
  now?: () => Date;
}

/** A started turn: the UI message stream to send, and how to stop it. */
export interface Turn {
  threadId: string;
  stream: ReadableStream<UIMessageChunk>;
  /** Aborts the model call (client gone, failed write, shutdown); the partial answer is saved `aborted`. */
  abort(reason: AbortReason): void;
  /** Settles once the assistant message is saved (never rejects). */
  done: Promise<void>;
}

/** Model context budget for history, in estimated tokens (the offline model's window is small). */
export function historyBudget(offline: boolean): number {
  return offline ? 8_000 : 32_000;
}

/** Metadata on every assistant message: which model answered and whether it was the offline one. */
export interface AssistantMetadata {
  threadId: string;
  model: string;
  offline: boolean;
  approvals?: Record<string, string>;
  blocked?: boolean;
}

const textOf = (m: UIMessage): string =>
  m.parts
    .flatMap((p) => (p.type === 'text' ? [p.text] : []))
    .join(' ')
    .trim();

/** A thread title from the first user text: one line, at most 80 characters. */
export function titleFrom(message: UIMessage): string {
  const line = textOf(message).replace(/\s+/g, ' ').trim();
  return (line.length > 80 ? `${line.slice(0, 79)}…` : line) || 'New conversation';
}

const toUI = (m: HistoryMessage): UIMessage => ({ id: m.id, role: m.role, parts: m.parts as UIMessage['parts'], metadata: m.metadata });

async function checkMessages(incoming: UIMessage[]): Promise<void> {
  const valid = await safeValidateUIMessages({ messages: incoming });
  if (!valid.success) throw new InvalidChatMessage(`messages: ${valid.error.message.slice(0, 300)}`);
  try {
    await convertToModelMessages(incoming.slice(-1));
  } catch (err) {
    throw new InvalidChatMessage(`message.parts: ${(err as Error).message.slice(0, 300)}`);
  }
}

/** A turn answered without the model: the injection refusal. Nothing is written. */
function refusal(threadId: string, metadata: AssistantMetadata): Turn {
  const id = randomUUID();
  const stream = createUIMessageStream({
    execute: ({ writer }) => {
      writer.write({ type: 'start', messageId: id, messageMetadata: metadata });
      writer.write({ type: 'text-start', id: 't0' });
      writer.write({ type: 'text-delta', id: 't0', delta: INJECTION_BLOCKED_MESSAGE });
      writer.write({ type: 'text-end', id: 't0' });
      writer.write({ type: 'finish', finishReason: 'stop' });
    },
  });
  return { threadId, stream, abort: () => {}, done: Promise.resolve() };
}

/**
 * One chat turn. Before anything is written: the body's messages are validated, the input guards
 * run and the model resolves (400s name the field). Then ONE transaction loads the org, thread and
 * history (one query) and saves the user message (creating the thread on the first message). The
 * model streams through the guardrail transforms; at the end ONE transaction saves the assistant
 * message (redacted, with its status), touches the thread and enqueues the search hand-off.
 */
export async function startTurn(deps: TurnDeps, actor: Actor, body: ChatBody): Promise<Turn> {
  const incoming = (body.messages ?? [body.message!]) as UIMessage[];
  const last = incoming.at(-1)!;
  await checkMessages(incoming);
  const verdict = guardInput(incoming);
  const modelId = body.model ?? (await deps.models.defaultModelId());
  const resolved = await deps.models.resolve(modelId);
  const threadId = body.id ?? randomUUID();
  const meta: AssistantMetadata = { threadId, model: resolved.info.id, offline: resolved.info.offline };
  if (verdict.blocked) {
    deps.log.warn({ score: verdict.score, rules: verdict.matches.map((m) => m.rule), threadId }, 'chat: prompt injection blocked');
    return refusal(threadId, { ...meta, blocked: true });
  }

  const controller = new AbortController();
  const release = deps.runs.start(actor.orgId, actor.userId, threadId, controller);
  try {
    const loaded = await withTenant(deps.db(), actor.orgId, async (tx) => {
      const ctx = await loadTurnContext(tx, actor.orgId, actor.userId, threadId, MAX_HISTORY_MESSAGES);
      if (!ctx) throw new ThreadNotFound(threadId);
      const history = ctx.history.map(toUI);
      if (last.role === 'assistant') {
        const stored = ctx.thread ? history.find((m) => m.id === last.id) : undefined;
        if (!stored) throw new InvalidChatMessage(`message.id: ${last.id} is not an assistant message of this thread`);
        const merged = mergeApprovalAnswers(stored, last);
        return { ctx, history: history.map((m) => (m.id === last.id ? merged.message : m)), answers: merged.answers, user: null };
      }
      if (!ctx.thread) {
        const created = await insertThreadIfAbsent(tx, {
          id: threadId,
          orgId: actor.orgId,
          userId: actor.userId,
          title: titleFrom(last),
          model: modelId,
        });
        if (!created) throw new ThreadNotFound(threadId);
      }
      const user: UIMessage = { id: last.id, role: 'user', parts: last.parts };
      const at = history.findIndex((m) => m.id === user.id);
      // A re-sent user message (useChat's regenerate): the answers after it are replaced.
      if (at >= 0 && at < history.length - 1) {
        const removed = await deleteMessagesAfter(tx, actor.orgId, threadId, user.id);
        await touchThread(tx, actor.orgId, threadId, -removed);
      }
      await saveMessages(tx, actor.orgId, threadId, [{ id: user.id, role: 'user', parts: user.parts as StoredPart[] }]);
      return { ctx, history: [...(at >= 0 ? history.slice(0, at) : history), user], answers: [], user: at >= 0 ? null : user };
    });
    const granted = await decideChatApprovals(deps, actor, loaded.answers);
    return await stream(deps, actor, { threadId, meta, resolved, controller, release, granted, ...loaded });
  } catch (err) {
    release();
    throw err;
  }
}

interface StreamInput {
  threadId: string;
  meta: AssistantMetadata;
  resolved: Awaited<ReturnType<ProviderRegistry['resolve']>>;
  controller: AbortController;
  release: () => void;
  granted: Map<string, GrantedCall>;
  ctx: { orgName: string };
  history: UIMessage[];
  user: UIMessage | null;
}

async function stream(deps: TurnDeps, actor: Actor, s: StreamInput): Promise<Turn> {
  const { controller, threadId } = s;
  const timer = setTimeout(() => controller.abort(new ChatAborted('timeout')), deps.timeoutMs);
  timer.unref();
  const toolset = await buildChatTools(deps.tools, actor, { threadId, signal: controller.signal, granted: s.granted });
  const trimmed = trimHistory(s.history, historyBudget(s.meta.offline));
  const continued = trimmed.at(-1)?.role === 'assistant' ? trimmed.at(-1) : undefined;
  const result = streamText({
    model: s.resolved.model,
    system: buildSystemPrompt({ orgName: s.ctx.orgName, ...deps.place, now: (deps.now ?? (() => new Date()))() }),
    messages: await convertToModelMessages(trimmed, { tools: toolset.tools, ignoreIncompleteToolCalls: true }),
    tools: toolset.tools,
    toolApproval: toolset.toolApproval,
    stopWhen: stepCountIs(5),
    abortSignal: controller.signal,
    // Logged here, once, through our logger (the SDK's default writes to the console).
    onError: ({ error }) => {
      if (!controller.signal.aborted) deps.log.warn({ err: error, threadId, model: s.meta.model }, 'chat: generation failed');
    },
  });
  let truncated = false;
  let failed = false;
  const onError = (): string => {
    failed = true;
    return 'The model failed to answer; please try again.';
  };
  const ui = toUIMessageStream({
    stream: result.stream,
    tools: toolset.tools,
    originalMessages: trimmed,
    generateMessageId: randomUUID,
    messageMetadata: ({ part }) => (part.type === 'start' || part.type === 'finish' ? s.meta : undefined),
    onError,
    // Gate refusals ("CODE: message") are written for users; the model sees the same text.
    redactToolErrors: false,
  });
  const guarded = guardOutput(ui, {
    onTruncate: () => {
      truncated = true;
      controller.abort(new ChatAborted('stopped'));
    },
  });
  let settle!: () => void;
  const done = new Promise<void>((r) => (settle = r));
  const finish = async (message: UIMessage, aborted: boolean): Promise<void> => {
    clearTimeout(timer);
    s.release();
    const status = truncated ? 'complete' : aborted || controller.signal.aborted ? 'aborted' : failed ? 'error' : 'complete';
    const approvals = { ...approvalIndexOf(continued?.metadata), ...Object.fromEntries(toolset.requested) };
    const metadata = { ...s.meta, ...(Object.keys(approvals).length ? { approvals } : {}) };
    const saved = redactUIMessage({ ...message, id: message.id || randomUUID() });
    const itemIds = [...(s.user ? [s.user.id] : []), saved.id];
    try {
      await withTenant(deps.db(), actor.orgId, async (tx) => {
        await saveMessages(tx, actor.orgId, threadId, [
          { id: saved.id, role: 'assistant', parts: saved.parts as StoredPart[], metadata, status },
        ]);
        await touchThread(tx, actor.orgId, threadId, (s.user ? 1 : 0) + (continued ? 0 : 1), s.meta.model);
        await deps.jobs.send(SEARCH_INGEST_QUEUE, { orgId: actor.orgId, kind: 'chat', sourceId: threadId, itemIds }, { tx });
      });
    } catch (err) {
      deps.log.error({ err, threadId }, 'chat: saving the assistant message failed');
    } finally {
      settle();
    }
  };
  const out = createUIMessageStream({
    originalMessages: trimmed,
    execute: ({ writer }) => writer.merge(guarded),
    onError,
    onEnd: ({ responseMessage, isAborted }) => finish(responseMessage, isAborted),
  });
  return {
    threadId,
    stream: out,
    abort: (reason) => {
      if (!controller.signal.aborted) controller.abort(new ChatAborted(reason));
    },
    done,
  };
}
