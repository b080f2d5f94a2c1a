import { z } from 'zod';
import { compartmentId, displayName, limit, listInput, ocid, offset } from './common.ts';
import { defineTool, type ToolDefinition } from './types.ts';

const policyId = ocid('policy');

/** A statement granting `manage all-resources` at tenancy level: the over-broad grant the advisor flags. */
export const BROAD_STATEMENT = /\bto\s+manage\s+all-resources\s+in\s+tenancy\b/i;

/** Identity tools: compartments, users, groups and policies with their statements. */
export const identityTools: readonly ToolDefinition[] = [
  defineTool({
    name: 'list_compartments',
    description: 'List the compartments of the tenancy.',
    category: 'identity',
    risk: 'read',
    changes: '',
    input: z.strictObject({ limit, offset }),
    execute: (ctx, a) => ctx.cloud.listCompartments(a),
  }),
  defineTool({
    name: 'list_users',
    description: 'List IAM users, with whether MFA is activated.',
    category: 'identity',
    risk: 'read',
    changes: '',
    input: z.strictObject({ limit, offset }),
    execute: (ctx, a) => ctx.cloud.listUsers(a),
  }),
  defineTool({
    name: 'list_groups',
    description: 'List IAM groups.',
    category: 'identity',
    risk: 'read',
    changes: '',
    input: z.strictObject({ limit, offset }),
    execute: (ctx, a) => ctx.cloud.listGroups(a),
  }),
  defineTool({
    name: 'list_policies',
    description: 'List IAM policies with their statements.',
    category: 'identity',
    risk: 'read',
    changes: '',
    input: listInput,
    execute: (ctx, a) => ctx.cloud.listPolicies(a),
  }),
  defineTool({
    name: 'get_policy',
    description: 'Get one IAM policy and its statements.',
    category: 'identity',
    risk: 'read',
    changes: '',
    input: z.strictObject({ policyId }),
    execute: (ctx, a) => ctx.cloud.getPolicy(a.policyId),
  }),
  defineTool({
    name: 'find_broad_policies',
    description: 'Find policy statements that grant `manage all-resources in tenancy`.',
    category: 'identity',
    risk: 'read',
    changes: '',
    input: z.strictObject({}),
    execute: async (ctx) => {
      const all = await ctx.cloud.listPolicies({ limit: 500 });
      const items = all.items.flatMap((p) =>
        p.statements.filter((s) => BROAD_STATEMENT.test(s)).map((statement) => ({ policyId: p.id, policy: p.name, statement })),
      );
      return { items, count: items.length };
    },
  }),
  defineTool({
    name: 'create_policy',
    description: 'Create an IAM policy from statements.',
    category: 'identity',
    risk: 'high',
    changes: 'Grants the permissions in the statements to the groups they name.',
    input: z.strictObject({
      name: displayName('policy'),
      description: z.string().min(1).max(400).describe('What the policy is for'),
      statements: z
        .array(z.string().min(10).max(2000))
        .min(1)
        .max(50)
        .describe('Policy statements, e.g. "allow group Ops to read instances in compartment prod"'),
      compartmentId,
    }),
    execute: (ctx, a) => ctx.cloud.createPolicy(a),
  }),
  defineTool({
    name: 'delete_policy',
    description: 'Delete an IAM policy.',
    category: 'identity',
    risk: 'critical',
    changes: 'Revokes every permission the policy grants, immediately.',
    input: z.strictObject({ policyId }),
    execute: (ctx, a) => ctx.cloud.deletePolicy(a.policyId),
  }),
];
