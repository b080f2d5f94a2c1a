import { z } from 'zod';
import { LIMITS } from '@cloudnow/shared';

/** `{ code, message }`: every error answer. */
export const errorBody = z.object({ code: z.string(), message: z.string() });

/** A UIMessage part as the client sends it: typed, the rest checked by the AI SDK's validator. */
const part = z.looseObject({ type: z.string().min(1).max(100) }).superRefine((p, ctx) => {
  if ((p.type === 'text' || p.type === 'reasoning') && typeof p.text !== 'string')
    ctx.addIssue({ code: 'custom', path: ['text'], message: 'must be a string' });
  if ((p.type.startsWith('tool-') || p.type === 'dynamic-tool') && typeof p.toolCallId !== 'string')
    ctx.addIssue({ code: 'custom', path: ['toolCallId'], message: 'must be a string' });
});

/** A UIMessage (AI SDK 5+ shape). Clients may not send system messages: the system prompt is the server's. */
export const uiMessage = z.object({
  id: z.string().min(1).max(200),
  role: z.enum(['user', 'assistant'], { error: () => 'must be user or assistant' }),
  parts: z.array(part).min(1).max(200),
  metadata: z.unknown().optional(),
});

/**
 * POST /api/chat. What `useChat` sends: the default transport's `{ id, messages, trigger, messageId }`
 * or a last-message transport's `{ id, message }`; the turn is always the last message (a user
 * message, or the assistant message carrying approval responses). `model` picks the model.
 */
export const chatBody = z
  .object({
    id: z.uuid({ error: () => 'must be a UUID (crypto.randomUUID())' }).optional(),
    message: uiMessage.optional(),
    messages: z
      .array(uiMessage)
      .min(1, { error: () => 'must contain at least 1 message' })
      .max(LIMITS.chatMessagesMax, { error: () => `must contain at most ${LIMITS.chatMessagesMax} messages` })
      .optional(),
    model: z.string().min(1).max(200).optional(),
    trigger: z.enum(['submit-message', 'regenerate-message']).optional(),
    messageId: z.string().max(200).optional(),
  })
  .superRefine((b, ctx) => {
    if (!b.message && !b.messages) ctx.addIssue({ code: 'custom', path: ['messages'], message: 'required (or `message`)' });
  });
export type ChatBody = z.infer<typeof chatBody>;

export const threadParams = z.object({ id: z.uuid() });
export const stopParams = z.object({ threadId: z.uuid() });

export const listThreadsQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  offset: z.coerce.number().int().min(0).max(100_000).default(0),
  q: z.string().trim().min(1).max(200).optional(),
});

export const renameBody = z.object({ title: z.string().trim().min(1).max(200) });

export const threadSummary = z.object({
  id: z.string(),
  title: z.string(),
  model: z.string().nullable(),
  messageCount: z.number(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const threadPage = z.object({ items: z.array(threadSummary), total: z.number() });

export const storedMessage = z.object({
  id: z.string(),
  role: z.enum(['system', 'user', 'assistant']),
  parts: z.array(z.looseObject({ type: z.string() })),
  metadata: z.record(z.string(), z.unknown()),
  status: z.enum(['complete', 'streaming', 'aborted', 'error']),
  createdAt: z.string(),
});

export const threadDetail = threadSummary.extend({
  messages: z.array(storedMessage),
  /** True when older messages exist beyond the ones returned. */
  hasMore: z.boolean(),
});

export const stopResult = z.object({ threadId: z.string(), requested: z.literal(true) });
