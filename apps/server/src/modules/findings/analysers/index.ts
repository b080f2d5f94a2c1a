import type { Domain } from '../findings.tables.ts';
import { availabilityAnalyser } from './availability.ts';
import { costAnalyser } from './cost.ts';
import { rightsizingAnalyser } from './rightsizing.ts';
import { securityAnalyser } from './security.ts';
import type { Analyser } from './types.ts';

/** The deterministic analyser for each domain. */
export const analysers: Record<Domain, Analyser> = {
  cost: costAnalyser,
  rightsizing: rightsizingAnalyser,
  security: securityAnalyser,
  availability: availabilityAnalyser,
};

export type { Analyser, DetectedFinding } from './types.ts';
