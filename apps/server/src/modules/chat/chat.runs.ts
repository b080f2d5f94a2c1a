import type { EventBus } from '../../plugins/events.ts';
import { ChatBusy, ChatCapacity } from './chat.errors.ts';

/** Asks every replica to stop the generation running in a thread. */
declare module '../../plugins/events.ts' {
  interface EventMap {
    'chat.stop': { orgId: string; threadId: string; userId: string };
  }
}

/** Why a running generation was aborted (the AbortSignal's reason). */
export type AbortReason = 'client-closed' | 'write-error' | 'stopped' | 'timeout' | 'shutdown';

/** Error used as the abort reason, so logs and the saved status can tell why. */
export class ChatAborted extends Error {
  readonly reason: AbortReason;
  constructor(reason: AbortReason) {
    super(`chat generation aborted: ${reason}`);
    this.name = 'AbortError';
    this.reason = reason;
  }
}

interface Running {
  orgId: string;
  userId: string;
  controller: AbortController;
}

/** The generations running in this process, by thread; bounded (`max`), size exported at /metrics. */
export interface ChatRuns {
  /** Registers a generation (409 when the thread already runs one here, 503 at the cap); returns its release. */
  start(orgId: string, userId: string, threadId: string, controller: AbortController): () => void;
  /** Publishes a stop for the thread to every replica (this one included). */
  requestStop(orgId: string, userId: string, threadId: string): Promise<void>;
  readonly size: number;
  /** Unsubscribes from the bus. */
  close(): void;
}

/** Default cap of concurrent generations per process (the `chat` rate limit keeps real use far below). */
export const MAX_RUNNING = 1000;

export function createChatRuns(deps: { events: Pick<EventBus, 'publish' | 'subscribe'> }, max = MAX_RUNNING): ChatRuns {
  const running = new Map<string, Running>();
  const unsubscribe = deps.events.subscribe('chat.stop', (p) => {
    const r = running.get(p.threadId);
    if (r && r.orgId === p.orgId && r.userId === p.userId) r.controller.abort(new ChatAborted('stopped'));
  });
  return {
    start(orgId, userId, threadId, controller) {
      if (running.has(threadId)) throw new ChatBusy(threadId);
      if (running.size >= max) throw new ChatCapacity(max);
      const entry = { orgId, userId, controller };
      running.set(threadId, entry);
      return () => {
        if (running.get(threadId) === entry) running.delete(threadId);
      };
    },
    requestStop: (orgId, userId, threadId) => deps.events.publish('chat.stop', { orgId, threadId, userId }),
    get size() {
      return running.size;
    },
    close: unsubscribe,
  };
}
