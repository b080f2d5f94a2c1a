import { LRUCache } from 'lru-cache';
import type { RunStatus } from './workflows.tables.ts';

/** The latest status of one run, as the stream sends it first. */
export interface RunStatusEntry {
  runId: string;
  orgId: string;
  status: RunStatus;
  at: string;
  error?: string | null;
  suspendedNode?: string | null;
}

/** Statuses after which a run never changes again. */
export const TERMINAL: ReadonlySet<RunStatus> = new Set(['completed', 'failed', 'cancelled']);

export interface StatusCacheOptions {
  /** Most runs kept (default 10,000). */
  max?: number;
  /** Lifetime of a live run's entry (default 1 h). */
  ttlMs?: number;
  /** Lifetime of a finished run's entry (default 60 s): late stream subscribers still see it. */
  terminalTtlMs?: number;
  /** Clock (tests). */
  now?: () => number;
}

/**
 * The latest status per run, bounded: an LRU of at most `max` runs, each entry living `ttlMs`
 * (terminal runs only `terminalTtlMs`). A miss is fine — the stream falls back to the database —
 * so the cache can evict freely. No timers: expiry is checked on read, and `max` bounds memory.
 */
export class StatusCache {
  readonly max: number;
  private readonly lru: LRUCache<string, RunStatusEntry>;
  private readonly terminalTtl: number;

  constructor(opts: StatusCacheOptions = {}) {
    this.max = opts.max ?? 10_000;
    this.terminalTtl = opts.terminalTtlMs ?? 60_000;
    this.lru = new LRUCache<string, RunStatusEntry>({
      max: this.max,
      ttl: opts.ttlMs ?? 3_600_000,
      ...(opts.now ? { perf: { now: opts.now }, ttlResolution: 0 } : {}),
    });
  }

  /** Records a status; a terminal one shortens the entry's life. */
  set(entry: RunStatusEntry): void {
    this.lru.set(entry.runId, entry, TERMINAL.has(entry.status) ? { ttl: this.terminalTtl } : {});
  }

  /** The latest status of a run of `orgId`, if still cached (another org's run is a miss). */
  get(orgId: string, runId: string): RunStatusEntry | undefined {
    const e = this.lru.get(runId);
    return e && e.orgId === orgId ? e : undefined;
  }

  /** Entries held (stale ones count until touched or pushed out; never more than `max`). */
  get size(): number {
    return this.lru.size;
  }

  clear(): void {
    this.lru.clear();
  }
}
