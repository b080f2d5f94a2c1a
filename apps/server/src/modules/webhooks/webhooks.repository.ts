import { sql, type Insertable, type Selectable } from 'kysely';
import type { Executor } from '../../db/tenant.ts';
import { toPage } from '../../db/database.ts';
import type { WebhookDeliveriesTable, WebhookSubscriptionsTable } from './webhooks.tables.ts';

export type SubscriptionRow = Selectable<WebhookSubscriptionsTable>;
export type DeliveryRow = Selectable<WebhookDeliveriesTable>;

/** Auto-pause after this many consecutive failed attempts. */
export const PAUSE_AFTER_FAILURES = 10;
/** Subscriptions one event fans out to at most (per org). */
export const FANOUT_MAX = 500;

export async function insertSubscription(ex: Executor, row: Insertable<WebhookSubscriptionsTable>): Promise<SubscriptionRow> {
  return ex.insertInto('webhook_subscriptions').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function findSubscription(ex: Executor, orgId: string, id: string): Promise<SubscriptionRow | undefined> {
  return ex.selectFrom('webhook_subscriptions').selectAll().where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst();
}

/** A page of an org's subscriptions with the total from the same query. */
export async function listSubscriptions(
  ex: Executor,
  orgId: string,
  page: { limit: number; offset: number },
): Promise<{ items: SubscriptionRow[]; total: number }> {
  const rows = await ex
    .selectFrom('webhook_subscriptions')
    .selectAll()
    .select(sql<string>`count(*) over()`.as('total'))
    .where('org_id', '=', orgId)
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
  return toPage(rows);
}

/** Active subscriptions of an org that want `eventType` (bounded). */
export async function subscribersOf(ex: Executor, orgId: string, eventType: string): Promise<SubscriptionRow[]> {
  return ex
    .selectFrom('webhook_subscriptions')
    .selectAll()
    .where('org_id', '=', orgId)
    .where('status', '=', 'active')
    .where(sql<boolean>`${eventType} = any(event_types)`)
    .orderBy('id')
    .limit(FANOUT_MAX)
    .execute();
}

export async function updateSubscription(
  ex: Executor,
  orgId: string,
  id: string,
  patch: Partial<
    Pick<SubscriptionRow, 'url' | 'description' | 'event_types' | 'status' | 'paused_reason' | 'secret_sealed' | 'consecutive_failures'>
  >,
): Promise<SubscriptionRow | undefined> {
  return ex
    .updateTable('webhook_subscriptions')
    .set({ ...patch, updated_at: sql<Date>`now()` })
    .where('org_id', '=', orgId)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
}

export async function deleteSubscription(ex: Executor, orgId: string, id: string): Promise<boolean> {
  const r = await ex.deleteFrom('webhook_subscriptions').where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

/**
 * Records one attempt and updates the subscription's failure streak in ONE statement (a CTE):
 * success resets it; the 10th consecutive failure pauses the subscription.
 */
export async function recordAttempt(
  ex: Executor,
  row: Omit<Insertable<WebhookDeliveriesTable>, 'attempt'>,
): Promise<{ paused: boolean; attempt: number }> {
  const ok = row.status === 'succeeded';
  const r = await sql<{ status: string; attempt: number }>`
    with attempt as (
      insert into webhook_deliveries (org_id, subscription_id, event_id, event_type, attempt, status, response_status, error, duration_ms, body)
      select ${row.org_id}, ${row.subscription_id}::uuid, ${row.event_id}, ${row.event_type},
             (select count(*)::int + 1 from webhook_deliveries d where d.org_id = ${row.org_id} and d.subscription_id = ${row.subscription_id}::uuid and d.event_id = ${row.event_id}),
             ${row.status}, ${row.response_status ?? null}::int, ${row.error ?? null}::text, ${row.duration_ms}::int, ${row.body}
      returning subscription_id, attempt
    )
    update webhook_subscriptions s
       set consecutive_failures = case when ${ok} then 0 else s.consecutive_failures + 1 end,
           status = case when not ${ok} and s.consecutive_failures + 1 >= ${PAUSE_AFTER_FAILURES} then 'paused' else s.status end,
           paused_reason = case when not ${ok} and s.consecutive_failures + 1 >= ${PAUSE_AFTER_FAILURES}
                                then ${`paused after ${PAUSE_AFTER_FAILURES} consecutive failed deliveries`} else s.paused_reason end,
           updated_at = now()
      from attempt
     where s.id = attempt.subscription_id and s.org_id = ${row.org_id}
    returning s.status, attempt.attempt`.execute(ex);
  return { paused: r.rows[0]?.status === 'paused', attempt: r.rows[0]?.attempt ?? 1 };
}

/** A page of a subscription's delivery attempts, newest first, with the total. */
export async function listDeliveries(
  ex: Executor,
  orgId: string,
  subscriptionId: string,
  page: { limit: number; offset: number },
): Promise<{ items: DeliveryRow[]; total: number }> {
  const rows = await ex
    .selectFrom('webhook_deliveries')
    .selectAll()
    .select(sql<string>`count(*) over()`.as('total'))
    .where('org_id', '=', orgId)
    .where('subscription_id', '=', subscriptionId)
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
  return toPage(rows);
}

export async function findDelivery(ex: Executor, orgId: string, id: string): Promise<DeliveryRow | undefined> {
  return ex.selectFrom('webhook_deliveries').selectAll().where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst();
}

/** One page (keyset by id) of every subscription's id and sealed secret, for key rotation. */
export async function secretsPage(
  ex: Executor,
  after: string | null,
  limit: number,
): Promise<Array<{ id: string; org_id: string; secret_sealed: string }>> {
  let q = ex.selectFrom('webhook_subscriptions').select(['id', 'org_id', 'secret_sealed']).orderBy('id').limit(limit);
  if (after) q = q.where('id', '>', after);
  return q.execute();
}

/** Writes re-sealed secrets: ONE `UPDATE … FROM (VALUES …)` for the whole batch. */
export async function writeSecrets(ex: Executor, rows: ReadonlyArray<{ id: string; secret_sealed: string }>): Promise<number> {
  if (rows.length === 0) return 0;
  const values = sql.join(rows.map((r) => sql`(${r.id}::uuid, ${r.secret_sealed}::text)`));
  const r = await sql`update webhook_subscriptions as s set secret_sealed = v.secret, updated_at = now()
    from (values ${values}) as v(id, secret) where s.id = v.id`.execute(ex);
  return Number(r.numAffectedRows ?? 0n);
}
