import { randomUUID } from 'node:crypto';
import type { Kysely, RawBuilder, Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { json } from '../../db/schema.ts';
import { withTenant } from '../../db/tenant.ts';
import { CloudConflict, CloudResourceNotFound } from '../errors.ts';
import { clampLimit, type ListOptions, type Page } from '../types.ts';
import { ocid } from './ids.ts';
import { patch as jsonb, sandboxRepository as repo, type MatchBy, type ResourceRow, type RowFilter } from './sandbox.repository.ts';
import { availabilityDomains, generateTenancy, ocidType, tenancyId } from './seed.ts';
import type { SandboxKind } from './sandbox.tables.ts';

/** How long simulated transitions take (ms): STOPPING → STOPPED etc. */
export const TRANSITION_MS = {
  instanceStop: 30_000,
  instanceStart: 45_000,
  instanceReboot: 60_000,
  instanceLaunch: 60_000,
  instanceTerminate: 60_000,
  adb: 60_000,
  backup: 120_000,
  volume: 20_000,
  network: 10_000,
} as const;

/** A guarded state change: allowed current states, the new state, a timed follow-up, a data patch. */
export interface TransitionSpec {
  from: readonly string[] | null;
  state?: string;
  then?: { state: string; afterMs: number };
  /** Merged into `data` (`data || patch`); a raw SQL expression may read the old row. */
  patch?: Record<string, unknown> | RawBuilder<unknown>;
  name?: string;
  by?: MatchBy;
  requireNull?: string;
}

/** A resource to create; `then` schedules its first transition (PROVISIONING → AVAILABLE). */
export interface NewResource {
  kind: SandboxKind;
  name: string;
  state: string;
  compartmentId: string | null;
  data: Record<string, unknown>;
  then?: { state: string; afterMs: number };
}

function isRaw(v: unknown): v is RawBuilder<unknown> {
  return typeof v === 'object' && v !== null && typeof (v as RawBuilder<unknown>).toOperationNode === 'function';
}

/**
 * What every sandbox operation uses: the org, the clock and `run`, which opens ONE tenant
 * transaction (`withTenant`) and seeds the tenancy on first use (one batched INSERT).
 */
export class SandboxContext {
  readonly orgId: string;
  readonly now: () => Date;
  private readonly db: Kysely<DB>;
  private seeded = false;

  constructor(db: Kysely<DB>, orgId: string, now: () => Date) {
    this.db = db;
    this.orgId = orgId;
    this.now = now;
  }

  /** Runs `fn` in the org's tenant transaction, seeding the tenancy first when it has none. */
  async run<T>(fn: (tx: Transaction<DB>, now: Date) => Promise<T>): Promise<T> {
    const now = this.now();
    const result = await withTenant(this.db, this.orgId, async (tx) => {
      if (!this.seeded && !(await repo.isSeeded(tx, this.orgId))) await repo.insert(tx, generateTenancy(this.orgId));
      return fn(tx, now);
    });
    // Only after commit: a failing call rolls its seed back, and the next call seeds again.
    this.seeded = true;
    return result;
  }

  /** One list query mapped to slim items. */
  list<T>(f: RowFilter, o: ListOptions | undefined, map: (r: ResourceRow) => T): Promise<Page<T>> {
    return this.run(async (tx, now) => {
      const { rows, count } = await repo.list(
        tx,
        this.orgId,
        { ...f, compartmentId: o?.compartmentId ?? f.compartmentId },
        now,
        clampLimit(o?.limit),
        o?.offset ?? 0,
      );
      return { items: rows.map(map), count };
    });
  }

  /** One resource or CloudResourceNotFound naming it. */
  get<T>(kind: SandboxKind, id: string, label: string, map: (r: ResourceRow) => T): Promise<T> {
    return this.run(async (tx, now) => map(await this.must(tx, kind, id, label, now)));
  }

  async must(tx: Transaction<DB>, kind: SandboxKind, id: string, label: string, now: Date): Promise<ResourceRow> {
    const row = await repo.get(tx, this.orgId, kind, id, now);
    if (!row) throw new CloudResourceNotFound(label, id);
    return row;
  }

  /**
   * A state change as ONE UPDATE guarded by the allowed current states. Only when it matches no
   * row (the error path) is the resource read again, to tell "not found" from "wrong state".
   */
  transition<T>(
    kind: SandboxKind,
    id: string,
    label: string,
    t: TransitionSpec,
    map: (r: ResourceRow) => T,
    action = 'change',
  ): Promise<T> {
    return this.run((tx, now) => this.transitionIn(tx, now, kind, id, label, t, map, action));
  }

  /** `transition` inside an open transaction. */
  async transitionIn<T>(
    tx: Transaction<DB>,
    now: Date,
    kind: SandboxKind,
    id: string,
    label: string,
    t: TransitionSpec,
    map: (r: ResourceRow) => T,
    action = 'change',
  ): Promise<T> {
    const row = await repo.transition(
      tx,
      this.orgId,
      kind,
      id,
      {
        from: t.from,
        state: t.state,
        then: t.then ? { state: t.then.state, at: new Date(now.getTime() + t.then.afterMs) } : undefined,
        patch: t.patch === undefined ? undefined : isRaw(t.patch) ? t.patch : jsonb(t.patch),
        name: t.name,
        by: t.by,
        requireNull: t.requireNull,
      },
      now,
    );
    if (row) return map(row);
    if (t.by === 'attachment') throw new CloudResourceNotFound(label, id);
    const current = await this.must(tx, kind, id, label, now);
    const why = t.requireNull && current.data[t.requireNull] ? `it has a ${t.requireNull}` : `it is ${current.state}`;
    throw new CloudConflict(`Cannot ${action} ${label.toLowerCase()} ${current.name} while ${why}`);
  }

  /**
   * Inserts new resources (one statement) and returns the first as created. `rows` may be a
   * function of the open transaction, to validate against existing resources first.
   */
  create<T>(rows: NewResource[] | ((tx: Transaction<DB>, now: Date) => Promise<NewResource[]>), map: (r: ResourceRow) => T): Promise<T> {
    return this.run(async (tx, now) => {
      const list = typeof rows === 'function' ? await rows(tx, now) : rows;
      const built = list.map((r) => ({
        org_id: this.orgId,
        id: ocid(ocidType(r.kind), this.orgId, r.kind, r.name, randomUUID()),
        kind: r.kind,
        name: r.name,
        state: r.state,
        compartment_id: r.compartmentId,
        transition_to: r.then?.state ?? null,
        transition_at: r.then ? new Date(now.getTime() + r.then.afterMs) : null,
        data: { timeCreated: now.toISOString(), ...r.data },
      }));
      await repo.insert(
        tx,
        built.map((b) => ({ ...b, data: json(b.data) })),
      );
      const first = built[0]!;
      return map({
        id: first.id,
        kind: first.kind,
        compartment_id: first.compartment_id,
        name: first.name,
        state: first.state,
        data: first.data,
      });
    });
  }

  /** The tenancy (root compartment) OCID: where new resources go when no compartment is named. */
  get tenancyId(): string {
    return tenancyId(this.orgId);
  }

  /** The tenancy's availability domains. */
  get availabilityDomains(): string[] {
    return availabilityDomains(this.orgId);
  }
}
