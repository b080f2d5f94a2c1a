import type { Insertable } from 'kysely';
import type { FastifyBaseLogger } from 'fastify';
import type { ToolExecutionsTable } from './audit.tables.ts';

/** A row as the gate hands it over; `created_at` is stamped when it is pushed, not when flushed. */
export type AuditRow = Insertable<ToolExecutionsTable> & { created_at: Date };

/** Writes one batch as ONE multi-row INSERT. */
export type AuditWriter = (rows: AuditRow[]) => Promise<void>;

export interface AuditBufferOptions {
  write: AuditWriter;
  log: FastifyBaseLogger;
  /** Flush as soon as this many rows wait (default 100). */
  batchSize?: number;
  /** Flush at least this often while rows wait (default 1000 ms). */
  intervalMs?: number;
  /** Most rows one INSERT carries (default 500). */
  maxBatch?: number;
  /** Bound on waiting rows; past it `push` waits for a flush (backpressure, nothing dropped). Default 10 000. */
  capacity?: number;
}

/**
 * Bounded, batched audit writes: rows wait in memory and go out as one multi-row INSERT once 100
 * wait or 1 s has passed. Flushes are serialised (one in flight). `close()` flushes everything
 * (the plugin calls it in onClose, so a SIGTERM drain loses nothing). A failed batch is put back
 * once and retried at the next flush; a batch failing twice is logged with its size and dropped.
 */
export interface AuditBuffer {
  push(row: AuditRow): Promise<void>;
  /** Writes everything waiting now. */
  flush(): Promise<void>;
  readonly size: number;
  close(): Promise<void>;
}

export function createAuditBuffer(opts: AuditBufferOptions): AuditBuffer {
  const batchSize = opts.batchSize ?? 100;
  const intervalMs = opts.intervalMs ?? 1000;
  const maxBatch = opts.maxBatch ?? 500;
  const capacity = opts.capacity ?? 10_000;
  let rows: AuditRow[] = [];
  const retried = new WeakSet<AuditRow>();
  let timer: NodeJS.Timeout | null = null;
  let flushing: Promise<void> | null = null;
  let closed = false;

  const schedule = (): void => {
    if (timer || closed) return;
    timer = setTimeout(() => {
      timer = null;
      void flush();
    }, intervalMs);
    timer.unref();
  };

  // Writes batches while at least `min` rows wait: a full batch (100) normally, everything when
  // the interval elapsed or the buffer closes, so a steady trickle never turns into tiny INSERTs.
  async function drain(min: number): Promise<void> {
    while (rows.length >= min && rows.length > 0) {
      const batch = rows.slice(0, maxBatch);
      rows = rows.slice(batch.length);
      try {
        await opts.write(batch);
      } catch (err) {
        const again = batch.filter((r) => !retried.has(r));
        for (const r of again) retried.add(r);
        opts.log.error({ err, rows: batch.length, requeued: again.length }, 'audit: batch insert failed');
        if (again.length) rows = [...again, ...rows].slice(0, capacity);
        return;
      }
    }
  }

  function run(min: number): Promise<void> {
    if (flushing) return flushing.then(() => run(min));
    if (rows.length === 0 || rows.length < min) return Promise.resolve();
    if (timer) {
      clearTimeout(timer);
      timer = null;
    }
    flushing = drain(min).finally(() => {
      flushing = null;
      if (rows.length) schedule();
    });
    return flushing;
  }

  const flush = (): Promise<void> => run(1);

  return {
    async push(row) {
      rows.push(row);
      if (rows.length >= capacity) await flush();
      else if (rows.length >= batchSize && !flushing) void run(batchSize);
      else schedule();
    },
    flush,
    get size() {
      return rows.length;
    },
    async close() {
      closed = true;
      if (timer) clearTimeout(timer);
      timer = null;
      await flush();
    },
  };
}
