import { HOURS_PER_MONTH, PRICE_SHEETS, PRICES_UPDATED, type Cloud, type FixedInstancePrice, type FlexShapePrice } from './sheets.ts';

/** A workload to price: size, storage and traffic per month. */
export interface Workload {
  vcpus: number;
  memoryGb: number;
  storageGb?: number;
  objectStorageGb?: number;
  egressGbPerMonth?: number;
  hoursPerMonth?: number;
  instances?: number;
}

/** One cloud's monthly estimate for a workload. */
export interface CloudEstimate {
  cloud: Cloud;
  region: string;
  instanceType: string;
  vcpus: number;
  memoryGb: number;
  monthly: { compute: number; blockStorage: number; objectStorage: number; egress: number; total: number };
  currency: 'USD';
}

const money = (n: number): number => Math.round(n * 100) / 100;

/** Egress cost of `gb` per month after the free allowance. */
export function egressCost(cloud: Cloud, gb: number): number {
  const e = PRICE_SHEETS[cloud].egress;
  return money(Math.max(0, gb - e.freeGbMonth) * e.perGb);
}

/** Hourly price of an OCI flexible shape for `ocpus` and `memoryGb`. */
export function flexHourly(shape: FlexShapePrice, ocpus: number, memoryGb: number): number {
  return ocpus * shape.ocpuHourly + memoryGb * shape.memoryGbHourly;
}

/**
 * The cheapest way to run `vcpus`/`memoryGb` on a cloud: for OCI a flexible shape sized exactly
 * (OCPUs = vCPUs / vCPUs-per-OCPU, rounded up); elsewhere the cheapest fixed size with at least
 * the requested vCPUs and memory. Null when nothing fits.
 */
export function cheapestInstance(
  cloud: Cloud,
  vcpus: number,
  memoryGb: number,
): { name: string; vcpus: number; memoryGb: number; hourly: number } | null {
  const sheet = PRICE_SHEETS[cloud];
  const options: { name: string; vcpus: number; memoryGb: number; hourly: number }[] = [];
  for (const f of sheet.flex) {
    // x86 only for a like-for-like comparison; Ampere is priced by `estimate_monthly_cost`.
    if (f.vcpusPerOcpu !== 2) continue;
    const ocpus = Math.max(1, Math.ceil(vcpus / f.vcpusPerOcpu));
    const mem = Math.max(memoryGb, ocpus * f.minMemoryPerOcpu);
    if (ocpus > f.maxOcpus || mem > ocpus * f.maxMemoryPerOcpu) continue;
    options.push({
      name: `${f.name} (${ocpus} OCPU, ${mem} GB)`,
      vcpus: ocpus * f.vcpusPerOcpu,
      memoryGb: mem,
      hourly: flexHourly(f, ocpus, mem),
    });
  }
  for (const x of sheet.fixed as FixedInstancePrice[]) {
    if (x.hourly === 0) continue;
    if (x.vcpus >= vcpus && x.memoryGb >= memoryGb) options.push({ name: x.name, vcpus: x.vcpus, memoryGb: x.memoryGb, hourly: x.hourly });
  }
  options.sort((a, b) => a.hourly - b.hourly || a.name.localeCompare(b.name));
  return options[0] ?? null;
}

/** Prices a workload on one cloud. */
export function estimateWorkload(cloud: Cloud, w: Workload): CloudEstimate | null {
  const inst = cheapestInstance(cloud, w.vcpus, w.memoryGb);
  if (!inst) return null;
  const sheet = PRICE_SHEETS[cloud];
  const n = w.instances ?? 1;
  const hours = w.hoursPerMonth ?? HOURS_PER_MONTH;
  const compute = money(inst.hourly * hours * n);
  const blockStorage = money((w.storageGb ?? 0) * sheet.storage.blockGbMonth * n);
  const objectStorage = money((w.objectStorageGb ?? 0) * sheet.storage.objectGbMonth);
  const egress = egressCost(cloud, w.egressGbPerMonth ?? 0);
  return {
    cloud,
    region: sheet.region,
    instanceType: inst.name,
    vcpus: inst.vcpus,
    memoryGb: inst.memoryGb,
    monthly: { compute, blockStorage, objectStorage, egress, total: money(compute + blockStorage + objectStorage + egress) },
    currency: 'USD',
  };
}

/** Prices a workload on every cloud, cheapest first, with the saving of the cheapest against each. */
export function compareClouds(w: Workload, clouds: Cloud[] = ['oci', 'aws', 'azure']) {
  const estimates = clouds.map((c) => estimateWorkload(c, w)).filter((e): e is CloudEstimate => e !== null);
  estimates.sort((a, b) => a.monthly.total - b.monthly.total);
  const cheapest = estimates[0];
  return {
    workload: w,
    cheapest: cheapest?.cloud ?? null,
    items: estimates.map((e) => ({ ...e, moreThanCheapest: cheapest ? money(e.monthly.total - cheapest.monthly.total) : 0 })),
    count: estimates.length,
    pricesUpdated: PRICES_UPDATED,
    note: 'List prices from local sheets; not a quote.',
  };
}

/** Monthly cost of an OCI shape (flexible: with ocpus/memory), plus block storage. */
export function estimateOciShape(
  shape: string,
  o: { ocpus?: number; memoryGb?: number; storageGb?: number; hoursPerMonth?: number; instances?: number },
) {
  const hours = o.hoursPerMonth ?? HOURS_PER_MONTH;
  const n = o.instances ?? 1;
  const flex = PRICE_SHEETS.oci.flex.find((f) => f.name === shape);
  const fixed = PRICE_SHEETS.oci.fixed.find((f) => f.name === shape);
  if (!flex && !fixed) return null;
  const ocpus = flex ? (o.ocpus ?? 1) : null;
  const memoryGb = flex ? (o.memoryGb ?? ocpus! * 16) : fixed!.memoryGb;
  const hourly = flex ? flexHourly(flex, ocpus!, memoryGb) : fixed!.hourly;
  const compute = money(hourly * hours * n);
  const storage = money((o.storageGb ?? 0) * PRICE_SHEETS.oci.storage.blockGbMonth * n);
  return {
    cloud: 'oci' as const,
    shape,
    ocpus,
    memoryGb,
    hourly: Math.round(hourly * 10_000) / 10_000,
    monthly: { compute, blockStorage: storage, total: money(compute + storage) },
    hoursPerMonth: hours,
    instances: n,
    currency: 'USD',
    pricesUpdated: PRICES_UPDATED,
  };
}
