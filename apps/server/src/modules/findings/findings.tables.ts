import type { ColumnType, Generated } from 'kysely';
import type { CreatedAt, NullableTimestamp } from '../../db/schema.ts';

export const DOMAINS = ['cost', 'rightsizing', 'security', 'availability'] as const;
export type Domain = (typeof DOMAINS)[number];
export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];
export const FINDING_STATUSES = ['open', 'acknowledged', 'resolved', 'dismissed'] as const;
export type FindingStatus = (typeof FINDING_STATUSES)[number];

export interface AdvisorRunsTable {
  id: Generated<string>;
  org_id: string;
  domain: Domain;
  status: ColumnType<'queued' | 'running' | 'completed' | 'failed', 'queued' | 'running' | undefined, 'running' | 'completed' | 'failed'>;
  trigger: ColumnType<string, string | undefined, string>;
  summary: string | null;
  stats: ColumnType<Record<string, unknown>, string | undefined, string>;
  error: string | null;
  created_by: string | null;
  created_at: CreatedAt;
  finished_at: NullableTimestamp;
}

export interface FindingsTable {
  id: Generated<string>;
  org_id: string;
  fingerprint: string;
  domain: Domain;
  rule: string;
  severity: Severity;
  confidence: number;
  title: string;
  summary: string;
  impact: string;
  recommendation: string;
  monthly_saving: ColumnType<string, number | undefined, number>;
  resources: ColumnType<Array<{ id: string; name: string; type: string }>, string, string>;
  charlie_prompt: string;
  evidence: ColumnType<Array<{ call: string; observed: string }>, string, string>;
  status: ColumnType<FindingStatus, FindingStatus | undefined, FindingStatus>;
  status_note: string | null;
  last_run_id: string;
  first_seen_at: CreatedAt;
  last_seen_at: ColumnType<Date, Date | string | undefined, Date | string>;
  resolved_at: NullableTimestamp;
}

declare module '../../db/schema.ts' {
  interface DB {
    advisor_runs: AdvisorRunsTable;
    findings: FindingsTable;
  }
}
