import type { InsightOps } from '../provider.ts';
import { CloudBadRequest } from '../errors.ts';
import { clampLimit } from '../types.ts';
import type { SandboxContext } from './context.ts';
import { hash32, round } from './ids.ts';
import { toAlarm, toCompartment, toGroup, toInstance, toPolicy, toSearchResult, toUser } from './mappers.ts';
import { sandboxRepository as repo, type ResourceRow } from './sandbox.repository.ts';
import type { SandboxKind } from './sandbox.tables.ts';
import type { UsageProfile } from './seed.ts';
import { generateCosts, generateLogs, metricSeries, utilization } from './synth.ts';

/** OCI search resource types (as `search_resources` names them) → stored kinds. */
export const RESOURCE_TYPES: Record<string, SandboxKind> = {
  Instance: 'instance',
  Volume: 'volume',
  BootVolume: 'boot_volume',
  Vcn: 'vcn',
  Subnet: 'subnet',
  SecurityList: 'security_list',
  RouteTable: 'route_table',
  InternetGateway: 'internet_gateway',
  Bucket: 'bucket',
  AutonomousDatabase: 'adb',
  Compartment: 'compartment',
  User: 'user',
  Group: 'group',
  Policy: 'policy',
  Alarm: 'alarm',
};
const TYPE_OF = Object.fromEntries(Object.entries(RESOURCE_TYPES).map(([t, k]) => [k, t])) as Record<SandboxKind, string>;

/** A policy statement must at least look like `allow <subject> to <verb> <resource> in <scope>`. */
const STATEMENT =
  /^allow\s+(group|any-user|dynamic-group|service)\b.+\bto\s+(inspect|read|use|manage)\s+\S+\s+in\s+(tenancy|compartment)\b/i;

const profileOf = (r: ResourceRow): UsageProfile => (r.data.profile as UsageProfile) ?? 'normal';

/** Identity, monitoring (metrics, alarms), logging, resource search and usage/cost. */
export function insightOps(ctx: SandboxContext): InsightOps {
  return {
    listCompartments: (o) => ctx.list({ kind: 'compartment' }, o, toCompartment),
    listUsers: (o) => ctx.list({ kind: 'user' }, o, toUser),
    listGroups: (o) => ctx.list({ kind: 'group' }, o, toGroup),
    listPolicies: (o) => ctx.list({ kind: 'policy' }, o, toPolicy),
    getPolicy: (id) => ctx.get('policy', id, 'Policy', toPolicy),
    createPolicy: (spec) => {
      const bad = spec.statements.findIndex((s) => !STATEMENT.test(s.trim()));
      if (bad >= 0)
        throw new CloudBadRequest(`statements.${bad}: not a policy statement ("allow group X to verb resources in compartment Y")`);
      const data = { description: spec.description, statements: spec.statements };
      return ctx.create(
        [{ kind: 'policy', name: spec.name, state: 'ACTIVE', compartmentId: spec.compartmentId ?? ctx.tenancyId, data }],
        toPolicy,
      );
    },
    deletePolicy: (id) =>
      ctx.run(async (tx, now) => {
        await ctx.must(tx, 'policy', id, 'Policy', now);
        await repo.delete(tx, ctx.orgId, 'policy', id);
        return { deleted: true as const, id };
      }),

    getInstanceMetrics: (q) =>
      ctx.get('instance', q.instanceId, 'Instance', (r) =>
        metricSeries(r.id, profileOf(r), q.metric, q.days, q.resolution ?? (q.days <= 2 ? '1h' : '1d'), ctx.now()),
      ),
    summarizeUtilization: (q) =>
      ctx.run(async (tx, now) => {
        const f = { kind: 'instance' as const, compartmentId: q.compartmentId, state: 'RUNNING' };
        const { rows, count } = await repo.list(tx, ctx.orgId, f, now, clampLimit(q.limit));
        const items = rows.map((r) => {
          const inst = toInstance(r);
          const cpu = utilization(r.id, profileOf(r), 'CpuUtilization', q.days, now);
          const mem = utilization(r.id, profileOf(r), 'MemoryUtilization', q.days, now);
          return {
            instanceId: r.id,
            name: r.name,
            shape: inst.shape,
            days: q.days,
            cpuAvg: cpu.avg,
            cpuMax: cpu.max,
            memoryAvg: mem.avg,
            memoryMax: mem.max,
          };
        });
        return { items, count };
      }),
    listAlarms: (o) => ctx.list({ kind: 'alarm' }, o, toAlarm),
    createAlarm: (spec) => {
      const data = {
        namespace: 'oci_computeagent',
        query: `${spec.metric}[5m].mean() > ${spec.threshold}`,
        severity: spec.severity,
        isEnabled: true,
        destinationTopicId: spec.destinationTopicId ?? null,
      };
      return ctx.create(
        [{ kind: 'alarm', name: spec.name, state: 'ACTIVE', compartmentId: spec.compartmentId ?? ctx.tenancyId, data }],
        toAlarm,
      );
    },

    searchLogs: (q) =>
      ctx.run(async (tx, now) => {
        const { rows } = await repo.list(tx, ctx.orgId, { kind: 'instance' }, now, 50);
        const text = q.text?.toLowerCase();
        const all = generateLogs(
          hash32(ctx.orgId),
          rows.map((r) => ({ name: r.name, id: r.id })),
          q.hours,
          now,
        ).filter(
          (e) =>
            (!q.level || e.level === q.level) && (!text || e.message.toLowerCase().includes(text) || e.source.toLowerCase().includes(text)),
        );
        return { items: all.slice(0, clampLimit(q.limit)), count: all.length };
      }),
    searchResources: (q) => {
      const kind = q.resourceType ? RESOURCE_TYPES[q.resourceType] : undefined;
      if (q.resourceType && !kind)
        throw new CloudBadRequest(`resourceType: unknown type ${q.resourceType}; one of ${Object.keys(RESOURCE_TYPES).join(', ')}`);
      const kinds = kind ? [kind] : (Object.values(RESOURCE_TYPES) as SandboxKind[]);
      return ctx.list({ kind: kinds[0]!, kinds, nameLike: q.text }, { limit: q.limit }, (r) => ({
        ...toSearchResult(r),
        resourceType: TYPE_OF[r.kind],
      }));
    },
    getDailyCosts: (q) =>
      ctx.run(async (tx, now) => {
        const { rows } = await repo.list(
          tx,
          ctx.orgId,
          { kind: 'instance', kinds: ['instance', 'volume', 'boot_volume', 'bucket', 'adb'] },
          now,
          500,
        );
        const items = generateCosts(hash32(ctx.orgId), dailyBase(rows), q.days, now).filter((c) => !q.service || c.service === q.service);
        return { currency: 'USD', items, count: items.length };
      }),
  };
}

/** Typical daily cost per service, from what the tenancy holds (list prices, USD). */
function dailyBase(rows: ResourceRow[]): Record<string, number> {
  let compute = 0;
  let block = 0;
  let object = 0;
  let db = 0;
  for (const r of rows) {
    const d = r.data as Record<string, any>;
    if (r.kind === 'instance' && r.state !== 'TERMINATED') {
      const running = r.state !== 'STOPPED';
      compute += running ? (Number(d.ocpus) * 0.025 + Number(d.memoryGb) * 0.0015) * 24 : 0;
    } else if (r.kind === 'volume' || r.kind === 'boot_volume') {
      block += (Number(d.sizeGb) * 0.0425) / 30;
    } else if (r.kind === 'bucket') {
      const bytes = ((d.objects as { size: number }[]) ?? []).reduce((a, o) => a + o.size, 0);
      object += ((bytes / 1e9) * (d.storageTier === 'Archive' ? 0.0026 : 0.0255)) / 30 + 0.05;
    } else if (r.kind === 'adb' && !d.isFreeTier) {
      db += r.state === 'STOPPED' ? 0 : Number(d.computeCount) * 0.336 * 24;
      db += (Number(d.dataStorageTb) * 1024 * 0.1156) / 30;
    }
  }
  return {
    Compute: round(compute),
    'Block Storage': round(block),
    'Object Storage': round(object),
    Database: round(db),
    Networking: 1.8,
    'Logging Analytics': 0.65,
  };
}
