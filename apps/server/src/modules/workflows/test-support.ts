import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { ROLE_PERMISSIONS, type Actor, type Role } from '@cloudnow/shared';
import type { DB } from '../../db/schema.ts';
import { createOrg } from '../../../test/factories.ts';
import type { CreateDefinitionInput } from './workflows.schemas.ts';

/** Test-only: an actor in a fresh org (until the identity branch's `loginAs` lands). */
export async function actorInNewOrg(db: Kysely<DB>, role: Role = 'operator'): Promise<Actor> {
  const org = await createOrg(db);
  return { userId: `user-${randomUUID()}`, orgId: org.id, role, permissions: ROLE_PERMISSIONS[role], via: 'session' };
}

/** Test-only: a linear workflow input → tool(s) → output. */
export function linearWorkflow(name: string, tools: string[] = ['list_instances']): CreateDefinitionInput {
  const nodes = [
    { id: 'start', type: 'input' },
    ...tools.map((tool, i) => ({ id: `t${i}`, type: 'tool', config: { tool, args: {} } })),
    { id: 'out', type: 'output', config: { mapping: { last: `{{steps.t${tools.length - 1}.output}}` } } },
  ];
  const ids = nodes.map((n) => n.id);
  return { name, nodes, edges: ids.slice(1).map((id, i) => ({ source: ids[i]!, target: id })) };
}
