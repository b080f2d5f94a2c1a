import { sql } from 'kysely';
import type { Executor } from '../../db/tenant.ts';
import { json } from '../../db/schema.ts';
import type { ToolPolicy } from './tools.policy.ts';

/** An org's stored policy, or undefined when it never saved one. */
export async function findPolicy(
  db: Executor,
  orgId: string,
): Promise<(ToolPolicy & { updatedAt: Date; updatedBy: string | null }) | undefined> {
  const row = await db
    .selectFrom('tool_policies')
    .select(['include', 'exclude', 'rules', 'updated_at', 'updated_by'])
    .where('org_id', '=', orgId)
    .executeTakeFirst();
  return row && { include: row.include, exclude: row.exclude, rules: row.rules, updatedAt: row.updated_at, updatedBy: row.updated_by };
}

/** Saves an org's whole policy in one upsert. */
export async function upsertPolicy(db: Executor, orgId: string, policy: ToolPolicy, userId: string): Promise<void> {
  const values = { include: json(policy.include), exclude: json(policy.exclude), rules: json(policy.rules), updated_by: userId };
  await db
    .insertInto('tool_policies')
    .values({ org_id: orgId, ...values })
    .onConflict((oc) => oc.column('org_id').doUpdateSet({ ...values, updated_at: sql<Date>`now()` } as never))
    .execute();
}
