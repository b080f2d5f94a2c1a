import type { EventBus } from '../../plugins/events.ts';
import type { Lifecycle } from '../../plugins/lifecycle.ts';
import { TERMINAL, type RunStatusEntry } from './status-cache.ts';
import type { RunStatusEvent, StepEvent } from './workflows.events.ts';

/** The part of a response a stream writes to (an http.ServerResponse in production). */
export interface StreamSink {
  write(chunk: string): boolean;
  end(): void;
  on(event: 'close' | 'error', fn: () => void): unknown;
  off(event: 'close' | 'error', fn: () => void): unknown;
  readonly writableEnded: boolean;
}

/** Why a stream ended (sent as the last event's `reason`). */
export type EndReason = 'finished' | 'timeout' | 'shutdown' | 'client-closed' | 'write-error';

export interface RunStreamOptions {
  events: EventBus;
  lifecycle: Lifecycle;
  orgId: string;
  runId: string;
  /** Idle time without any event before the stream ends with a `timeout` event (default 300 s). */
  idleMs?: number;
  /** Events that arrive before the first status is written are held here (at most this many). */
  bufferMax?: number;
  onEnd?: (reason: EndReason) => void;
}

/** A subscribed run stream; `start` writes the current status and flushes what arrived meanwhile. */
export interface RunStream {
  start(sink: StreamSink, current: RunStatusEntry): void;
  /** Ends the stream (idempotent): unsubscribes, clears timers, untracks. */
  close(reason: EndReason): void;
}

const frame = (event: string, data: unknown): string => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;

/**
 * A live SSE stream of one run. It subscribes BEFORE the current status is read (so nothing falls
 * between the read and the subscription), holds early events in a small bounded buffer, then
 * writes: the current status, step and status events, and a final `end` event on a terminal status,
 * idle timeout or shutdown. A failed write, an error or a client close unsubscribes and clears the
 * idle timer at once; every path ends in `close`, which runs once.
 */
export function openRunStream(o: RunStreamOptions): RunStream {
  const idleMs = o.idleMs ?? 300_000;
  const bufferMax = o.bufferMax ?? 100;
  let sink: StreamSink | null = null;
  let closed = false;
  let idle: NodeJS.Timeout | null = null;
  const early: string[] = [];
  const offs: Array<() => void> = [];
  let untrack: () => void = () => {};

  const write = (chunk: string): void => {
    if (closed) return;
    if (!sink) {
      if (early.length < bufferMax) early.push(chunk);
      return;
    }
    try {
      sink.write(chunk);
    } catch {
      close('write-error');
    }
  };
  const arm = (): void => {
    if (closed) return;
    if (idle) clearTimeout(idle);
    idle = setTimeout(() => end('timeout'), idleMs);
    idle.unref();
  };
  const end = (reason: EndReason): void => {
    write(frame('end', { runId: o.runId, reason }));
    close(reason);
  };
  const onClose = (): void => close('client-closed');
  const onError = (): void => close('write-error');

  function close(reason: EndReason): void {
    if (closed) return;
    closed = true;
    for (const off of offs.splice(0)) off();
    if (idle) clearTimeout(idle);
    idle = null;
    untrack();
    if (sink) {
      sink.off('close', onClose);
      sink.off('error', onError);
      if (!sink.writableEnded) {
        try {
          sink.end();
        } catch {
          // the socket is gone already
        }
      }
    }
    o.onEnd?.(reason);
  }

  const mine = (e: { runId: string; orgId: string }): boolean => e.runId === o.runId && e.orgId === o.orgId;
  offs.push(
    o.events.subscribe('workflow.step', (e: StepEvent) => {
      if (!mine(e)) return;
      write(frame('step', e));
      if (sink) arm();
    }),
  );
  try {
    offs.push(
      o.events.subscribe('workflow.status', (e: RunStatusEvent) => {
        if (!mine(e)) return;
        write(frame('status', e));
        if (sink && TERMINAL.has(e.status)) end('finished');
        else if (sink) arm();
      }),
    );
  } catch (err) {
    close('write-error');
    throw err;
  }

  return {
    start(s, current) {
      if (closed) return;
      sink = s;
      s.on('close', onClose);
      s.on('error', onError);
      untrack = o.lifecycle.track({ terminate: () => end('shutdown') });
      write(frame('status', current));
      const held = early.splice(0);
      for (const chunk of held) write(chunk);
      const finished = held.some((c) => c.startsWith('event: status') && /"status":"(completed|failed|cancelled)"/.test(c));
      if (TERMINAL.has(current.status) || finished) end('finished');
      else arm();
    },
    close,
  };
}
