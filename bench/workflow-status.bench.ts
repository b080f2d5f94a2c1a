/**
 * Benchmark (not a test): the workflow status cache stays bounded. 1,000,000 status events over
 * distinct runs (a third of them terminal) must keep the entries at or below the cap (10,000) and
 * the heap growth under 50 MB; 10,000 stream connect/abrupt-disconnect cycles (half closed by the
 * client, half failing on write) must bring the bus listener count back to its baseline. Prints a table and writes
 * bench/results/workflow-status.json. Run alone with `node bench/workflow-status.bench.ts`
 * (or through bench/run.ts, which imports the default export).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatTable, type BenchResult, type Row } from './lib.ts';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { EventEmitter } from 'node:events';
import pino from 'pino';
import { StatusCache } from '../apps/server/src/modules/workflows/status-cache.ts';
import { openRunStream, type StreamSink } from '../apps/server/src/modules/workflows/stream.ts';
import { createEventBus } from '../apps/server/src/plugins/events.ts';
import { createLifecycle } from '../apps/server/src/plugins/lifecycle.ts';
import '../apps/server/src/modules/workflows/workflows.events.ts';

const EVENTS = 1_000_000;
const CAP = 10_000;
const HEAP_LIMIT_MB = 50;
const STREAM_CYCLES = 10_000;

/** A socket that the client drops abruptly (close, or an error on write). */
class DroppedSocket extends EventEmitter implements StreamSink {
  writableEnded = false;
  broken = false;
  write(): boolean {
    if (this.broken) throw new Error('EPIPE');
    return true;
  }
  end(): void {
    this.writableEnded = true;
  }
}

/** 10,000 stream connect / abrupt-disconnect cycles: the listener count must return to its baseline. */
async function streamCycles(): Promise<{ baseline: number; peak: number; after: number; open: number }> {
  const bus = createEventBus({ log: pino({ level: 'silent' }), cap: 1000 });
  const life = createLifecycle();
  const baseline = bus.listenerCount();
  let peak = 0;
  for (let i = 0; i < STREAM_CYCLES; i++) {
    const s = openRunStream({ events: bus, lifecycle: life, orgId: 'o', runId: `run-${i}`, idleMs: 300_000 });
    const sock = new DroppedSocket();
    s.start(sock, { runId: `run-${i}`, orgId: 'o', status: 'running', at: '' });
    peak = Math.max(peak, bus.listenerCount());
    if (i % 2 === 0) sock.emit('close');
    else {
      sock.broken = true;
      await bus.publish('workflow.step', { orgId: 'o', runId: `run-${i}`, nodeId: 'n', iteration: 0, status: 'running', at: '' });
    }
  }
  return { baseline, peak, after: bus.listenerCount(), open: life.openStreams };
}

interface Check {
  metric: string;
  value: number;
  limit: number | null;
  pass: boolean;
}

// A forced GC before each heap reading, so garbage is not counted as growth (works without --expose-gc).
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const heapMb = (): number => {
  gc();
  return process.memoryUsage().heapUsed / 1024 / 1024;
};

/** Runs the benchmark (the bench/run.ts contract: returns the title, rows and meta). */
export default async function run(): Promise<BenchResult> {
  const cache = new StatusCache({ max: CAP });
  const before = heapMb();
  let maxSize = 0;
  const started = performance.now();
  for (let i = 0; i < EVENTS; i++) {
    const runId = `run-${i}`;
    cache.set({
      runId,
      orgId: `org-${i % 50}`,
      status: i % 3 === 0 ? 'completed' : 'running',
      at: new Date(1_700_000_000_000 + i).toISOString(),
    });
    if (cache.size > maxSize) maxSize = cache.size;
  }
  const seconds = (performance.now() - started) / 1000;
  const growth = heapMb() - before;
  const streams = await streamCycles();
  const checks: Check[] = [
    { metric: 'status events', value: EVENTS, limit: null, pass: true },
    { metric: 'max entries held', value: maxSize, limit: CAP, pass: maxSize <= CAP },
    { metric: 'entries at end', value: cache.size, limit: CAP, pass: cache.size <= CAP },
    { metric: 'heap growth (MB)', value: Math.round(growth * 10) / 10, limit: HEAP_LIMIT_MB, pass: growth < HEAP_LIMIT_MB },
    { metric: 'events per second', value: Math.round(EVENTS / seconds), limit: null, pass: true },
    { metric: 'stream connect/abrupt-disconnect cycles', value: STREAM_CYCLES, limit: null, pass: true },
    { metric: 'bus listeners during a stream', value: streams.peak, limit: 2, pass: streams.peak <= 2 },
    { metric: 'bus listeners after the cycles', value: streams.after, limit: streams.baseline, pass: streams.after === streams.baseline },
    { metric: 'tracked streams after the cycles', value: streams.open, limit: 0, pass: streams.open === 0 },
  ];
  const rows: Row[] = checks.map((c) => ({ metric: c.metric, value: c.value, limit: c.limit, pass: c.pass ? 'yes' : 'NO' }));
  return {
    title: 'Workflow status cache and run streams stay bounded',
    rows,
    meta: { allPass: checks.every((c) => c.pass), events: EVENTS, cap: CAP, streamCycles: STREAM_CYCLES },
  };
}

// Standalone: `node bench/workflow-status.bench.ts` prints the table and writes the JSON too.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const result = await run();
  console.log(`## workflow-status: ${result.title}\n\n${formatTable(result.rows)}`);
  const out = join(dirname(fileURLToPath(import.meta.url)), 'results', 'workflow-status.json');
  await mkdir(dirname(out), { recursive: true });
  await writeFile(out, JSON.stringify({ name: 'workflow-status', ...result, ranAt: new Date().toISOString() }, null, 2) + '\n');
  if (!result.meta?.allPass) process.exitCode = 1;
}
