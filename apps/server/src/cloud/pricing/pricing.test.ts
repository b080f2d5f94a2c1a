import { describe, expect, it } from 'vitest';
import { cheapestInstance, compareClouds, egressCost, estimateOciShape, estimateWorkload } from './pricing.ts';
import { HOURS_PER_MONTH } from './sheets.ts';

describe('pricing', () => {
  it('prices an OCI flex shape per OCPU-hour and GB-hour', () => {
    const r = estimateOciShape('VM.Standard.E4.Flex', { ocpus: 2, memoryGb: 32, storageGb: 100 })!;
    // (2 × 0.025 + 32 × 0.0015) × 730 = 0.098 × 730 = 71.54; 100 GB × 0.0425 = 4.25
    expect(r.hourly).toBe(0.098);
    expect(r.monthly).toEqual({ compute: 71.54, blockStorage: 4.25, total: 75.79 });
    expect(estimateOciShape('VM.Standard2.1', {})!.monthly.compute).toBe(Math.round(0.0638 * HOURS_PER_MONTH * 100) / 100);
    expect(estimateOciShape('VM.Nope', {})).toBeNull();
  });

  it('charges egress only beyond the free allowance', () => {
    expect(egressCost('oci', 10_240)).toBe(0);
    expect(egressCost('oci', 11_240)).toBe(8.5);
    expect(egressCost('aws', 1100)).toBe(90);
    expect(egressCost('azure', 50)).toBe(0);
  });

  it('picks the cheapest fixed size that fits on AWS and Azure, and sizes OCI flex exactly', () => {
    expect(cheapestInstance('aws', 4, 16)!.name).toBe('m7g.xlarge');
    expect(cheapestInstance('azure', 2, 16)!.name).toBe('E2s_v5');
    expect(cheapestInstance('oci', 4, 16)!.name).toBe('VM.Standard.E4.Flex (2 OCPU, 16 GB)');
    expect(cheapestInstance('aws', 512, 16)).toBeNull();
  });

  it('compares a workload across clouds, cheapest first, with totals that add up', () => {
    const r = compareClouds({ vcpus: 4, memoryGb: 16, storageGb: 200, egressGbPerMonth: 500 });
    expect(r.items.map((i) => i.cloud)).toEqual(['oci', 'azure', 'aws']);
    expect(r.cheapest).toBe('oci');
    for (const i of r.items) {
      const m = i.monthly;
      expect(Math.round((m.compute + m.blockStorage + m.objectStorage + m.egress) * 100) / 100).toBe(m.total);
    }
    const aws = estimateWorkload('aws', { vcpus: 4, memoryGb: 16, storageGb: 200, egressGbPerMonth: 500 })!;
    // m7g.xlarge: 0.1904 × 730 = 138.99; 200 GB × 0.0952 = 19.04; (500 − 100) GB × 0.09 = 36
    expect(aws.instanceType).toBe('m7g.xlarge');
    expect(aws.monthly).toEqual({ compute: 138.99, blockStorage: 19.04, objectStorage: 0, egress: 36, total: 194.03 });
    expect(r.items[2]!.moreThanCheapest).toBe(Math.round((aws.monthly.total - r.items[0]!.monthly.total) * 100) / 100);
  });
});
