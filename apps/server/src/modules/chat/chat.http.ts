import type { FastifyInstance, FastifyReply } from 'fastify';
import { pipeUIMessageStreamToResponse } from 'ai';
import type { Turn } from './chat.turn.ts';

/** Response header carrying the thread id (new threads get theirs here and in the message metadata). */
export const THREAD_ID_HEADER = 'x-chat-thread-id';

/**
 * Sends a turn as the AI SDK UI message stream (SSE, `x-vercel-ai-ui-message-stream: v1`) on the
 * raw response. A client disconnect or a failed write aborts the model call at once (the partial
 * answer is saved `aborted`); shutdown aborts it too. Resolves once the turn is saved.
 */
export async function sendTurn(app: Pick<FastifyInstance, 'lifecycle'>, reply: FastifyReply, turn: Turn): Promise<void> {
  reply.hijack();
  const res = reply.raw;
  const onClose = (): void => {
    if (!res.writableFinished) turn.abort('client-closed');
  };
  const onError = (): void => turn.abort('write-error');
  res.once('close', onClose);
  res.once('error', onError);
  const untrack = app.lifecycle.track({ terminate: () => turn.abort('shutdown') });
  try {
    await pipeUIMessageStreamToResponse({ response: res, stream: turn.stream, headers: { [THREAD_ID_HEADER]: turn.threadId } }).catch(
      onError,
    );
    await turn.done;
  } finally {
    untrack();
    res.off('close', onClose);
    res.off('error', onError);
  }
}
