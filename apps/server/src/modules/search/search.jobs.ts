import type { FastifyInstance } from 'fastify';
import { withTenant } from '../../db/tenant.ts';
import { SEARCH_INGEST_QUEUE, type SearchIngestJob } from './search.contract.ts';
import type { Indexer } from './search.indexer.ts';
import { findingIdsOfRun } from './search.repository.ts';
import type { SearchService } from './search.service.ts';

const NIL = '00000000-0000-0000-0000-000000000000';

/**
 * Declares `search.ingest` and works it. Without pgvector a job completes at once (nothing can be
 * indexed, and a retry would not help). The queue is loaded into pg-boss's cache once the
 * database is ready, so producers may send to it inside their transactions (embedded: one connection).
 */
export async function startSearchWorker(
  app: Pick<FastifyInstance, 'jobs' | 'database' | 'log'>,
  indexer: Indexer,
  vectorAvailable: () => boolean,
): Promise<void> {
  await app.jobs.define(SEARCH_INGEST_QUEUE, { retryLimit: 3, retryDelay: 10, retryBackoff: true, expireInSeconds: 600 });
  await app.jobs.work(SEARCH_INGEST_QUEUE, { pollingIntervalSeconds: 1, localConcurrency: 2 }, async (job) => {
    if (!vectorAvailable()) return { skipped: 'pgvector is not installed' };
    return indexer.ingest(job.data);
  });
  app.database.onReady(async () => {
    await app.jobs.boss.getJobById(SEARCH_INGEST_QUEUE, NIL).catch(() => undefined);
  });
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
