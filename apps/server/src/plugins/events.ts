import { EventEmitter } from 'node:events';
import fp from 'fastify-plugin';
import type { FastifyBaseLogger } from 'fastify';
import type { ValkeyConnection } from '../lib/valkey.ts';
import { ListenerCapReached } from '../errors.ts';

/**
 * The typed event map. Modules add their events by augmenting it
 * (`declare module '../../plugins/events.ts' { interface EventMap { 'x.y': Payload } }`).
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface EventMap {}

/** Names of the events in `EventMap`. */
export type EventName = keyof EventMap & string;
/** A subscriber of event `K`. */
export type Handler<K extends EventName> = (payload: EventMap[K]) => void;

/**
 * Publish/subscribe across the process, or across every replica with Valkey. `subscribe` returns
 * its unsubscribe. Local listeners are capped (default 1000, warning logged at 80 %): a subscribe
 * past the cap throws LISTENER_CAP_REACHED instead of leaking.
 */
export interface EventBus {
  readonly mode: 'memory' | 'valkey';
  publish<K extends EventName>(name: K, payload: EventMap[K]): Promise<void>;
  /**
   * Observes what THIS process publishes (not what it receives from other replicas): producers'
   * side effects that must happen once per event — webhook fan-out — hang off it. At most 50 taps.
   */
  tap(observer: (name: EventName, payload: unknown) => void): () => void;
  subscribe<K extends EventName>(name: K, handler: Handler<K>): () => void;
  /** Live local listeners across all events (exported at /metrics). */
  listenerCount(): number;
  readonly cap: number;
  close(): Promise<void>;
}

/** Settings of `createEventBus`. */
export interface EventBusOptions {
  log: FastifyBaseLogger;
  cap?: number;
  /** Valkey publisher and subscriber connections; both null for in-process. */
  valkey?: { pub: ValkeyConnection; sub: ValkeyConnection; prefix: string } | null;
}

/** Creates an event bus, in process or over Valkey pub/sub. */
export function createEventBus(opts: EventBusOptions): EventBus {
  const cap = opts.cap ?? 1000;
  const warnAt = Math.floor(cap * 0.8);
  const log = opts.log;
  const emitter = new EventEmitter();
  emitter.setMaxListeners(cap);
  let total = 0;
  let warned = false;
  const vk = opts.valkey ?? null;
  const channel = (name: string): string => `${vk?.prefix ?? ''}events:${name}`;
  const remoteRefs = new Map<string, number>();
  const taps = new Set<(name: EventName, payload: unknown) => void>();

  if (vk) {
    vk.sub.client.on('message', (ch: string, message: string) => {
      const name = ch.slice(channel('').length);
      let payload: unknown;
      try {
        payload = JSON.parse(message);
      } catch {
        log.warn({ channel: ch }, 'events: dropped a malformed message');
        return;
      }
      dispatch(name, payload);
    });
  }

  function dispatch(name: string, payload: unknown): void {
    for (const l of emitter.listeners(name)) {
      try {
        (l as (p: unknown) => void)(payload);
      } catch (err) {
        log.error({ err, event: name }, 'events: a subscriber threw');
      }
    }
  }

  return {
    mode: vk ? 'valkey' : 'memory',
    cap,
    async publish(name, payload) {
      for (const t of taps) {
        try {
          t(name, payload);
        } catch (err) {
          log.error({ err, event: name }, 'events: a tap threw');
        }
      }
      if (!vk) {
        dispatch(name, payload);
        return;
      }
      // Every instance, this one included, receives the message from Valkey: one delivery path.
      try {
        await vk.pub.client.publish(channel(name), JSON.stringify(payload));
      } catch (err) {
        log.warn({ err, event: name }, 'events: valkey publish failed; delivering locally only');
        dispatch(name, payload);
      }
    },
    subscribe(name, handler) {
      if (total >= cap) throw new ListenerCapReached(cap);
      emitter.on(name, handler as (p: unknown) => void);
      total++;
      if (total >= warnAt && !warned) {
        warned = true;
        log.warn({ listeners: total, cap }, 'events: listener count at 80 % of the cap');
      }
      if (vk) {
        const refs = remoteRefs.get(name) ?? 0;
        remoteRefs.set(name, refs + 1);
        if (refs === 0) {
          vk.sub.client.subscribe(channel(name)).catch((err: unknown) => log.warn({ err, event: name }, 'events: subscribe failed'));
        }
      }
      let active = true;
      return () => {
        if (!active) return;
        active = false;
        emitter.off(name, handler as (p: unknown) => void);
        total--;
        if (total < warnAt) warned = false;
        if (vk) {
          const refs = (remoteRefs.get(name) ?? 1) - 1;
          if (refs <= 0) {
            remoteRefs.delete(name);
            vk.sub.client.unsubscribe(channel(name)).catch(() => {});
          } else remoteRefs.set(name, refs);
        }
      };
    },
    tap(observer) {
      if (taps.size >= 50) throw new Error('events: too many taps');
      taps.add(observer);
      return () => void taps.delete(observer);
    },
    listenerCount: () => total,
    async close() {
      emitter.removeAllListeners();
      total = 0;
      remoteRefs.clear();
    },
  };
}

/** Resolves once the subscriber is subscribed to every channel requested so far (tests use it). */
export async function waitForSubscriptions(conn: ValkeyConnection): Promise<void> {
  await conn.client.ping().catch(() => {});
}

declare module 'fastify' {
  interface FastifyInstance {
    events: EventBus;
  }
}

/** Decorates `app.events`. With Valkey it needs two connections (a subscriber cannot publish). */
export default fp(
  async (app, opts: { valkey: { pub: ValkeyConnection; sub: ValkeyConnection; prefix: string } | null; cap?: number }) => {
    const bus = createEventBus({ log: app.log, valkey: opts.valkey, ...(opts.cap ? { cap: opts.cap } : {}) });
    app.decorate('events', bus);
    app.addHook('onClose', async () => bus.close());
  },
  { name: 'events' },
);
