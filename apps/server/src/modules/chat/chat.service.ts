import type { Actor } from '@cloudnow/shared';
import { withTenant } from '../../db/tenant.ts';
import * as repo from './chat.repository.ts';
import type { HistoryMessage, ThreadRow } from './chat.repository.ts';
import { ThreadNotFound } from './chat.errors.ts';
import type { ChatBody } from './chat.schemas.ts';
import { startTurn, type Turn, type TurnDeps } from './chat.turn.ts';

/** Most messages GET /api/chat/threads/:id returns (the newest; `hasMore` tells whether older exist). */
export const THREAD_MESSAGES_MAX = 200;

/** A thread as the API shows it. */
export interface ThreadView {
  id: string;
  title: string;
  model: string | null;
  messageCount: number;
  createdAt: string;
  updatedAt: string;
}

const iso = (d: Date | string): string => new Date(d).toISOString();

/** Picks the API fields of a thread row. */
export function presentThread(t: ThreadRow): ThreadView {
  return {
    id: t.id,
    title: t.title,
    model: t.model,
    messageCount: t.message_count,
    createdAt: iso(t.created_at),
    updatedAt: iso(t.updated_at),
  };
}

/** Chat as routes see it: a user's own threads in their org, turns, and stop. */
export interface ChatService {
  listThreads(
    actor: Actor,
    page: { limit: number; offset: number; q?: string | undefined },
  ): Promise<{ items: ThreadView[]; total: number }>;
  getThread(actor: Actor, id: string): Promise<ThreadView & { messages: HistoryMessage[]; hasMore: boolean }>;
  renameThread(actor: Actor, id: string, title: string): Promise<ThreadView>;
  deleteThread(actor: Actor, id: string): Promise<void>;
  /** Starts a turn (see `startTurn`): validated, guarded and persisted before the first chunk. */
  turn(actor: Actor, body: ChatBody): Promise<Turn>;
  /** Stops the thread's running generation on whichever replica runs it. 404 for a thread not the caller's. */
  stop(actor: Actor, threadId: string): Promise<void>;
}

export function createChatService(deps: TurnDeps): ChatService {
  const tenant = <T>(actor: Actor, fn: Parameters<typeof withTenant<T>>[2]): Promise<T> => withTenant(deps.db(), actor.orgId, fn);
  const mustFind = async (actor: Actor, id: string): Promise<ThreadRow> => {
    const t = await tenant(actor, (tx) => repo.findThread(tx, actor.orgId, actor.userId, id));
    if (!t) throw new ThreadNotFound(id);
    return t;
  };
  return {
    async listThreads(actor, page) {
      const { items, total } = await tenant(actor, (tx) =>
        repo.listThreads(tx, actor.orgId, actor.userId, { limit: page.limit, offset: page.offset, search: page.q }),
      );
      return { items: items.map(presentThread), total };
    },

    async getThread(actor, id) {
      const ctx = await tenant(actor, (tx) => repo.loadTurnContext(tx, actor.orgId, actor.userId, id, THREAD_MESSAGES_MAX + 1));
      if (!ctx?.thread) throw new ThreadNotFound(id);
      const hasMore = ctx.history.length > THREAD_MESSAGES_MAX;
      return { ...presentThread(ctx.thread), messages: hasMore ? ctx.history.slice(1) : ctx.history, hasMore };
    },

    async renameThread(actor, id, title) {
      const renamed = await tenant(actor, async (tx) =>
        (await repo.renameThread(tx, actor.orgId, actor.userId, id, title))
          ? repo.findThread(tx, actor.orgId, actor.userId, id)
          : undefined,
      );
      if (!renamed) throw new ThreadNotFound(id);
      return presentThread(renamed);
    },

    async deleteThread(actor, id) {
      if (!(await tenant(actor, (tx) => repo.deleteThread(tx, actor.orgId, actor.userId, id)))) throw new ThreadNotFound(id);
    },

    turn: (actor, body) => startTurn(deps, actor, body),

    async stop(actor, threadId) {
      await mustFind(actor, threadId);
      await deps.runs.requestStop(actor.orgId, actor.userId, threadId);
    },
  };
}
