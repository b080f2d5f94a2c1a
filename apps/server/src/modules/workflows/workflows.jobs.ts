import type { NodeJob } from './workflows.events.ts';

/** The workflow queues (augments the typed job map). */
declare module '../../plugins/jobs.ts' {
  interface JobMap {
    'workflows.node': NodeJob;
    'workflows.approval-timeout': NodeJob;
    'workflows.scheduled': { orgId: string; definitionId: string };
  }
}
