import { z } from 'zod';
import { CloudBadRequest } from '../errors.ts';
import type { SecurityRule } from '../types.ts';
import { cidr, compartmentId, displayName, limit, listInput, ocid, offset } from './common.ts';
import { defineTool, type ToolDefinition } from './types.ts';

const vcnId = ocid('VCN');
const securityListId = ocid('security list');
const byVcn = z.strictObject({ compartmentId, vcnId: vcnId.optional(), limit, offset });
const direction = z.enum(['ingress', 'egress']).optional().describe('Rule direction (default ingress)');
const protocol = z.enum(['all', 'tcp', 'udp', 'icmp']).describe('Protocol');
const port = z.number().int().min(1).max(65535).optional().describe('Port (tcp/udp only)');

/** Ports whose exposure to the internet the advisor reports (SSH, RDP, databases). */
export const SENSITIVE_PORTS: Record<number, string> = {
  22: 'SSH',
  3389: 'RDP',
  1521: 'Oracle DB',
  1522: 'Oracle DB (TLS)',
  3306: 'MySQL',
  5432: 'PostgreSQL',
};

const matches = (r: SecurityRule, a: { protocol: string; cidr: string; port?: number }) =>
  r.protocol === a.protocol &&
  r.cidr === a.cidr &&
  (a.port === undefined || (r.portMin !== null && r.portMin <= a.port && (r.portMax ?? r.portMin) >= a.port));

/** Networking tools: VCNs, subnets, security lists and their rules, route tables, internet gateways. */
export const networkingTools: readonly ToolDefinition[] = [
  defineTool({
    name: 'list_vcns',
    description: 'List virtual cloud networks (VCNs) with their CIDR blocks.',
    category: 'networking',
    risk: 'read',
    changes: '',
    input: listInput,
    execute: (ctx, a) => ctx.cloud.listVcns(a),
  }),
  defineTool({
    name: 'get_vcn',
    description: 'Get one VCN by OCID.',
    category: 'networking',
    risk: 'read',
    changes: '',
    input: z.strictObject({ vcnId }),
    execute: (ctx, a) => ctx.cloud.getVcn(a.vcnId),
  }),
  defineTool({
    name: 'create_vcn',
    description: 'Create a VCN.',
    category: 'networking',
    risk: 'medium',
    changes: 'Creates a new virtual cloud network (no cost by itself).',
    input: z.strictObject({
      name: displayName('VCN'),
      cidrBlock: cidr('VCN'),
      compartmentId,
      dnsLabel: z
        .string()
        .regex(/^[a-z][a-z0-9]{0,14}$/, 'lowercase letters and digits, max 15')
        .optional()
        .describe('DNS label'),
    }),
    execute: (ctx, a) => ctx.cloud.createVcn(a),
  }),
  defineTool({
    name: 'delete_vcn',
    description: 'Delete a VCN that has no subnets left.',
    category: 'networking',
    risk: 'critical',
    changes: 'Permanently deletes the VCN. This cannot be undone.',
    input: z.strictObject({ vcnId }),
    execute: (ctx, a) => ctx.cloud.deleteVcn(a.vcnId),
  }),
  defineTool({
    name: 'list_subnets',
    description: 'List subnets, optionally of one VCN, with CIDR and public/private flag.',
    category: 'networking',
    risk: 'read',
    changes: '',
    input: byVcn,
    execute: (ctx, a) => ctx.cloud.listSubnets(a),
  }),
  defineTool({
    name: 'create_subnet',
    description: 'Create a regional subnet in a VCN.',
    category: 'networking',
    risk: 'medium',
    changes: 'Creates a subnet; a public subnet lets instances in it have public IPs.',
    input: z.strictObject({
      vcnId,
      name: displayName('subnet'),
      cidrBlock: cidr('subnet'),
      public: z.boolean().optional().describe('Allow public IPs (default false)'),
    }),
    execute: (ctx, a) => ctx.cloud.createSubnet({ ...a, public: a.public ?? false }),
  }),
  defineTool({
    name: 'list_security_lists',
    description: 'List security lists with their ingress and egress rules.',
    category: 'networking',
    risk: 'read',
    changes: '',
    input: byVcn,
    execute: (ctx, a) => ctx.cloud.listSecurityLists(a),
  }),
  defineTool({
    name: 'get_security_list',
    description: 'Get one security list and its rules.',
    category: 'networking',
    risk: 'read',
    changes: '',
    input: z.strictObject({ securityListId }),
    execute: (ctx, a) => ctx.cloud.getSecurityList(a.securityListId),
  }),
  defineTool({
    name: 'find_open_ingress_rules',
    description: 'Find ingress rules open to the whole internet (0.0.0.0/0), flagging SSH, RDP and database ports.',
    category: 'networking',
    risk: 'read',
    changes: '',
    input: z.strictObject({ compartmentId }),
    execute: async (ctx, a) => {
      const lists = await ctx.cloud.listSecurityLists({ compartmentId: a.compartmentId, limit: 500 });
      const items = lists.items.flatMap((l) =>
        l.ingressRules
          .filter((r) => r.cidr === '0.0.0.0/0')
          .map((r) => {
            const sensitive = Object.entries(SENSITIVE_PORTS).find(
              ([p]) => r.protocol === 'all' || (r.portMin !== null && r.portMin <= +p && (r.portMax ?? r.portMin) >= +p),
            );
            return {
              securityListId: l.id,
              securityList: l.name,
              vcnId: l.vcnId,
              ...r,
              exposes: r.protocol === 'all' ? 'all ports' : (sensitive?.[1] ?? null),
            };
          }),
      );
      return { items, count: items.length };
    },
  }),
  defineTool({
    name: 'add_security_rule',
    description: 'Add an ingress or egress rule to a security list.',
    category: 'networking',
    risk: 'high',
    changes: 'Changes which traffic may reach (or leave) every resource in the subnets using this list.',
    input: z.strictObject({
      securityListId,
      direction,
      protocol,
      cidr: cidr('source (ingress) or destination (egress)'),
      port,
      description: z.string().max(255).optional().describe('Why the rule exists'),
    }),
    execute: async (ctx, a) => {
      const dir = a.direction ?? 'ingress';
      const list = await ctx.cloud.getSecurityList(a.securityListId);
      const rule: SecurityRule = {
        direction: dir,
        protocol: a.protocol,
        cidr: a.cidr,
        portMin: a.port ?? null,
        portMax: a.port ?? null,
        description: a.description ?? null,
      };
      const rules = dir === 'ingress' ? list.ingressRules : list.egressRules;
      return ctx.cloud.updateSecurityRules(a.securityListId, dir, [...rules, rule]);
    },
  }),
  defineTool({
    name: 'remove_security_rule',
    description: 'Remove the rules of a security list that match protocol, CIDR and (optionally) port.',
    category: 'networking',
    risk: 'high',
    changes: 'Removes rules: traffic they allowed is blocked from then on.',
    input: z.strictObject({ securityListId, direction, protocol, cidr: cidr('rule'), port }),
    execute: async (ctx, a) => {
      const dir = a.direction ?? 'ingress';
      const list = await ctx.cloud.getSecurityList(a.securityListId);
      const rules = dir === 'ingress' ? list.ingressRules : list.egressRules;
      const kept = rules.filter((r) => !matches(r, a));
      if (kept.length === rules.length)
        throw new CloudBadRequest(`No ${dir} rule of ${list.name} matches ${a.protocol} ${a.cidr}${a.port ? ` port ${a.port}` : ''}`);
      const updated = await ctx.cloud.updateSecurityRules(a.securityListId, dir, kept);
      return { removed: rules.length - kept.length, securityList: updated };
    },
  }),
  defineTool({
    name: 'list_route_tables',
    description: 'List route tables and their routes.',
    category: 'networking',
    risk: 'read',
    changes: '',
    input: byVcn,
    execute: (ctx, a) => ctx.cloud.listRouteTables(a),
  }),
  defineTool({
    name: 'list_internet_gateways',
    description: 'List internet gateways.',
    category: 'networking',
    risk: 'read',
    changes: '',
    input: byVcn,
    execute: (ctx, a) => ctx.cloud.listInternetGateways(a),
  }),
];
