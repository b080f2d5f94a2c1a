import { generateText } from 'ai';
import type { LanguageModelV4 } from '@ai-sdk/provider';
import type { FastifyBaseLogger } from 'fastify';
import type { DetectedFinding } from './analysers/index.ts';
import type { Domain } from './findings.tables.ts';

/** Writes a run summary from its findings; null keeps the rules' summary. */
export type RunSynthesizer = (input: { domain: Domain; findings: readonly DetectedFinding[]; rulesSummary: string }) => Promise<{
  summary: string;
  model: string;
} | null>;

/** The model the synthesis pass uses, or null when only the offline model is configured. */
export type SynthesisModel = () => Promise<{ model: LanguageModelV4; id: string } | null>;

const SEVERITY_RANK: Record<string, number> = { critical: 0, high: 1, medium: 2, low: 3, info: 4 };
const MAX_IN_PROMPT = 25;
const MAX_SUMMARY_CHARS = 2000;

/** The prompt: the rules' summary plus the top findings by severity, then saving (bounded). */
export function synthesisPrompt(domain: Domain, findings: readonly DetectedFinding[], rulesSummary: string): string {
  const top = [...findings]
    .sort((a, b) => (SEVERITY_RANK[a.severity] ?? 9) - (SEVERITY_RANK[b.severity] ?? 9) || b.monthlySaving - a.monthlySaving)
    .slice(0, MAX_IN_PROMPT);
  const lines = top.map(
    (f) => `- [${f.severity}] ${f.title}${f.monthlySaving ? ` (saves ~$${f.monthlySaving.toFixed(2)}/month)` : ''}: ${f.recommendation}`,
  );
  return [
    `CloudAdvisor ${domain} analysis of an Oracle Cloud tenancy.`,
    `Rule engine summary: ${rulesSummary}`,
    `Top findings (${top.length} of ${findings.length}):`,
    ...lines,
    '',
    'Write a 2–4 sentence executive summary for the operations team: what matters most, what to do first, and the total saving. Plain text, no lists, no invented numbers.',
  ].join('\n');
}

/**
 * The optional AI pass over a finished run: with a configured (non-offline) default model it
 * rewrites the summary from the deterministic findings; any error or timeout keeps the rules'
 * summary (the run never fails because of it).
 */
export function createRunSynthesizer(deps: {
  model: SynthesisModel;
  log: Pick<FastifyBaseLogger, 'warn'>;
  timeoutMs?: number;
}): RunSynthesizer {
  return async ({ domain, findings, rulesSummary }) => {
    if (findings.length === 0) return null;
    try {
      const chosen = await deps.model();
      if (!chosen) return null;
      const { text } = await generateText({
        model: chosen.model,
        system: 'You are CloudAdvisor, a careful OCI cost, security and reliability analyst. Never invent figures.',
        prompt: synthesisPrompt(domain, findings, rulesSummary),
        maxOutputTokens: 400,
        abortSignal: AbortSignal.timeout(deps.timeoutMs ?? 20_000),
      });
      const summary = text.trim().slice(0, MAX_SUMMARY_CHARS);
      return summary ? { summary, model: chosen.id } : null;
    } catch (err) {
      deps.log.warn(
        { domain, err: err instanceof Error ? err.message : String(err) },
        'advisor: AI summary failed; keeping the rules summary',
      );
      return null;
    }
  };
}
