import { EventEmitter } from 'node:events';
import { afterEach, describe, expect, it, vi } from 'vitest';
import pino from 'pino';
import { createEventBus, type EventBus } from '../../plugins/events.ts';
import { createLifecycle, type Lifecycle } from '../../plugins/lifecycle.ts';
import { openRunStream, type EndReason, type StreamSink } from './stream.ts';
import './workflows.events.ts';

class FakeSink extends EventEmitter implements StreamSink {
  chunks: string[] = [];
  writableEnded = false;
  failAfter = Infinity;
  write(chunk: string): boolean {
    if (this.chunks.length >= this.failAfter) throw new Error('EPIPE');
    this.chunks.push(chunk);
    return true;
  }
  end(): void {
    this.writableEnded = true;
  }
  events(): Array<[string, Record<string, unknown>]> {
    return this.chunks.map((c) => {
      const [, ev, data] = /^event: (\w+)\ndata: (.*)\n\n$/s.exec(c)!;
      return [ev!, JSON.parse(data!) as Record<string, unknown>];
    });
  }
}

const log = pino({ level: 'silent' });
const status = (runId: string, s: string, orgId = 'o1') => ({ orgId, runId, definitionId: 'd', status: s as never, at: 'now' });
const step = (runId: string, nodeId: string, orgId = 'o1') => ({
  orgId,
  runId,
  nodeId,
  iteration: 0,
  status: 'completed' as const,
  at: 'now',
});

function setup(idleMs = 300_000): { bus: EventBus; life: Lifecycle; ended: EndReason[]; open: () => ReturnType<typeof openRunStream> } {
  const bus = createEventBus({ log, cap: 10 });
  const life = createLifecycle();
  const ended: EndReason[] = [];
  return {
    bus,
    life,
    ended,
    open: () => openRunStream({ events: bus, lifecycle: life, orgId: 'o1', runId: 'r1', idleMs, onEnd: (r) => ended.push(r) }),
  };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('run stream', () => {
  it('sends the current status first, then this run’s events, and ends on a terminal status', async () => {
    const { bus, life, ended, open } = setup();
    const sink = new FakeSink();
    const s = open();
    s.start(sink, { runId: 'r1', orgId: 'o1', status: 'running', at: 'now' });
    expect(bus.listenerCount()).toBe(2);
    expect(life.openStreams).toBe(1);
    await bus.publish('workflow.step', step('r1', 'a'));
    await bus.publish('workflow.step', step('other', 'x'));
    await bus.publish('workflow.step', step('r1', 'spy', 'o2'));
    await bus.publish('workflow.status', status('r1', 'completed'));
    expect(sink.events().map(([e, d]) => [e, d.nodeId ?? d.status ?? d.reason])).toEqual([
      ['status', 'running'],
      ['step', 'a'],
      ['status', 'completed'],
      ['end', 'finished'],
    ]);
    expect(sink.writableEnded).toBe(true);
    expect(bus.listenerCount()).toBe(0);
    expect(life.openStreams).toBe(0);
    expect(ended).toEqual(['finished']);
  });

  it('ends at once when the current status is terminal', () => {
    const { bus, open } = setup();
    const sink = new FakeSink();
    open().start(sink, { runId: 'r1', orgId: 'o1', status: 'failed', at: 'now' });
    expect(sink.events().map(([e]) => e)).toEqual(['status', 'end']);
    expect(bus.listenerCount()).toBe(0);
  });

  it('holds at most bufferMax events that arrive before the first write', async () => {
    const bus = createEventBus({ log, cap: 10 });
    const s = openRunStream({ events: bus, lifecycle: createLifecycle(), orgId: 'o1', runId: 'r1', bufferMax: 5 });
    for (let i = 0; i < 20; i++) await bus.publish('workflow.step', step('r1', `n${i}`));
    const sink = new FakeSink();
    s.start(sink, { runId: 'r1', orgId: 'o1', status: 'running', at: 'now' });
    expect(sink.events().map(([e, d]) => d.nodeId ?? e)).toEqual(['status', 'n0', 'n1', 'n2', 'n3', 'n4']);
    s.close('client-closed');
  });

  it('flushes early events and finishes if one of them was terminal', async () => {
    const { bus, open } = setup();
    const sink = new FakeSink();
    const s = open();
    await bus.publish('workflow.step', step('r1', 'early'));
    await bus.publish('workflow.status', status('r1', 'completed'));
    s.start(sink, { runId: 'r1', orgId: 'o1', status: 'running', at: 'now' });
    expect(sink.events().map(([e, d]) => [e, d.nodeId ?? d.status ?? d.reason])).toEqual([
      ['status', 'running'],
      ['step', 'early'],
      ['status', 'completed'],
      ['end', 'finished'],
    ]);
    expect(bus.listenerCount()).toBe(0);
  });

  it('a client disconnect unsubscribes, untracks and clears the idle timer', async () => {
    vi.useFakeTimers();
    const { bus, life, ended, open } = setup(1000);
    const sink = new FakeSink();
    open().start(sink, { runId: 'r1', orgId: 'o1', status: 'running', at: 'now' });
    sink.emit('close');
    expect(bus.listenerCount()).toBe(0);
    expect(life.openStreams).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
    await bus.publish('workflow.step', step('r1', 'late'));
    expect(sink.chunks).toHaveLength(1);
    expect(ended).toEqual(['client-closed']);
  });

  it('a failing write unsubscribes and clears timers', async () => {
    vi.useFakeTimers();
    const { bus, life, ended, open } = setup(1000);
    const sink = new FakeSink();
    sink.failAfter = 1;
    open().start(sink, { runId: 'r1', orgId: 'o1', status: 'running', at: 'now' });
    await bus.publish('workflow.step', step('r1', 'boom'));
    expect(ended).toEqual(['write-error']);
    expect(bus.listenerCount()).toBe(0);
    expect(life.openStreams).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('an error event on the socket cleans up too', () => {
    const { bus, ended, open } = setup();
    const sink = new FakeSink();
    open().start(sink, { runId: 'r1', orgId: 'o1', status: 'running', at: 'now' });
    sink.emit('error', new Error('ECONNRESET'));
    expect(ended).toEqual(['write-error']);
    expect(bus.listenerCount()).toBe(0);
  });

  it('ends with a timeout event after the idle time; events re-arm the timer', async () => {
    vi.useFakeTimers();
    const { bus, ended, open } = setup(300_000);
    const sink = new FakeSink();
    open().start(sink, { runId: 'r1', orgId: 'o1', status: 'suspended', at: 'now' });
    vi.advanceTimersByTime(200_000);
    await bus.publish('workflow.step', step('r1', 'a'));
    vi.advanceTimersByTime(200_000);
    expect(ended).toEqual([]);
    vi.advanceTimersByTime(100_001);
    expect(sink.events().at(-1)).toEqual(['end', { runId: 'r1', reason: 'timeout' }]);
    expect(ended).toEqual(['timeout']);
    expect(bus.listenerCount()).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('sends a terminal event on shutdown', () => {
    const { bus, life, open } = setup();
    const sink = new FakeSink();
    open().start(sink, { runId: 'r1', orgId: 'o1', status: 'running', at: 'now' });
    life.beginDrain();
    expect(sink.events().at(-1)).toEqual(['end', { runId: 'r1', reason: 'shutdown' }]);
    expect(bus.listenerCount()).toBe(0);
  });

  it('refuses past the listener cap without leaking the first subscription', () => {
    const { bus, open } = setup();
    for (let i = 0; i < 4; i++) open();
    expect(bus.listenerCount()).toBe(8);
    open();
    expect(bus.listenerCount()).toBe(10);
    expect(() => open()).toThrow(/LISTENER_CAP_REACHED|Too many live subscriptions/);
    expect(bus.listenerCount()).toBe(10);
  });
});
