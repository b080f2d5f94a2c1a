import type { FastifyInstance } from 'fastify';
import type { Config } from '../../config.ts';
import { createEmbedderResolver } from './embedders.ts';
import { createIndexer } from './search.indexer.ts';
import { startSearchWorker, tapSearchSources } from './search.jobs.ts';
import { searchRoutes } from './search.routes.ts';
import { createSearchService, type SearchService } from './search.service.ts';
import { createVectorStore } from './vector-store.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /**
     * Semantic search (not `app.search`: Fastify owns that name, the SEARCH method shorthand).
     * Other modules hand it sources with `app.semanticSearch.enqueue([{ orgId, kind,
     * sourceId, itemIds? }], { tx })` — inside the transaction that saved them — or send to the
     * `search.ingest` queue directly (search.contract.ts).
     */
    semanticSearch: Pick<SearchService, 'enqueue' | 'search'>;
  }
}

/**
 * Wires semantic search: the vector store (pgvector), the embedder (a configured provider's
 * embedding model, else the local one), the `search.ingest` worker, the taps that enqueue saved
 * workflows and advisor findings, and the routes. Registered after workflows and findings.
 */
export async function registerSearch(app: FastifyInstance, deps: { config: Pick<Config, 'search'> }): Promise<void> {
  const cfg = deps.config.search;
  const vectorAvailable = () => app.database.vectorAvailable;
  const store = createVectorStore({ db: () => app.db, vectorAvailable, efSearch: cfg.efSearch });
  const embedders = createEmbedderResolver({ providers: app.aiProviders });
  const embedder = () => embedders.current();
  const service = createSearchService({
    db: () => app.db,
    jobs: app.jobs,
    store,
    embedder,
    vectorAvailable,
    documentMaxBytes: cfg.documentMaxBytes,
  });
  const indexer = createIndexer({ db: () => app.db, store, embedder });
  app.decorate('semanticSearch', service);
  await startSearchWorker(app, indexer, store, vectorAvailable);
  const untap = tapSearchSources(app, service);
  app.metrics.gauge('cloudnow_search_embedders_cached', 'Provider embedders built and cached for search', () => embedders.size());
  app.addHook('onClose', async () => untap());
  await searchRoutes(app, service, { documentMaxBytes: cfg.documentMaxBytes });
}
