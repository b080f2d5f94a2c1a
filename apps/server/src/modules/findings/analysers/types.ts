import type { CloudProvider } from '../../../cloud/provider.ts';
import type { Domain, Severity } from '../findings.tables.ts';

/** What an analyser reports; the fingerprint makes re-runs update instead of duplicate. */
export interface DetectedFinding {
  fingerprint: string;
  domain: Domain;
  rule: string;
  severity: Severity;
  /** 0..1 */
  confidence: number;
  title: string;
  summary: string;
  impact: string;
  recommendation: string;
  monthlySaving: number;
  resources: Array<{ id: string; name: string; type: string }>;
  charliePrompt: string;
  /** Which API calls and numbers led to the finding. */
  evidence: Array<{ call: string; observed: string }>;
}

/** A deterministic rule set over one tenancy. */
export type Analyser = (cloud: CloudProvider) => Promise<DetectedFinding[]>;

/** Pages through a list call (bounded: at most `max` items). */
export async function all<T>(fetch: (o: { limit: number; offset: number }) => Promise<{ items: T[] }>, max = 2000): Promise<T[]> {
  const out: T[] = [];
  for (let offset = 0; offset < max; offset += 500) {
    const page = await fetch({ limit: 500, offset });
    out.push(...page.items);
    if (page.items.length < 500) break;
  }
  return out;
}

export const money = (x: number): number => Math.round(x * 100) / 100;
