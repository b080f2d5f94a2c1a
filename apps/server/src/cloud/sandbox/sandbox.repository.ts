import { sql, type ExpressionBuilder, type RawBuilder } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { Executor } from '../../db/tenant.ts';
import type { SeedRow } from './seed.ts';
import type { SandboxKind } from './sandbox.tables.ts';

/** A stored resource as read, with the effective lifecycle state (a due transition applied). */
export interface ResourceRow {
  id: string;
  kind: SandboxKind;
  compartment_id: string | null;
  name: string;
  state: string;
  data: Record<string, unknown>;
}

type Eb = ExpressionBuilder<DB, 'cloud_sandbox_resources'>;

/** The lifecycle state at `now`: the pending transition's target once `transition_at` has passed. */
export function effectiveState(now: Date): RawBuilder<string> {
  return sql<string>`case when transition_at is not null and transition_at <= ${now} then transition_to else state end`;
}

/** Filters of a list; `dataEq` compares top-level jsonb fields as text. */
export interface RowFilter {
  kind: SandboxKind;
  compartmentId?: string;
  state?: string;
  dataEq?: Record<string, string>;
  /** Only rows whose jsonb field is null/absent (e.g. unattached volumes: `attachment`). */
  dataNull?: string;
  /** Only rows whose jsonb field is present and not null. */
  dataNotNull?: string;
  nameLike?: string;
  kinds?: SandboxKind[];
  /** Volumes attached to this instance. */
  attachedTo?: string;
}

/** How `transition` finds its row: by id (default), by name (buckets) or by a volume's attachment id. */
export type MatchBy = 'id' | 'name' | 'attachment';

function match(eb: Eb, by: MatchBy, value: string) {
  if (by === 'attachment') return eb(sql<string>`data->'attachment'->>'id'`, '=', value);
  return eb(by, '=', value);
}

/**
 * Sandbox resource storage. Every statement names the org (RLS holds it too); callers run inside
 * `withTenant`. Lists are one statement with their total (`count(*) over()`).
 */
export const sandboxRepository = {
  async isSeeded(tx: Executor, orgId: string): Promise<boolean> {
    const r = await tx
      .selectFrom('cloud_sandbox_resources')
      .select('id')
      .where('org_id', '=', orgId)
      .where('kind', '=', 'tenancy')
      .limit(1)
      .executeTakeFirst();
    return r !== undefined;
  },

  /** Inserts rows in ONE statement; rows that already exist (a concurrent seed) are left alone. */
  async insert(tx: Executor, rows: SeedRow[]): Promise<void> {
    if (rows.length === 0) return;
    await tx
      .insertInto('cloud_sandbox_resources')
      .values(rows)
      .onConflict((oc) => oc.columns(['org_id', 'id']).doNothing())
      .execute();
  },

  async list(
    tx: Executor,
    orgId: string,
    f: RowFilter,
    now: Date,
    limit: number,
    offset = 0,
  ): Promise<{ rows: ResourceRow[]; count: number }> {
    const rows = await tx
      .selectFrom('cloud_sandbox_resources')
      .select(['id', 'kind', 'compartment_id', 'name', 'data'])
      .select(effectiveState(now).as('state'))
      .select(sql<string>`count(*) over()`.as('total'))
      .where('org_id', '=', orgId)
      .where((eb) => where(eb, f, now))
      .orderBy('name')
      .orderBy('id')
      .limit(limit)
      .offset(offset)
      .execute();
    return { rows: rows as ResourceRow[], count: Number(rows[0]?.total ?? 0) };
  },

  async get(tx: Executor, orgId: string, kind: SandboxKind, id: string, now: Date): Promise<ResourceRow | undefined> {
    return tx
      .selectFrom('cloud_sandbox_resources')
      .select(['id', 'kind', 'compartment_id', 'name', 'data'])
      .select(effectiveState(now).as('state'))
      .where('org_id', '=', orgId)
      .where('kind', '=', kind)
      .where((eb) => match(eb, kind === 'bucket' ? 'name' : 'id', id))
      .executeTakeFirst() as Promise<ResourceRow | undefined>;
  },

  /**
   * One UPDATE: moves a resource whose effective state is in `from` to `state`, optionally with a
   * pending transition to `then` at `at`, and merges `patch` into its data. Returns the row, or
   * undefined when no row matched (missing, or in another state).
   */
  async transition(
    tx: Executor,
    orgId: string,
    kind: SandboxKind,
    id: string,
    t: {
      from: readonly string[] | null;
      state?: string;
      then?: { state: string; at: Date };
      patch?: RawBuilder<unknown>;
      name?: string;
      by?: MatchBy;
      /** The update applies only while this jsonb field is null (e.g. an unattached volume). */
      requireNull?: string;
    },
    now: Date,
  ): Promise<ResourceRow | undefined> {
    let q = tx
      .updateTable('cloud_sandbox_resources')
      .set({ updated_at: now })
      .where('org_id', '=', orgId)
      .where('kind', '=', kind)
      .where((eb) => match(eb, t.by ?? (kind === 'bucket' ? 'name' : 'id'), id));
    if (t.requireNull) q = q.where(sql<string>`data->>${t.requireNull}`, 'is', null);
    if (t.state) {
      q = q.set({ state: t.state, transition_to: t.then?.state ?? null, transition_at: t.then?.at ?? null });
    }
    if (t.patch) q = q.set({ data: sql`data || ${t.patch}` as any });
    if (t.name) q = q.set({ name: t.name });
    if (t.from) q = q.where(effectiveState(now), 'in', [...t.from]);
    const r = await q
      .returning(['id', 'kind', 'compartment_id', 'name', 'data'])
      .returning(effectiveState(now).as('state'))
      .executeTakeFirst();
    return r as ResourceRow | undefined;
  },

  async delete(tx: Executor, orgId: string, kind: SandboxKind, id: string): Promise<boolean> {
    const r = await tx
      .deleteFrom('cloud_sandbox_resources')
      .where('org_id', '=', orgId)
      .where('kind', '=', kind)
      .where(kind === 'bucket' ? 'name' : 'id', '=', id)
      .executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  },
};

function where(eb: Eb, f: RowFilter, now: Date) {
  const conds = [f.kinds ? eb('kind', 'in', f.kinds) : eb('kind', '=', f.kind)];
  if (f.compartmentId) conds.push(eb('compartment_id', '=', f.compartmentId));
  if (f.state) conds.push(eb(effectiveState(now), '=', f.state));
  for (const [k, v] of Object.entries(f.dataEq ?? {})) conds.push(eb(sql<string>`data->>${k}`, '=', v));
  if (f.dataNull) conds.push(eb(sql<string>`data->>${f.dataNull}`, 'is', null));
  if (f.dataNotNull) conds.push(eb(sql<string>`data->>${f.dataNotNull}`, 'is not', null));
  if (f.attachedTo) conds.push(eb(sql<string>`data->'attachment'->>'instanceId'`, '=', f.attachedTo));
  if (f.nameLike) conds.push(eb('name', 'ilike', `%${f.nameLike.replace(/[\\%_]/g, (c) => `\\${c}`)}%`));
  return eb.and(conds);
}

/** The jsonb patch of one update: `data || $patch`. */
export function patch(value: Record<string, unknown>): RawBuilder<unknown> {
  return sql`${JSON.stringify(value)}::jsonb`;
}
