import { estimateOciShape } from '../../../cloud/pricing/pricing.ts';
import { PRICE_SHEETS } from '../../../cloud/pricing/sheets.ts';
import { instanceMonthly } from './cost.ts';
import { all, money, type Analyser, type DetectedFinding } from './types.ts';

const DAYS = 14;
const CPU = 20;
const MEMORY = 40;

/**
 * Right-sizing: flexible-shape instances that stayed under 20 % CPU and 40 % memory for two
 * weeks get a smaller configuration (half the OCPUs and memory, keeping headroom over the
 * observed peaks), with the saving from the price sheet.
 */
export const rightsizingAnalyser: Analyser = async (cloud) => {
  const out: DetectedFinding[] = [];
  const instances = new Map((await all((p) => cloud.listInstances(p))).map((i) => [i.id, i]));
  for (const u of await all((p) => cloud.summarizeUtilization({ days: DAYS, ...p }))) {
    const inst = instances.get(u.instanceId);
    if (!inst || inst.lifecycleState !== 'RUNNING' || u.cpuMax >= CPU || u.memoryMax >= MEMORY) continue;
    if (u.cpuMax < 5) continue; // idle: the cost analyser reports it (stop, don't resize)
    const flex = PRICE_SHEETS.oci.flex.find((f) => f.name === inst.shape);
    if (!flex || !inst.ocpus || !inst.memoryGb || inst.ocpus < 2) continue;
    const ocpus = Math.max(1, Math.floor(inst.ocpus / 2));
    const memoryGb = Math.max(ocpus * flex.minMemoryPerOcpu, Math.ceil(inst.memoryGb / 2));
    const now = instanceMonthly(inst);
    const next = estimateOciShape(inst.shape, { ocpus, memoryGb })?.monthly.total ?? now;
    const saving = money(now - next);
    if (saving <= 0) continue;
    out.push({
      fingerprint: `rightsizing:${inst.id}:${ocpus}x${memoryGb}`,
      domain: 'rightsizing',
      rule: 'over-provisioned-instance',
      severity: saving >= 50 ? 'medium' : 'low',
      confidence: 0.8,
      title: `Over-provisioned instance ${inst.name}`,
      summary: `${inst.name} peaked at ${u.cpuMax.toFixed(1)} % CPU and ${u.memoryMax.toFixed(1)} % memory over ${DAYS} days on ${inst.ocpus} OCPUs / ${inst.memoryGb} GB.`,
      impact: `${inst.ocpus} OCPUs / ${inst.memoryGb} GB costs about $${now.toFixed(2)} a month; ${ocpus} OCPUs / ${memoryGb} GB would cost $${next.toFixed(2)}.`,
      recommendation: `Resize ${inst.name} to ${ocpus} OCPUs and ${memoryGb} GB (${inst.shape}) in a maintenance window.`,
      monthlySaving: saving,
      resources: [{ id: inst.id, name: inst.name, type: 'instance' }],
      charliePrompt: `Resize instance ${inst.name} to ${ocpus} OCPUs and ${memoryGb} GB memory; show me the metrics first.`,
      evidence: [
        { call: `summarize_utilization(days=${DAYS})`, observed: `cpuMax=${u.cpuMax.toFixed(2)} %, memoryMax=${u.memoryMax.toFixed(2)} %` },
        { call: 'price sheet (OCI)', observed: `${inst.shape}: $${now.toFixed(2)} → $${next.toFixed(2)} a month` },
      ],
    });
  }
  return out;
};
