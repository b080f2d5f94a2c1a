/**
 * Local list-price sheets (USD, pay-as-you-go, one region per cloud: OCI eu-frankfurt-1, AWS
 * eu-central-1, Azure germanywestcentral). Static data so estimates work offline; refreshed by
 * hand, dated in `PRICES_UPDATED`. Not a quote: tools say so in their answers.
 */
export const PRICES_UPDATED = '2026-11-01';

export type Cloud = 'oci' | 'aws' | 'azure';

/** A fixed instance size (AWS, Azure, OCI fixed shapes): vCPUs, memory and price per hour. */
export interface FixedInstancePrice {
  name: string;
  vcpus: number;
  memoryGb: number;
  hourly: number;
  family: string;
}

/** An OCI flexible shape: priced per OCPU-hour (1 OCPU = 2 vCPUs on x86, 1 on Ampere) and per GB-hour. */
export interface FlexShapePrice {
  name: string;
  ocpuHourly: number;
  memoryGbHourly: number;
  vcpusPerOcpu: number;
  maxOcpus: number;
  minMemoryPerOcpu: number;
  maxMemoryPerOcpu: number;
}

export interface StoragePrices {
  /** Block storage, per GB-month (balanced performance / gp3 / Standard SSD). */
  blockGbMonth: number;
  /** Object storage, standard tier, per GB-month. */
  objectGbMonth: number;
  /** Object storage, archive tier, per GB-month. */
  archiveGbMonth: number;
}

export interface EgressPrices {
  /** GB per month free of charge. */
  freeGbMonth: number;
  /** Price per GB beyond the free allowance. */
  perGb: number;
}

export interface PriceSheet {
  cloud: Cloud;
  region: string;
  currency: 'USD';
  flex: FlexShapePrice[];
  fixed: FixedInstancePrice[];
  storage: StoragePrices;
  egress: EgressPrices;
}

export const OCI_PRICES: PriceSheet = {
  cloud: 'oci',
  region: 'eu-frankfurt-1',
  currency: 'USD',
  flex: [
    {
      name: 'VM.Standard.E4.Flex',
      ocpuHourly: 0.025,
      memoryGbHourly: 0.0015,
      vcpusPerOcpu: 2,
      maxOcpus: 64,
      minMemoryPerOcpu: 1,
      maxMemoryPerOcpu: 64,
    },
    {
      name: 'VM.Standard.E5.Flex',
      ocpuHourly: 0.03,
      memoryGbHourly: 0.002,
      vcpusPerOcpu: 2,
      maxOcpus: 94,
      minMemoryPerOcpu: 1,
      maxMemoryPerOcpu: 64,
    },
    {
      name: 'VM.Standard.A1.Flex',
      ocpuHourly: 0.01,
      memoryGbHourly: 0.0015,
      vcpusPerOcpu: 1,
      maxOcpus: 80,
      minMemoryPerOcpu: 1,
      maxMemoryPerOcpu: 64,
    },
    {
      name: 'VM.Standard3.Flex',
      ocpuHourly: 0.04,
      memoryGbHourly: 0.0015,
      vcpusPerOcpu: 2,
      maxOcpus: 32,
      minMemoryPerOcpu: 1,
      maxMemoryPerOcpu: 64,
    },
    {
      name: 'VM.Optimized3.Flex',
      ocpuHourly: 0.054,
      memoryGbHourly: 0.0015,
      vcpusPerOcpu: 2,
      maxOcpus: 18,
      minMemoryPerOcpu: 1,
      maxMemoryPerOcpu: 64,
    },
  ],
  fixed: [
    { name: 'VM.Standard2.1', vcpus: 2, memoryGb: 15, hourly: 0.0638, family: 'standard' },
    { name: 'VM.Standard2.2', vcpus: 4, memoryGb: 30, hourly: 0.1276, family: 'standard' },
    { name: 'VM.Standard.E2.1.Micro', vcpus: 2, memoryGb: 1, hourly: 0, family: 'always-free' },
  ],
  storage: { blockGbMonth: 0.0425, objectGbMonth: 0.0255, archiveGbMonth: 0.0026 },
  egress: { freeGbMonth: 10_240, perGb: 0.0085 },
};

export const AWS_PRICES: PriceSheet = {
  cloud: 'aws',
  region: 'eu-central-1',
  currency: 'USD',
  flex: [],
  fixed: [
    { name: 't3.medium', vcpus: 2, memoryGb: 4, hourly: 0.048, family: 'burstable' },
    { name: 't3.large', vcpus: 2, memoryGb: 8, hourly: 0.096, family: 'burstable' },
    { name: 'm6i.large', vcpus: 2, memoryGb: 8, hourly: 0.115, family: 'general' },
    { name: 'm6i.xlarge', vcpus: 4, memoryGb: 16, hourly: 0.23, family: 'general' },
    { name: 'm6i.2xlarge', vcpus: 8, memoryGb: 32, hourly: 0.46, family: 'general' },
    { name: 'm6i.4xlarge', vcpus: 16, memoryGb: 64, hourly: 0.92, family: 'general' },
    { name: 'c6i.large', vcpus: 2, memoryGb: 4, hourly: 0.097, family: 'compute' },
    { name: 'c6i.xlarge', vcpus: 4, memoryGb: 8, hourly: 0.194, family: 'compute' },
    { name: 'c6i.2xlarge', vcpus: 8, memoryGb: 16, hourly: 0.388, family: 'compute' },
    { name: 'r6i.large', vcpus: 2, memoryGb: 16, hourly: 0.152, family: 'memory' },
    { name: 'r6i.xlarge', vcpus: 4, memoryGb: 32, hourly: 0.304, family: 'memory' },
    { name: 'r6i.2xlarge', vcpus: 8, memoryGb: 64, hourly: 0.608, family: 'memory' },
    { name: 'r6i.4xlarge', vcpus: 16, memoryGb: 128, hourly: 1.216, family: 'memory' },
    { name: 'm7g.large', vcpus: 2, memoryGb: 8, hourly: 0.0952, family: 'arm' },
    { name: 'm7g.xlarge', vcpus: 4, memoryGb: 16, hourly: 0.1904, family: 'arm' },
  ],
  storage: { blockGbMonth: 0.0952, objectGbMonth: 0.0245, archiveGbMonth: 0.0018 },
  egress: { freeGbMonth: 100, perGb: 0.09 },
};

export const AZURE_PRICES: PriceSheet = {
  cloud: 'azure',
  region: 'germanywestcentral',
  currency: 'USD',
  flex: [],
  fixed: [
    { name: 'B2s', vcpus: 2, memoryGb: 4, hourly: 0.048, family: 'burstable' },
    { name: 'B2ms', vcpus: 2, memoryGb: 8, hourly: 0.096, family: 'burstable' },
    { name: 'D2s_v5', vcpus: 2, memoryGb: 8, hourly: 0.115, family: 'general' },
    { name: 'D4s_v5', vcpus: 4, memoryGb: 16, hourly: 0.23, family: 'general' },
    { name: 'D8s_v5', vcpus: 8, memoryGb: 32, hourly: 0.46, family: 'general' },
    { name: 'D16s_v5', vcpus: 16, memoryGb: 64, hourly: 0.92, family: 'general' },
    { name: 'F2s_v2', vcpus: 2, memoryGb: 4, hourly: 0.101, family: 'compute' },
    { name: 'F4s_v2', vcpus: 4, memoryGb: 8, hourly: 0.202, family: 'compute' },
    { name: 'F8s_v2', vcpus: 8, memoryGb: 16, hourly: 0.404, family: 'compute' },
    { name: 'E2s_v5', vcpus: 2, memoryGb: 16, hourly: 0.152, family: 'memory' },
    { name: 'E4s_v5', vcpus: 4, memoryGb: 32, hourly: 0.304, family: 'memory' },
    { name: 'E8s_v5', vcpus: 8, memoryGb: 64, hourly: 0.608, family: 'memory' },
    { name: 'E16s_v5', vcpus: 16, memoryGb: 128, hourly: 1.216, family: 'memory' },
    { name: 'D2ps_v5', vcpus: 2, memoryGb: 8, hourly: 0.0924, family: 'arm' },
    { name: 'D4ps_v5', vcpus: 4, memoryGb: 16, hourly: 0.1848, family: 'arm' },
  ],
  storage: { blockGbMonth: 0.0912, objectGbMonth: 0.0208, archiveGbMonth: 0.0022 },
  egress: { freeGbMonth: 100, perGb: 0.087 },
};

export const PRICE_SHEETS: Record<Cloud, PriceSheet> = { oci: OCI_PRICES, aws: AWS_PRICES, azure: AZURE_PRICES };

/** OCI Always Free allowances (per tenancy, home region). */
export const OCI_FREE_TIER = {
  compute: [
    { shape: 'VM.Standard.A1.Flex', allowance: '3,000 OCPU-hours and 18,000 GB-hours per month (4 OCPUs, 24 GB as one or several VMs)' },
    { shape: 'VM.Standard.E2.1.Micro', allowance: 'up to 2 instances (1/8 OCPU, 1 GB each)' },
  ],
  storage: ['200 GB block volume storage in total (boot + block), 5 backups', '20 GB object storage (standard + infrequent + archive)'],
  database: ['2 Autonomous Databases (1 OCPU, 20 GB each)', 'MySQL HeatWave: 1 standalone DB system'],
  networking: ['10 TB outbound data transfer per month', '1 flexible load balancer (10 Mbps)', '2 VCNs'],
  observability: ['500 million monitoring ingestion datapoints', '10 GB logging per month'],
} as const;

/** Hours in an average month (8760 / 12). */
export const HOURS_PER_MONTH = 730;
