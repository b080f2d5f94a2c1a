import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { enableTenantRls } from '../../db/migrations/_tenant.ts';
import { withTenant } from '../../db/tenant.ts';
import { BadRequest, ExtensionMissing } from '../../errors.ts';
import './search.tables.ts';

/** Rows per upsert statement: ⌈n/500⌉ statements for n vectors. */
export const UPSERT_BATCH = 500;
/** Ids per delete statement. */
export const DELETE_BATCH = 1000;

/** One stored chunk: its vector, its text and its metadata (filter keys: orgId, kind, source…). */
export interface VectorItem {
  id: string;
  vector: readonly number[];
  content: string;
  metadata: Record<string, unknown> & { kind: string };
}

export interface VectorHit {
  id: string;
  score: number;
  content: string;
  metadata: Record<string, unknown>;
}

const NAME = /^[a-z][a-z0-9_]{0,40}$/;
/** Metadata keys a filter may name. */
const KEY = /^[a-zA-Z_][a-zA-Z0-9_]{0,40}$/;

function tableOf(index: string): string {
  if (!NAME.test(index)) throw new BadRequest(`index: "${index}" is not a valid index name`);
  return `vec_${index}`;
}

const literal = (v: readonly number[]): string => `[${v.join(',')}]`;

/**
 * pgvector-backed vector store: one table per index (`vec_<name>`, the dimension fixed at
 * creation), HNSW cosine index, expression indexes on the metadata keys filtered on, and RLS on
 * `org_id`. Writes are batched — upsert ⌈n/500⌉ statements (duplicate ids in one call: the last
 * wins), delete ⌈n/1000⌉ — and every call runs in the org's tenant transaction.
 */
export function createVectorStore(deps: {
  db: () => Kysely<DB>;
  vectorAvailable: () => boolean;
  /** HNSW candidate list size per query (`hnsw.ef_search`); at least the limit. Default 100. */
  efSearch?: number;
}) {
  const known = new Map<string, number>();
  const ef = deps.efSearch ?? 100;

  const require = (): void => {
    if (!deps.vectorAvailable()) throw new ExtensionMissing('vector', 'pgvector');
  };

  async function ensureIndex(index: string, dimension: number, embedder: string): Promise<void> {
    require();
    const table = tableOf(index);
    if (known.get(index) === dimension) return;
    if (!Number.isInteger(dimension) || dimension < 1 || dimension > 4000)
      throw new BadRequest('dimension: must be an integer from 1 to 4000');
    await deps
      .db()
      .transaction()
      .execute(async (tx) => {
        // Replicas creating the same index at once are serialised; the loser finds it in place.
        await sql`select pg_advisory_xact_lock(hashtext(${`cloudnow:vec:${index}`}))`.execute(tx);
        const existing = await tx.selectFrom('vector_indexes').select(['dimension']).where('name', '=', index).executeTakeFirst();
        if (existing && existing.dimension !== dimension) {
          throw new BadRequest(`dimension: index ${index} has dimension ${existing.dimension}, not ${dimension}`);
        }
        if (!existing) {
          const t = sql.table(table);
          await sql`create table if not exists ${t} (
            org_id text not null references orgs(id) on delete cascade,
            id text not null,
            embedding vector(${sql.lit(dimension)}) not null,
            content text not null,
            metadata jsonb not null default '{}'::jsonb,
            updated_at timestamptz not null default now(),
            primary key (org_id, id))`.execute(tx);
          await sql`create index if not exists ${sql.id(`${table}_hnsw`)} on ${t} using hnsw (embedding vector_cosine_ops)`.execute(tx);
          await sql`create index if not exists ${sql.id(`${table}_meta_org`)} on ${t} ((metadata->>'orgId'))`.execute(tx);
          await sql`create index if not exists ${sql.id(`${table}_meta_kind`)} on ${t} (org_id, (metadata->>'kind'))`.execute(tx);
          await enableTenantRls(tx as unknown as Kysely<any>, table);
          await tx.insertInto('vector_indexes').values({ name: index, dimension, embedder }).execute();
        }
        // Re-indexing a source deletes by it; also added to tables created before this index existed.
        await sql`create index if not exists ${sql.id(`${table}_meta_source`)} on ${sql.table(table)} (org_id, (metadata->>'source'))`.execute(
          tx,
        );
      });
    known.set(index, dimension);
  }

  async function upsertIn(tx: Transaction<DB>, orgId: string, index: string, items: readonly VectorItem[]): Promise<number> {
    const table = sql.table(tableOf(index));
    const last = new Map<string, VectorItem>();
    for (const item of items) last.set(item.id, item);
    const rows = [...last.values()];
    for (let i = 0; i < rows.length; i += UPSERT_BATCH) {
      const values = sql.join(
        rows
          .slice(i, i + UPSERT_BATCH)
          .map(
            (r) =>
              sql`(${orgId}, ${r.id}, ${literal(r.vector)}::vector, ${r.content}, ${JSON.stringify({ ...r.metadata, orgId })}::jsonb, now())`,
          ),
      );
      await sql`insert into ${table} (org_id, id, embedding, content, metadata, updated_at) values ${values}
        on conflict (org_id, id) do update set embedding = excluded.embedding, content = excluded.content,
          metadata = excluded.metadata, updated_at = excluded.updated_at`.execute(tx);
    }
    return rows.length;
  }

  return {
    ensureIndex,

    /**
     * Refreshes the planner statistics of every vector table. Without them the planner prefers the
     * org btree and an exact scan over HNSW; PGlite has no autovacuum to collect them.
     */
    async analyze(): Promise<number> {
      if (!deps.vectorAvailable()) return 0;
      const indexes = await deps.db().selectFrom('vector_indexes').select('name').orderBy('name').limit(100).execute();
      for (const { name } of indexes) await sql`analyze ${sql.table(tableOf(name))}`.execute(deps.db());
      return indexes.length;
    },

    /** Inserts or replaces vectors; returns how many distinct ids were written. */
    upsert(orgId: string, index: string, items: readonly VectorItem[], tx?: Transaction<DB>): Promise<number> {
      require();
      if (items.length === 0) return Promise.resolve(0);
      return tx ? upsertIn(tx, orgId, index, items) : withTenant(deps.db(), orgId, (t) => upsertIn(t, orgId, index, items));
    },

    /** Deletes vectors by id, 1000 ids per statement. */
    async delete(orgId: string, index: string, ids: readonly string[]): Promise<number> {
      require();
      const table = sql.table(tableOf(index));
      return withTenant(deps.db(), orgId, async (tx) => {
        let n = 0;
        for (let i = 0; i < ids.length; i += DELETE_BATCH) {
          const r =
            await sql`delete from ${table} where org_id = ${orgId} and id = any(${[...ids.slice(i, i + DELETE_BATCH)]}::text[])`.execute(
              tx,
            );
          n += Number(r.numAffectedRows ?? 0n);
        }
        return n;
      });
    },

    /**
     * Deletes every vector whose metadata `source` matches (re-ingestion of a source), or — with
     * `within` — only those of it whose metadata `within.key` is one of `within.values` (some
     * messages of a thread). One statement either way.
     */
    async deleteBySource(
      orgId: string,
      index: string,
      source: string,
      tx: Transaction<DB>,
      within?: { key: string; values: readonly string[] },
    ): Promise<void> {
      require();
      if (within && !KEY.test(within.key)) throw new BadRequest(`filters: "${within.key}" is not a valid metadata key`);
      const narrow = within ? sql`and metadata->>${within.key} = any(${[...within.values]}::text[])` : sql``;
      await sql`delete from ${sql.table(tableOf(index))} where org_id = ${orgId} and metadata->>'source' = ${source} ${narrow}`.execute(tx);
    },

    /**
     * The `limit` nearest chunks to `vector` (cosine) of the org, optionally of some kinds, with
     * metadata equal to `where`, and — `ownedBy` — chunks of kinds in `ownedBy.kinds` only when
     * their metadata `userId` is the given user. exact=true scans without the index (the recall
     * baseline). The HNSW scan is iterative (pgvector ≥ 0.8), so filters still fill the limit.
     */
    async query(
      orgId: string,
      index: string,
      vector: readonly number[],
      opts: {
        limit: number;
        kinds?: readonly string[];
        exact?: boolean;
        where?: Readonly<Record<string, string>>;
        ownedBy?: { userId: string; kinds: readonly string[] };
      },
    ): Promise<VectorHit[]> {
      require();
      const table = sql.table(tableOf(index));
      const q = literal(vector);
      const filters = [sql`metadata->>'orgId' = ${orgId}`];
      if (opts.kinds?.length) filters.push(sql`metadata->>'kind' = any(${[...opts.kinds]}::text[])`);
      for (const [key, value] of Object.entries(opts.where ?? {})) {
        if (!KEY.test(key)) throw new BadRequest(`filters: "${key}" is not a valid metadata key`);
        filters.push(sql`metadata->>${key} = ${value}`);
      }
      if (opts.ownedBy)
        filters.push(
          sql`(not (metadata->>'kind' = any(${[...opts.ownedBy.kinds]}::text[])) or metadata->>'userId' = ${opts.ownedBy.userId})`,
        );
      return withTenant(deps.db(), orgId, async (tx) => {
        if (opts.exact) await sql`select set_config('enable_indexscan', 'off', true)`.execute(tx);
        else
          await sql`select set_config('hnsw.ef_search', ${String(Math.max(ef, opts.limit))}, true), set_config('hnsw.iterative_scan', 'relaxed_order', true)`.execute(
            tx,
          );
        // relaxed_order may return neighbours slightly out of order: the outer query re-sorts.
        const r = await sql<{ id: string; score: number; content: string; metadata: Record<string, unknown> }>`
          with hits as materialized (
            select id, embedding <=> ${q}::vector as distance, content, metadata from ${table}
             where ${sql.join(filters, sql` and `)}
             order by embedding <=> ${q}::vector limit ${opts.limit})
          select id, 1 - distance as score, content, metadata from hits order by distance, id`.execute(tx);
        return r.rows.map((row) => ({ ...row, score: Number(row.score) }));
      });
    },
  };
}

export type VectorStore = ReturnType<typeof createVectorStore>;
