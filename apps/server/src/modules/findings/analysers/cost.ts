import { estimateOciShape } from '../../../cloud/pricing/pricing.ts';
import { PRICE_SHEETS } from '../../../cloud/pricing/sheets.ts';
import { all, money, type Analyser, type DetectedFinding } from './types.ts';

const IDLE_CPU = 5;
const IDLE_DAYS = 7;

/** Monthly list price of an instance as configured (0 when the shape is not on the sheet). */
export function instanceMonthly(i: { shape: string; ocpus: number | null; memoryGb: number | null }): number {
  const e = estimateOciShape(i.shape, { ...(i.ocpus ? { ocpus: i.ocpus } : {}), ...(i.memoryGb ? { memoryGb: i.memoryGb } : {}) });
  return e?.monthly.total ?? 0;
}

/**
 * Cost: running instances idle for a week (CPU < 5 %), unattached block volumes, and stopped
 * instances whose boot volumes keep billing (capacity paid for and unused).
 */
export const costAnalyser: Analyser = async (cloud) => {
  const out: DetectedFinding[] = [];
  const instances = await all((p) => cloud.listInstances(p));
  const util = await all((p) => cloud.summarizeUtilization({ days: IDLE_DAYS, ...p }));
  const byId = new Map(instances.map((i) => [i.id, i]));
  for (const u of util) {
    const inst = byId.get(u.instanceId);
    if (!inst || inst.lifecycleState !== 'RUNNING' || u.cpuMax >= IDLE_CPU) continue;
    const saving = money(instanceMonthly(inst));
    out.push({
      fingerprint: `cost:idle-instance:${inst.id}`,
      domain: 'cost',
      rule: 'idle-instance',
      severity: saving >= 50 ? 'high' : 'medium',
      confidence: u.cpuMax < 2 ? 0.95 : 0.85,
      title: `Idle instance ${inst.name}`,
      summary: `${inst.name} (${inst.shape}) peaked at ${u.cpuMax.toFixed(1)} % CPU over the last ${IDLE_DAYS} days (average ${u.cpuAvg.toFixed(1)} %).`,
      impact: `About $${saving.toFixed(2)} a month for compute that does no work.`,
      recommendation: 'Stop it if it is not needed, or schedule it to run only when used; terminate it if it is abandoned.',
      monthlySaving: saving,
      resources: [{ id: inst.id, name: inst.name, type: 'instance' }],
      charliePrompt: `Instance ${inst.name} looks idle (peak CPU ${u.cpuMax.toFixed(1)} % over ${IDLE_DAYS} days). Show me its metrics and stop it if nothing depends on it.`,
      evidence: [
        { call: `summarize_utilization(days=${IDLE_DAYS})`, observed: `cpuMax=${u.cpuMax.toFixed(2)} %, cpuAvg=${u.cpuAvg.toFixed(2)} %` },
        { call: 'list_instances', observed: `lifecycleState=${inst.lifecycleState}, shape=${inst.shape}` },
      ],
    });
  }
  const blockGb = PRICE_SHEETS.oci.storage.blockGbMonth;
  for (const v of await all((p) => cloud.listBlockVolumes({ ...p, unattachedOnly: true }))) {
    if (v.attachedInstanceId) continue;
    const saving = money(v.sizeGb * blockGb);
    out.push({
      fingerprint: `cost:unattached-volume:${v.id}`,
      domain: 'cost',
      rule: 'unattached-volume',
      severity: saving >= 20 ? 'medium' : 'low',
      confidence: 0.9,
      title: `Unattached block volume ${v.name}`,
      summary: `${v.name} (${v.sizeGb} GB) is not attached to any instance.`,
      impact: `About $${saving.toFixed(2)} a month for storage nobody uses.`,
      recommendation: 'Back it up if its data matters, then delete it.',
      monthlySaving: saving,
      resources: [{ id: v.id, name: v.name, type: 'block-volume' }],
      charliePrompt: `Block volume ${v.name} is unattached. Tell me when it was last attached and help me back it up and delete it.`,
      evidence: [{ call: 'list_block_volumes(unattachedOnly=true)', observed: `sizeGb=${v.sizeGb}, attachedInstanceId=null` }],
    });
  }
  const boot = await all((p) => cloud.listBootVolumes(p));
  for (const inst of instances.filter((i) => i.lifecycleState === 'STOPPED')) {
    const vols = boot.filter((b) => b.instanceId === inst.id);
    const gb = vols.reduce((s, b) => s + b.sizeGb, 0);
    if (gb === 0) continue;
    const saving = money(gb * blockGb);
    out.push({
      fingerprint: `cost:stopped-capacity:${inst.id}`,
      domain: 'cost',
      rule: 'stopped-instance-storage',
      severity: 'low',
      confidence: 0.7,
      title: `Stopped instance ${inst.name} still pays for storage`,
      summary: `${inst.name} is stopped, but its ${gb} GB of boot volume keeps billing.`,
      impact: `About $${saving.toFixed(2)} a month of reserved capacity in use by nothing.`,
      recommendation: 'Terminate the instance (keeping a boot-volume backup) if it will not be started again.',
      monthlySaving: saving,
      resources: [{ id: inst.id, name: inst.name, type: 'instance' }],
      charliePrompt: `Instance ${inst.name} is stopped but its boot volume still bills. Should we back it up and terminate it?`,
      evidence: [{ call: 'list_boot_volumes', observed: `${vols.length} volume(s), ${gb} GB attached to a STOPPED instance` }],
    });
  }
  return out;
};
