import type { CostRow, LogEntry, MetricName, MetricSeries } from '../types.ts';
import { hash32, noise, round } from './ids.ts';
import type { UsageProfile } from './seed.ts';

/**
 * Generated, never stored: metric series, log entries and daily costs. Each value is a pure
 * function of the tenancy seed, the resource and the absolute time bucket (hour or date), so a
 * point has the same value whenever and on whichever replica it is asked for.
 */

const HOUR = 3_600_000;
const DAY = 86_400_000;

const RANGES: Record<UsageProfile, Record<MetricName, [number, number]>> = {
  idle: { CpuUtilization: [0.4, 3.6], MemoryUtilization: [8, 18] },
  overprovisioned: { CpuUtilization: [5, 16], MemoryUtilization: [14, 34] },
  normal: { CpuUtilization: [22, 55], MemoryUtilization: [40, 68] },
  busy: { CpuUtilization: [58, 92], MemoryUtilization: [62, 86] },
};

/** Utilisation (percent) of one instance in one hour (hours since the Unix epoch). */
export function hourlyValue(instanceId: string, profile: UsageProfile, metric: MetricName, hour: number): number {
  const [lo, hi] = RANGES[profile][metric];
  const seed = hash32(`${instanceId}:${metric}`);
  // A daily wave (peak mid-afternoon UTC) plus per-hour noise, kept inside the profile's range.
  const wave = (Math.sin(((hour % 24) - 9) * (Math.PI / 12)) + 1) / 2;
  const v = lo + (hi - lo) * (0.55 * wave + 0.45 * noise(seed, hour));
  return round(v, 2);
}

/** The series of one metric over the last `days` days at hourly or daily resolution (daily = mean of its hours). */
export function metricSeries(
  instanceId: string,
  profile: UsageProfile,
  metric: MetricName,
  days: number,
  resolution: '1h' | '1d',
  now: Date,
): MetricSeries {
  const endHour = Math.floor(now.getTime() / HOUR);
  const startHour = endHour - days * 24;
  const points: MetricSeries['points'] = [];
  if (resolution === '1h') {
    for (let h = startHour; h < endHour; h++)
      points.push({ timestamp: new Date(h * HOUR).toISOString(), value: hourlyValue(instanceId, profile, metric, h) });
  } else {
    for (let h = startHour; h < endHour; h += 24) {
      let sum = 0;
      for (let i = 0; i < 24; i++) sum += hourlyValue(instanceId, profile, metric, h + i);
      points.push({ timestamp: new Date(h * HOUR).toISOString(), value: round(sum / 24, 2) });
    }
  }
  const values = points.map((p) => p.value);
  const avg = values.reduce((a, b) => a + b, 0) / Math.max(1, values.length);
  return {
    instanceId,
    metric,
    unit: 'percent',
    resolution,
    points,
    summary: { avg: round(avg, 2), min: values.length ? Math.min(...values) : 0, max: values.length ? Math.max(...values) : 0 },
  };
}

/** Average and peak of a metric over `days` (hourly points). */
export function utilization(
  instanceId: string,
  profile: UsageProfile,
  metric: MetricName,
  days: number,
  now: Date,
): { avg: number; max: number } {
  const endHour = Math.floor(now.getTime() / HOUR);
  let sum = 0;
  let max = 0;
  for (let h = endHour - days * 24; h < endHour; h++) {
    const v = hourlyValue(instanceId, profile, metric, h);
    sum += v;
    if (v > max) max = v;
  }
  return { avg: round(sum / (days * 24), 2), max };
}

const LOG_TEMPLATES: [LogEntry['level'], string][] = [
  ['INFO', 'sshd: Accepted publickey for opc from 10.0.0.12'],
  ['INFO', 'systemd: Started Daily dnf makecache timer'],
  ['INFO', 'nginx: GET /healthz 200 2ms'],
  ['INFO', 'oracle-cloud-agent: plugin Compute Instance Monitoring is running'],
  ['WARN', 'kernel: TCP: request_sock_TCP: Possible SYN flooding on port 443'],
  ['WARN', 'sshd: Failed password for invalid user admin from 203.0.113.45'],
  ['INFO', 'audit: UpdateSecurityList succeeded'],
  ['ERROR', 'app: connection to prod-atp timed out after 30000 ms'],
  ['WARN', 'app: slow query 4211 ms on ORDERS'],
  ['ERROR', 'kernel: Out of memory: Killed process 4812 (java)'],
];

/** Log entries of the last `hours` hours for the given sources (newest first), at most 3 per source per hour. */
export function generateLogs(seed: number, sources: { name: string; id: string }[], hours: number, now: Date): LogEntry[] {
  const out: LogEntry[] = [];
  const endHour = Math.floor(now.getTime() / HOUR);
  for (let h = endHour; h > endHour - hours; h--) {
    for (const [si, src] of sources.entries()) {
      const count = Math.floor(noise(seed + si, h) * 3);
      for (let k = 0; k < count; k++) {
        const r = noise(seed ^ (si * 7919 + k), h);
        const idx = r < 0.8 ? Math.floor((r / 0.8) * 7) : 7 + Math.floor(((r - 0.8) / 0.2) * 3);
        const [level, message] = LOG_TEMPLATES[Math.min(idx, LOG_TEMPLATES.length - 1)]!;
        const t = h * HOUR + Math.floor(noise(seed + k, h * 31 + si) * HOUR);
        if (t > now.getTime()) continue;
        out.push({ time: new Date(t).toISOString(), level, source: src.name, message, resourceId: src.id });
      }
    }
  }
  return out.sort((a, b) => (a.time < b.time ? 1 : -1));
}

/** Daily cost per service, oldest first; `base` is each service's typical daily cost in USD. */
export function generateCosts(seed: number, base: Record<string, number>, days: number, now: Date): CostRow[] {
  const out: CostRow[] = [];
  const today = Math.floor(now.getTime() / DAY);
  for (let d = today - days; d < today; d++) {
    const date = new Date(d * DAY).toISOString().slice(0, 10);
    for (const [service, daily] of Object.entries(base)) {
      const weekday = new Date(d * DAY).getUTCDay();
      const weekend = weekday === 0 || weekday === 6 ? 0.92 : 1;
      const cost = daily * weekend * (0.9 + 0.2 * noise(seed ^ hash32(service), d));
      out.push({ date, service, cost: round(cost, 2), currency: 'USD' });
    }
  }
  return out;
}
