import { z } from 'zod';
import { bucketHcl, instanceHcl, vcnHcl } from '../terraform/hcl.ts';
import { cidr, displayName, ocid } from './common.ts';
import { defineTool, type ToolDefinition } from './types.ts';

const region = z
  .string()
  .regex(/^[a-z]+-[a-z]+-\d$/, 'an OCI region id such as eu-frankfurt-1')
  .optional()
  .describe('Region (default eu-frankfurt-1)');

/** Terraform tools: deterministic HCL for an instance, a VCN with subnets, a bucket. Nothing is applied. */
export const terraformTools: readonly ToolDefinition[] = [
  defineTool({
    name: 'generate_terraform_instance',
    description: 'Generate Terraform (HCL, oracle/oci provider) for a compute instance.',
    category: 'terraform',
    risk: 'read',
    changes: '',
    input: z.strictObject({
      name: displayName('instance'),
      shape: z.string().min(3).max(64).describe('Shape, e.g. VM.Standard.E4.Flex'),
      ocpus: z.number().min(1).max(64).optional().describe('OCPUs (flexible shapes)'),
      memoryGb: z.number().min(1).max(1024).optional().describe('Memory in GB (flexible shapes)'),
      region,
      compartmentId: ocid('compartment').optional(),
      subnetId: ocid('subnet').optional(),
      imageId: ocid('image').optional(),
      bootVolumeGb: z.number().int().min(50).max(32_768).optional().describe('Boot volume size in GB (default 50)'),
      assignPublicIp: z.boolean().optional().describe('Give the VNIC a public IP (default false)'),
    }),
    execute: async (_ctx, a) => instanceHcl(a),
  }),
  defineTool({
    name: 'generate_terraform_vcn',
    description: 'Generate Terraform for a VCN with an internet gateway, route table, security list and subnets.',
    category: 'terraform',
    risk: 'read',
    changes: '',
    input: z.strictObject({
      name: displayName('VCN'),
      cidrBlock: cidr('VCN'),
      subnets: z
        .array(
          z.strictObject({
            name: displayName('subnet'),
            cidrBlock: cidr('subnet'),
            public: z.boolean().describe('Public subnet (routes to the internet gateway)'),
          }),
        )
        .max(20)
        .optional()
        .describe('Subnets (default: one public /24 and one private /24)'),
      region,
      compartmentId: ocid('compartment').optional(),
      allowSshFrom: cidr('network allowed to SSH (port 22)').optional(),
    }),
    execute: async (_ctx, a) => {
      const base = a.cidrBlock.split('/')[0]!.split('.').slice(0, 2).join('.');
      const subnets = a.subnets ?? [
        { name: `${a.name}-public`, cidrBlock: `${base}.0.0/24`, public: true },
        { name: `${a.name}-private`, cidrBlock: `${base}.1.0/24`, public: false },
      ];
      return vcnHcl({ ...a, subnets });
    },
  }),
  defineTool({
    name: 'generate_terraform_bucket',
    description: 'Generate Terraform for an Object Storage bucket (private unless asked).',
    category: 'terraform',
    risk: 'read',
    changes: '',
    input: z.strictObject({
      name: z
        .string()
        .min(1)
        .max(256)
        .regex(/^[A-Za-z0-9_.-]+$/)
        .describe('Bucket name'),
      region,
      compartmentId: ocid('compartment').optional(),
      namespace: z
        .string()
        .regex(/^[a-z0-9]+$/)
        .max(64)
        .optional()
        .describe('Object Storage namespace (default: looked up)'),
      storageTier: z.enum(['Standard', 'Archive']).optional().describe('Storage tier'),
      versioning: z.boolean().optional().describe('Enable object versioning'),
      public: z.boolean().optional().describe('Public read access (default false)'),
    }),
    execute: async (_ctx, a) => bucketHcl(a),
  }),
];
