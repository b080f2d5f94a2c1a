import type { FastifyInstance } from 'fastify';
import { withTenant } from '../../db/tenant.ts';
import { SEARCH_INGEST_QUEUE, type SearchIngestJob } from './search.contract.ts';
import type { Indexer } from './search.indexer.ts';
import { findingIdsOfRun, setDocumentIndexed } from './search.repository.ts';
import type { VectorStore } from './vector-store.ts';
import type { SearchService } from './search.service.ts';

const NIL = '00000000-0000-0000-0000-000000000000';
const INGEST_RETRIES = 3;
/** Planner statistics of the vector tables (embedded PostgreSQL has no autovacuum). */
export const SEARCH_ANALYZE_QUEUE = 'search.analyze';
export const ANALYZE_CRON = '*/15 * * * *';

declare module '../../plugins/jobs.ts' {
  interface JobMap {
    'search.analyze': Record<string, never>;
  }
}

/**
 * Declares `search.ingest` and works it. Without pgvector a job completes at once (nothing can be
 * indexed, and a retry would not help). The queue is loaded into pg-boss's cache once the
 * database is ready, so producers may send to it inside their transactions (embedded: one connection).
 */
export async function startSearchWorker(
  app: Pick<FastifyInstance, 'jobs' | 'database' | 'log' | 'db'>,
  indexer: Indexer,
  store: Pick<VectorStore, 'analyze'>,
  vectorAvailable: () => boolean,
): Promise<void> {
  await app.jobs.define(SEARCH_INGEST_QUEUE, { retryLimit: INGEST_RETRIES, retryDelay: 10, retryBackoff: true, expireInSeconds: 600 });
  await app.jobs.define(SEARCH_ANALYZE_QUEUE, { retryLimit: 1 });
  await app.jobs.work(
    SEARCH_INGEST_QUEUE,
    { pollingIntervalSeconds: 1, localConcurrency: 2 },
    ingestHandler(app, indexer, vectorAvailable),
  );
  await app.jobs.work(SEARCH_ANALYZE_QUEUE, { pollingIntervalSeconds: 30 }, async () => ({ analyzed: await store.analyze() }));
  app.database.onReady(async () => {
    await app.jobs.boss.getJobById(SEARCH_INGEST_QUEUE, NIL).catch(() => undefined);
    if (app.jobs.workersEnabled && vectorAvailable()) await app.jobs.schedule(SEARCH_ANALYZE_QUEUE, ANALYZE_CRON, {}, { tz: 'UTC' });
  });
}

/**
 * One `search.ingest` job. The last attempt of a document's job that fails marks the document
 * failed (with the reason), so it does not stay "pending" forever; the error is rethrown for pg-boss.
 */
export function ingestHandler(
  app: Pick<FastifyInstance, 'db' | 'log'>,
  indexer: Pick<Indexer, 'ingest'>,
  vectorAvailable: () => boolean,
): (job: { data: SearchIngestJob; retryCount: number }) => Promise<unknown> {
  return async (job) => {
    if (!vectorAvailable()) return { skipped: 'pgvector is not installed' };
    try {
      return await indexer.ingest(job.data);
    } catch (err) {
      if (job.data.kind === 'document' && job.retryCount >= INGEST_RETRIES) {
        const message = (err instanceof Error ? err.message : String(err)).slice(0, 500);
        await withTenant(app.db, job.data.orgId, (tx) =>
          setDocumentIndexed(tx, job.data.orgId, job.data.sourceId, { status: 'failed', chunks: 0, error: message }),
        ).catch((e: unknown) => app.log.warn({ err: e }, 'search: could not mark the document failed'));
      }
      throw err;
    }
  };
}

/**
 * Enqueues what other modules save, from the events THIS process publishes (a tap: each event is
 * seen once across replicas): a saved or deleted workflow definition, and the findings an advisor
 * run saw (one id query, then one insert of their jobs). Enqueued after the change committed.
 */
export function tapSearchSources(app: Pick<FastifyInstance, 'events' | 'db' | 'log'>, service: Pick<SearchService, 'enqueue'>): () => void {
  const enqueue = (jobs: () => Promise<SearchIngestJob[]>): void => {
    jobs()
      .then((items) => (items.length ? service.enqueue(items) : undefined))
      .catch((err: unknown) => app.log.warn({ err }, 'search: could not enqueue sources for indexing'));
  };
  return app.events.tap((name, payload) => {
    if (name === 'workflow.definition') {
      const e = payload as { orgId: string; definitionId: string };
      enqueue(async () => [{ orgId: e.orgId, kind: 'workflow', sourceId: e.definitionId }]);
    } else if (name === 'advisor.run') {
      const e = payload as { orgId: string; runId: string; status: string };
      if (e.status !== 'completed') return;
      enqueue(async () => {
        const ids = await withTenant(app.db, e.orgId, (tx) => findingIdsOfRun(tx, e.orgId, e.runId));
        return ids.map((sourceId) => ({ orgId: e.orgId, kind: 'finding' as const, sourceId }));
      });
    }
  });
}
