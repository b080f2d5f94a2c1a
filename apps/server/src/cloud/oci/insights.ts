import type { InsightOps } from '../provider.ts';
import { CloudBadRequest } from '../errors.ts';
import type { MetricName, UtilizationSummary } from '../types.ts';
import { pageOf, type OciContext } from './context.ts';
import * as slim from './slim.ts';

const DAY = 86_400_000;
const round = (n: number): number => Math.round(n * 100) / 100;

/** Escapes a value for a single-quoted OCI search / logging query string. */
export function quoteQuery(s: string): string {
  return `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** Identity, Monitoring, Logging Search, Resource Search and the Usage API through the OCI SDK. */
export function ociInsightOps(x: OciContext): InsightOps {
  const root = (c: Awaited<ReturnType<OciContext['clients']>>) => c.tenancyId || c.compartmentId;
  const metrics = (compartmentId: string, metric: MetricName, days: number, resolution: '1h' | '1d', resourceId?: string) =>
    x.call('monitoring', 'summarize metrics', resourceId ? `instance ${resourceId}` : 'the compartment', async (c) => {
      const end = new Date();
      const filter = resourceId ? `{resourceId = ${JSON.stringify(resourceId)}}` : '';
      const r = await c.monitoring.summarizeMetricsData({
        compartmentId,
        summarizeMetricsDataDetails: {
          namespace: 'oci_computeagent',
          query: `${metric}[${resolution}]${filter}.mean()`,
          startTime: new Date(end.getTime() - days * DAY),
          endTime: end,
          resolution,
        },
      });
      return r.items;
    });
  return {
    listCompartments: (o) =>
      x.call('identity', 'list compartments', 'the tenancy', async (c) =>
        pageOf(
          (
            await c.identity.listCompartments({
              compartmentId: root(c),
              compartmentIdInSubtree: true,
              accessLevel: 'ACCESSIBLE' as any,
              limit: x.limit(o),
            })
          ).items,
          slim.compartment,
          x.limit(o),
        ),
      ),
    listUsers: (o) =>
      x.call('identity', 'list users', 'the tenancy', async (c) =>
        pageOf((await c.identity.listUsers({ compartmentId: root(c), limit: x.limit(o) })).items, slim.user, x.limit(o)),
      ),
    listGroups: (o) =>
      x.call('identity', 'list groups', 'the tenancy', async (c) =>
        pageOf((await c.identity.listGroups({ compartmentId: root(c), limit: x.limit(o) })).items, slim.group, x.limit(o)),
      ),
    listPolicies: (o) =>
      x.call('identity', 'list policies', 'the compartment', async (c) =>
        pageOf(
          (await c.identity.listPolicies({ compartmentId: o?.compartmentId ?? root(c), limit: x.limit(o) })).items,
          slim.policy,
          x.limit(o),
        ),
      ),
    getPolicy: (id) =>
      x.call('identity', 'get policy', `policy ${id}`, async (c) => slim.policy((await c.identity.getPolicy({ policyId: id })).policy)),
    createPolicy: (s) =>
      x.call('identity', 'create policy', `policy ${s.name}`, async (c) =>
        slim.policy(
          (
            await c.identity.createPolicy({
              createPolicyDetails: {
                compartmentId: s.compartmentId ?? root(c),
                name: s.name,
                description: s.description,
                statements: s.statements,
              },
            })
          ).policy,
        ),
      ),
    deletePolicy: (id) =>
      x.call('identity', 'delete policy', `policy ${id}`, async (c) => {
        await c.identity.deletePolicy({ policyId: id });
        return { deleted: true as const, id };
      }),
    getInstanceMetrics: async (q) => {
      const resolution = q.resolution ?? (q.days <= 2 ? '1h' : '1d');
      const c = await x.clients();
      const inst = await x.call(
        'compute',
        'get instance',
        `instance ${q.instanceId}`,
        async (cl) => (await cl.compute.getInstance({ instanceId: q.instanceId })).instance,
      );
      const items = await metrics(inst.compartmentId ?? c.compartmentId, q.metric, q.days, resolution, q.instanceId);
      const points = (items[0]?.aggregatedDatapoints ?? []).map((p) => ({
        timestamp: new Date(p.timestamp).toISOString(),
        value: round(p.value),
      }));
      const values = points.map((p) => p.value);
      const avg = values.length ? values.reduce((a, b) => a + b, 0) / values.length : 0;
      return {
        instanceId: q.instanceId,
        metric: q.metric,
        unit: 'percent',
        resolution,
        points,
        summary: { avg: round(avg), min: values.length ? Math.min(...values) : 0, max: values.length ? Math.max(...values) : 0 },
      };
    },
    // Two Monitoring calls for the whole compartment (one per metric), joined with the instance list.
    summarizeUtilization: async (q) => {
      const c = await x.clients();
      const compartmentId = q.compartmentId ?? c.compartmentId;
      const [instances, cpu, mem] = await Promise.all([
        x.call(
          'compute',
          'list instances',
          'the compartment',
          async (cl) => (await cl.compute.listInstances({ compartmentId, lifecycleState: 'RUNNING' as any, limit: x.limit(q) })).items,
        ),
        metrics(compartmentId, 'CpuUtilization', q.days, '1h'),
        metrics(compartmentId, 'MemoryUtilization', q.days, '1h'),
      ]);
      const stats = (series: typeof cpu) =>
        new Map(
          series.map((s) => {
            const v = s.aggregatedDatapoints.map((p) => p.value);
            return [
              s.dimensions?.resourceId ?? '',
              { avg: v.length ? round(v.reduce((a, b) => a + b, 0) / v.length) : 0, max: v.length ? round(Math.max(...v)) : 0 },
            ];
          }),
        );
      const cpuBy = stats(cpu);
      const memBy = stats(mem);
      const items: UtilizationSummary[] = instances.map((i) => ({
        instanceId: i.id,
        name: i.displayName ?? '',
        shape: i.shape,
        days: q.days,
        cpuAvg: cpuBy.get(i.id)?.avg ?? 0,
        cpuMax: cpuBy.get(i.id)?.max ?? 0,
        memoryAvg: memBy.get(i.id)?.avg ?? 0,
        memoryMax: memBy.get(i.id)?.max ?? 0,
      }));
      return { items, count: items.length };
    },
    listAlarms: (o) =>
      x.call('monitoring', 'list alarms', 'the compartment', async (c) =>
        pageOf((await c.monitoring.listAlarms({ compartmentId: x.compartment(c, o), limit: x.limit(o) })).items, slim.alarm, x.limit(o)),
      ),
    createAlarm: (s) =>
      x.call('monitoring', 'create alarm', `alarm ${s.name}`, async (c) => {
        if (!s.destinationTopicId) throw new CloudBadRequest('destinationTopicId: an OCI alarm needs a Notifications topic to send to');
        const compartmentId = s.compartmentId ?? c.compartmentId;
        const details = {
          displayName: s.name,
          compartmentId,
          metricCompartmentId: compartmentId,
          namespace: 'oci_computeagent',
          query: `${s.metric}[5m].mean() > ${s.threshold}`,
          severity: s.severity as any,
          destinations: [s.destinationTopicId],
          isEnabled: true,
        };
        return slim.alarm((await c.monitoring.createAlarm({ createAlarmDetails: details })).alarm);
      }),
    searchLogs: (q) =>
      x.call('logging', 'search logs', 'the logs', async (c) => {
        const end = new Date();
        const where = [
          q.text ? `logContent like ${quoteQuery(`%${q.text}%`)}` : null,
          q.level ? `data.level = ${quoteQuery(q.level)}` : null,
        ].filter(Boolean);
        const searchQuery = `search ${JSON.stringify(c.compartmentId)}${where.length ? ` | where ${where.join(' and ')}` : ''} | sort by datetime desc`;
        const r = await c.logSearch.searchLogs({
          searchLogsDetails: {
            timeStart: new Date(end.getTime() - q.hours * 3_600_000),
            timeEnd: end,
            searchQuery,
            isReturnFieldInfo: false,
          },
          limit: x.limit(q),
        });
        return pageOf(r.searchResponse.results, slim.logEntry, x.limit(q));
      }),
    searchResources: (q) =>
      x.call('resource search', 'search resources', 'the tenancy', async (c) => {
        const type = q.resourceType ? q.resourceType.replace(/[^A-Za-z]/g, '') : 'all';
        const query = `query ${type} resources${q.text ? ` where displayName =~ ${quoteQuery(q.text)}` : ''}`;
        const r = await c.resourceSearch.searchResources({ searchDetails: { type: 'Structured', query } as any, limit: x.limit(q) });
        return pageOf(r.resourceSummaryCollection.items, slim.searchResult, x.limit(q));
      }),
    getDailyCosts: (q) =>
      x.call('usage', 'summarize usage', 'the tenancy', async (c) => {
        const today = Math.floor(Date.now() / DAY) * DAY;
        const r = await c.usage.requestSummarizedUsages({
          requestSummarizedUsagesDetails: {
            tenantId: root(c),
            timeUsageStarted: new Date(today - q.days * DAY),
            timeUsageEnded: new Date(today),
            granularity: 'DAILY' as any,
            queryType: 'COST' as any,
            groupBy: ['service'],
            filter: q.service ? ({ operator: 'AND', dimensions: [{ key: 'service', value: q.service }] } as any) : undefined,
          },
        });
        const items = (r.usageAggregation.items ?? []).map((u) => ({
          date: new Date(u.timeUsageStarted).toISOString().slice(0, 10),
          service: u.service ?? 'Other',
          cost: round(u.computedAmount ?? 0),
          currency: u.currency ?? 'USD',
        }));
        items.sort((a, b) => (a.date === b.date ? a.service.localeCompare(b.service) : a.date < b.date ? -1 : 1));
        return { currency: items[0]?.currency ?? 'USD', items, count: items.length };
      }),
  };
}
