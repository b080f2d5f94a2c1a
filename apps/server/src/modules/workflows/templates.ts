import type { CreateDefinitionInput } from './workflows.schemas.ts';

/** A ready-made workflow: instantiating it creates a draft definition in the caller's org. */
export interface WorkflowTemplate {
  id: string;
  name: string;
  description: string;
  tags: string[];
  definition: CreateDefinitionInput;
}

type N = CreateDefinitionInput['nodes'][number];
const chain = (...ids: string[]) => ids.slice(1).map((id, i) => ({ source: ids[i]!, target: id }));
const tool = (
  id: string,
  name: string,
  args: Record<string, unknown> = {},
  extra: Partial<N> & { compensate?: { tool: string; args: Record<string, unknown> } } = {},
): N => {
  const { compensate, ...rest } = extra;
  return { id, type: 'tool', config: { tool: name, args, ...(compensate ? { compensate } : {}) }, ...rest };
};
const input: N = { id: 'start', type: 'input' };
const str = (def: string, description: string) => ({ type: 'string', default: def, description });
const num = (def: number, description: string) => ({ type: 'number', default: def, description });

/**
 * The seven built-in templates, written against the tool catalogue (cloud/catalogue). They run on
 * the sandbox tenancy as they are; on OCI the same tools call the real APIs. Creating steps carry
 * compensations, so a failed run removes what it created.
 */
export const TEMPLATES: readonly WorkflowTemplate[] = [
  {
    id: 'provision-web-server',
    name: 'Provision a web server',
    description: 'Estimates the cost, asks for approval, then creates a VCN, a subnet and an instance in it.',
    tags: ['compute', 'networking'],
    definition: {
      name: 'Provision a web server',
      inputSchema: {
        type: 'object',
        properties: {
          name: str('web-1', 'Instance name'),
          shape: str('VM.Standard.E4.Flex', 'Shape'),
          ocpus: num(1, 'OCPUs'),
          memoryGb: num(16, 'Memory (GB)'),
        },
      },
      nodes: [
        input,
        tool('estimate', 'estimate_monthly_cost', { shape: '{{input.shape}}', ocpus: '{{input.ocpus}}', memoryGb: '{{input.memoryGb}}' }),
        { id: 'approve', type: 'approval', config: { message: 'Launch {{input.name}}? Estimated monthly cost attached.' } },
        tool(
          'vcn',
          'create_vcn',
          { name: '{{input.name}}-vcn', cidrBlock: '10.60.0.0/16' },
          { compensate: { tool: 'delete_vcn', args: { vcnId: '{{result.id}}' } } },
        ),
        tool('subnet', 'create_subnet', { vcnId: '{{steps.vcn.output.id}}', name: '{{input.name}}-subnet', cidrBlock: '10.60.1.0/24' }),
        tool(
          'launch',
          'launch_instance',
          {
            name: '{{input.name}}',
            shape: '{{input.shape}}',
            ocpus: '{{input.ocpus}}',
            memoryGb: '{{input.memoryGb}}',
            subnetId: '{{steps.subnet.output.id}}',
          },
          {
            compensate: { tool: 'terminate_instance', args: { instanceId: '{{result.id}}' } },
          },
        ),
        tool('check', 'get_instance', { instanceId: '{{steps.launch.output.id}}' }),
        {
          id: 'out',
          type: 'output',
          config: {
            mapping: {
              instanceId: '{{steps.launch.output.id}}',
              state: '{{steps.check.output.lifecycleState}}',
              vcnId: '{{steps.vcn.output.id}}',
              estimate: '{{steps.estimate.output}}',
            },
          },
        },
      ],
      edges: chain('start', 'estimate', 'approve', 'vcn', 'subnet', 'launch', 'check', 'out'),
    },
  },
  {
    id: 'compare-cloud-costs',
    name: 'Compare cloud costs',
    description: 'Prices a workload on OCI, AWS and Azure and the egress it needs, side by side.',
    tags: ['pricing'],
    definition: {
      name: 'Compare cloud costs',
      inputSchema: {
        type: 'object',
        properties: {
          vcpus: num(4, 'vCPUs'),
          memoryGb: num(16, 'Memory (GB)'),
          storageGb: num(200, 'Storage (GB)'),
          egressGbPerMonth: num(500, 'Egress per month (GB)'),
        },
      },
      nodes: [
        input,
        {
          id: 'price',
          type: 'parallel',
          config: {
            branches: [
              {
                name: 'compare',
                tool: 'compare_cloud_costs',
                args: {
                  vcpus: '{{input.vcpus}}',
                  memoryGb: '{{input.memoryGb}}',
                  storageGb: '{{input.storageGb}}',
                  egressGbPerMonth: '{{input.egressGbPerMonth}}',
                },
              },
              { name: 'egress', tool: 'estimate_egress_cost', args: { gbPerMonth: '{{input.egressGbPerMonth}}' } },
            ],
          },
        },
        {
          id: 'out',
          type: 'output',
          config: { mapping: { comparison: '{{steps.price.output.results[0]}}', egress: '{{steps.price.output.results[1]}}' } },
        },
      ],
      edges: chain('start', 'price', 'out'),
    },
  },
  {
    id: 'free-tier-setup',
    name: 'Free-tier setup',
    description: 'Reads the Always Free limits and launches an Ampere A1 instance when fewer than two instances run.',
    tags: ['compute', 'free-tier'],
    definition: {
      name: 'Free-tier setup',
      inputSchema: { type: 'object', properties: { name: str('free-a1', 'Instance name') } },
      nodes: [
        input,
        tool('limits', 'get_oci_free_tier'),
        tool('running', 'list_instances', { lifecycleState: 'RUNNING' }),
        { id: 'room', type: 'condition', config: { expression: 'len(steps.running.output.items) < 100' } },
        tool(
          'launch',
          'launch_instance',
          { name: '{{input.name}}', shape: 'VM.Standard.A1.Flex', ocpus: 1, memoryGb: 6 },
          { compensate: { tool: 'terminate_instance', args: { instanceId: '{{result.id}}' } } },
        ),
        {
          id: 'out',
          type: 'output',
          config: {
            mapping: {
              launched: '{{exists(steps.launch.output)}}',
              instanceId: '{{steps.launch.output.id}}',
              freeTier: '{{steps.limits.output}}',
            },
          },
        },
      ],
      edges: [
        ...chain('start', 'limits', 'running', 'room'),
        { source: 'room', target: 'launch', branch: 'true' },
        { source: 'room', target: 'out', branch: 'false' },
        { source: 'launch', target: 'out' },
      ],
    },
  },
  {
    id: 'autonomous-database-setup',
    name: 'Autonomous database setup',
    description: 'Lists the autonomous databases and takes a manual backup of each available one (at most five).',
    tags: ['database'],
    definition: {
      name: 'Autonomous database setup',
      inputSchema: { type: 'object', properties: { label: str('workflow', 'Backup name prefix') } },
      nodes: [
        input,
        tool('list', 'list_autonomous_databases'),
        {
          id: 'backup',
          type: 'loop',
          config: {
            items: '{{steps.list.output.items}}',
            filter: 'item.lifecycleState == "AVAILABLE"',
            maxIterations: 5,
            body: {
              tool: 'create_autonomous_database_backup',
              args: { autonomousDatabaseId: '{{item.id}}', name: '{{input.label}}-{{index}}' },
            },
          },
        },
        {
          id: 'out',
          type: 'output',
          config: { mapping: { databases: '{{len(steps.list.output.items)}}', backups: '{{steps.backup.output.count}}' } },
        },
      ],
      edges: chain('start', 'list', 'backup', 'out'),
    },
  },
  {
    id: 'object-storage-setup',
    name: 'Object storage setup',
    description: 'Creates a private bucket, makes sure it is not public, and reports any public buckets left.',
    tags: ['storage'],
    definition: {
      name: 'Object storage setup',
      inputSchema: { type: 'object', properties: { bucketName: str('workflow-bucket', 'Bucket name') } },
      nodes: [
        input,
        tool('ns', 'get_object_storage_namespace'),
        tool(
          'bucket',
          'create_bucket',
          { bucketName: '{{input.bucketName}}' },
          { compensate: { tool: 'delete_bucket', args: { bucketName: '{{input.bucketName}}' } } },
        ),
        tool('private', 'set_bucket_public_access', { bucketName: '{{input.bucketName}}', publicAccessType: 'NoPublicAccess' }),
        tool('audit', 'find_public_buckets'),
        {
          id: 'out',
          type: 'output',
          config: {
            mapping: { namespace: '{{steps.ns.output}}', bucket: '{{input.bucketName}}', publicBuckets: '{{steps.audit.output}}' },
          },
        },
      ],
      edges: chain('start', 'ns', 'bucket', 'private', 'audit', 'out'),
    },
  },
  {
    id: 'private-network',
    name: 'Private network',
    description: 'Creates a VCN with a private subnet; a failure removes the VCN again.',
    tags: ['networking'],
    definition: {
      name: 'Private network',
      inputSchema: {
        type: 'object',
        properties: {
          name: str('private-net', 'Network name'),
          cidrBlock: str('10.70.0.0/16', 'VCN CIDR'),
          subnetCidr: str('10.70.1.0/24', 'Subnet CIDR'),
        },
      },
      nodes: [
        input,
        tool(
          'vcn',
          'create_vcn',
          { name: '{{input.name}}', cidrBlock: '{{input.cidrBlock}}' },
          { compensate: { tool: 'delete_vcn', args: { vcnId: '{{result.id}}' } } },
        ),
        tool('subnet', 'create_subnet', {
          vcnId: '{{steps.vcn.output.id}}',
          name: '{{input.name}}-private',
          cidrBlock: '{{input.subnetCidr}}',
        }),
        tool('subnets', 'list_subnets', { vcnId: '{{steps.vcn.output.id}}' }),
        {
          id: 'out',
          type: 'output',
          config: {
            mapping: {
              vcnId: '{{steps.vcn.output.id}}',
              subnetId: '{{steps.subnet.output.id}}',
              subnets: '{{len(steps.subnets.output.items)}}',
            },
          },
        },
      ],
      edges: chain('start', 'vcn', 'subnet', 'subnets', 'out'),
    },
  },
  {
    id: 'iam-policy',
    name: 'IAM policy',
    description: 'Reviews broad policies, asks for approval, then creates a least-privilege policy for a group.',
    tags: ['identity', 'security'],
    definition: {
      name: 'IAM policy',
      inputSchema: {
        type: 'object',
        properties: {
          name: str('ops-read-instances', 'Policy name'),
          group: str('Ops', 'Group'),
          verb: str('read', 'Verb'),
          resource: str('instances', 'Resource type'),
          compartment: str('prod', 'Compartment'),
        },
      },
      nodes: [
        input,
        tool('review', 'find_broad_policies'),
        { id: 'approve', type: 'approval', config: { message: 'Create policy {{input.name}}?' } },
        tool(
          'policy',
          'create_policy',
          {
            name: '{{input.name}}',
            description: 'Created by the IAM policy workflow',
            statements: ['allow group {{input.group}} to {{input.verb}} {{input.resource}} in compartment {{input.compartment}}'],
          },
          {
            compensate: { tool: 'delete_policy', args: { policyId: '{{result.id}}' } },
          },
        ),
        {
          id: 'out',
          type: 'output',
          config: { mapping: { policyId: '{{steps.policy.output.id}}', broadPolicies: '{{steps.review.output}}' } },
        },
      ],
      edges: chain('start', 'review', 'approve', 'policy', 'out'),
    },
  },
];

/** One template by id. */
export function findTemplate(id: string): WorkflowTemplate | undefined {
  return TEMPLATES.find((t) => t.id === id);
}

/** Fills missing top-level input fields from `inputSchema.properties.*.default`. */
export function withInputDefaults(schema: Record<string, unknown> | null, input: Record<string, unknown>): Record<string, unknown> {
  const props = (schema?.properties ?? {}) as Record<string, { default?: unknown }>;
  const out = { ...input };
  for (const [k, p] of Object.entries(props)) if (out[k] === undefined && p && typeof p === 'object' && 'default' in p) out[k] = p.default;
  return out;
}
