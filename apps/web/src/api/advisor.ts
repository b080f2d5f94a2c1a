import { api, withQuery, type Page } from './client.ts';

/** Types of CloudAdvisor (`/api/advisor`). */

export const DOMAINS = ['cost', 'rightsizing', 'security', 'availability'] as const;
export type Domain = (typeof DOMAINS)[number];
export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];
export const FINDING_STATUSES = ['open', 'acknowledged', 'resolved', 'dismissed'] as const;
export type FindingStatus = (typeof FINDING_STATUSES)[number];

export interface Finding {
  id: string;
  domain: Domain;
  rule: string;
  severity: Severity;
  confidence: number;
  title: string;
  summary: string;
  impact: string;
  recommendation: string;
  monthlySaving: number;
  resources: Array<{ id: string; name: string; type: string }>;
  charliePrompt: string;
  evidence: Array<{ call: string; observed: string }>;
  status: FindingStatus;
  statusNote: string | null;
  firstSeenAt: string;
  lastSeenAt: string;
}

export interface AdvisorRun {
  id: string;
  domain: Domain;
  status: string;
  summary?: string | null;
  stats?: Record<string, unknown>;
  error?: string | null;
  createdAt?: string;
  finishedAt?: string | null;
}

export interface AdvisorSummary {
  domains: Array<{
    domain: Domain;
    open: number;
    monthlySaving: number;
    bySeverity: Record<string, number>;
    latestRun: Record<string, unknown> | null;
  }>;
  totalMonthlySaving: number;
  top: Finding[];
}

export const DOMAIN_LABEL: Record<Domain, string> = {
  cost: 'Cost',
  rightsizing: 'Rightsizing',
  security: 'Security',
  availability: 'Availability',
};

export const advisorApi = {
  summary: () => api.get<AdvisorSummary>('/api/advisor/summary'),
  findings: (q: { domain?: Domain | ''; severity?: Severity[]; status?: FindingStatus[]; limit: number; offset: number }) =>
    api.get<Page<Finding>>(
      withQuery('/api/advisor/findings', {
        domain: q.domain,
        severity: q.severity?.length ? q.severity.join(',') : undefined,
        status: q.status?.length ? q.status.join(',') : undefined,
        limit: q.limit,
        offset: q.offset,
      }),
    ),
  finding: (id: string) => api.get<Finding>(`/api/advisor/findings/${id}`),
  setStatus: (id: string, status: FindingStatus, note?: string) =>
    api.patch<Finding>(`/api/advisor/findings/${id}`, { status, ...(note ? { note } : {}) }),
  startRuns: (domains?: Domain[]) =>
    api.post<{ runs: AdvisorRun[]; alreadyRunning: Domain[] }>('/api/advisor/runs', domains ? { domains } : {}),
  run: (id: string) => api.get<AdvisorRun>(`/api/advisor/runs/${id}`),
};

/** Badge tone of a severity. */
export function severityTone(s: string): 'bad' | 'warn' | 'info' | 'neutral' {
  return s === 'critical' || s === 'high' ? 'bad' : s === 'medium' ? 'warn' : s === 'low' ? 'info' : 'neutral';
}

const money = new Intl.NumberFormat(undefined, { style: 'currency', currency: 'USD', maximumFractionDigits: 0 });
/** A monthly saving as currency ("$1,240"). */
export function formatMoney(n: number): string {
  return money.format(n);
}

/** The Charlie page with a prompt filled in. */
export function askCharlieLink(prompt: string): string {
  return `/chat?prompt=${encodeURIComponent(prompt)}`;
}
