import { z } from 'zod';
import { CloudBadRequest } from '../errors.ts';
import { compareClouds, egressCost, estimateOciShape, estimateWorkload } from '../pricing/pricing.ts';
import { OCI_FREE_TIER, PRICE_SHEETS, PRICES_UPDATED, type Cloud } from '../pricing/sheets.ts';
import { defineTool, type ToolDefinition } from './types.ts';

const workload = {
  vcpus: z.number().int().min(1).max(256).describe('vCPUs per instance'),
  memoryGb: z.number().min(1).max(4096).describe('Memory per instance in GB'),
  storageGb: z.number().min(0).max(1_000_000).optional().describe('Block storage per instance in GB'),
  objectStorageGb: z.number().min(0).max(10_000_000).optional().describe('Object storage in GB'),
  egressGbPerMonth: z.number().min(0).max(10_000_000).optional().describe('Outbound internet traffic per month in GB'),
  hoursPerMonth: z.number().min(1).max(744).optional().describe('Running hours per month (default 730)'),
  instances: z.number().int().min(1).max(1000).optional().describe('Number of identical instances (default 1)'),
};
const cloud = z.enum(['oci', 'aws', 'azure']);

const sheetTool = (c: Cloud, label: string) =>
  defineTool({
    name: `get_${c}_pricing`,
    description: `List prices of ${label} compute sizes, storage and egress from the local price sheet.`,
    category: 'pricing',
    risk: 'read',
    changes: '',
    input: z.strictObject({
      family: z.string().max(32).optional().describe('Only fixed sizes of this family (general, compute, memory, burstable, arm)'),
    }),
    execute: async (_ctx, a) => {
      const s = PRICE_SHEETS[c];
      const fixed = a.family ? s.fixed.filter((f) => f.family === a.family) : s.fixed;
      return {
        cloud: c,
        region: s.region,
        currency: s.currency,
        flexShapes: s.flex,
        items: fixed,
        count: fixed.length,
        storage: s.storage,
        egress: s.egress,
        pricesUpdated: PRICES_UPDATED,
      };
    },
  });

/** Pricing tools on local price sheets for OCI, AWS and Azure: compare, estimate, look up. */
export const pricingTools: readonly ToolDefinition[] = [
  defineTool({
    name: 'compare_cloud_costs',
    description: 'Compare the monthly cost of a workload (vCPUs, memory, storage, egress) on OCI, AWS and Azure, cheapest first.',
    category: 'pricing',
    risk: 'read',
    changes: '',
    input: z.strictObject({
      ...workload,
      clouds: z.array(cloud).min(1).max(3).optional().describe('Clouds to compare (default all three)'),
    }),
    execute: async (_ctx, a) => {
      const { clouds, ...w } = a;
      return compareClouds(w, clouds ?? ['oci', 'aws', 'azure']);
    },
  }),
  defineTool({
    name: 'estimate_monthly_cost',
    description: 'Estimate the monthly cost of an OCI shape (flexible: with OCPUs and memory) plus block storage.',
    category: 'pricing',
    risk: 'read',
    changes: '',
    input: z.strictObject({
      shape: z.string().min(3).max(64).describe('OCI shape, e.g. VM.Standard.E4.Flex'),
      ocpus: z.number().min(1).max(128).optional().describe('OCPUs (flexible shapes; default 1)'),
      memoryGb: z.number().min(1).max(2048).optional().describe('Memory in GB (flexible shapes; default 16 per OCPU)'),
      storageGb: workload.storageGb,
      hoursPerMonth: workload.hoursPerMonth,
      instances: workload.instances,
    }),
    execute: async (_ctx, a) => {
      const r = estimateOciShape(a.shape, a);
      if (!r) throw new CloudBadRequest(`shape: no price for ${a.shape}; get_oci_pricing lists the priced shapes`);
      return r;
    },
  }),
  defineTool({
    name: 'estimate_workload_cost',
    description: 'Estimate the monthly cost of a workload on one cloud, with the instance size chosen.',
    category: 'pricing',
    risk: 'read',
    changes: '',
    input: z.strictObject({ cloud: cloud.describe('Cloud: oci, aws or azure'), ...workload }),
    execute: async (_ctx, a) => {
      const { cloud: c, ...w } = a;
      const r = estimateWorkload(c, w);
      if (!r) throw new CloudBadRequest(`No ${c} size in the price sheet fits ${w.vcpus} vCPUs and ${w.memoryGb} GB`);
      return { ...r, pricesUpdated: PRICES_UPDATED };
    },
  }),
  defineTool({
    name: 'estimate_egress_cost',
    description: 'Monthly internet egress cost of N GB on OCI, AWS and Azure (after each free allowance).',
    category: 'pricing',
    risk: 'read',
    changes: '',
    input: z.strictObject({ gbPerMonth: z.number().min(0).max(10_000_000).describe('Outbound GB per month') }),
    execute: async (_ctx, a) => {
      const items = (['oci', 'aws', 'azure'] as const).map((c) => ({
        cloud: c,
        freeGb: PRICE_SHEETS[c].egress.freeGbMonth,
        perGb: PRICE_SHEETS[c].egress.perGb,
        monthly: egressCost(c, a.gbPerMonth),
      }));
      return { gbPerMonth: a.gbPerMonth, currency: 'USD', items, count: items.length };
    },
  }),
  sheetTool('oci', 'OCI'),
  sheetTool('aws', 'AWS'),
  sheetTool('azure', 'Azure'),
  defineTool({
    name: 'get_oci_free_tier',
    description: 'The OCI Always Free allowances (compute, storage, database, networking).',
    category: 'pricing',
    risk: 'read',
    changes: '',
    input: z.strictObject({}),
    execute: async () => OCI_FREE_TIER,
  }),
];
