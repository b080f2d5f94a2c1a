import type { RunStatus, StepStatus } from './workflows.tables.ts';

/** A run status change on the bus (`workflow.status`, plus the lifecycle names for webhooks). */
export interface RunStatusEvent {
  orgId: string;
  runId: string;
  definitionId: string;
  status: RunStatus;
  at: string;
  error?: string | null;
  suspendedNode?: string | null;
}

/** A step change on the bus (`workflow.step`), for live streams. */
export interface StepEvent {
  orgId: string;
  runId: string;
  nodeId: string;
  iteration: number;
  status: StepStatus;
  at: string;
  error?: string | null;
}

/** Payload of a node job: which node of which run (the org keeps the worker in the tenant's RLS). */
export interface NodeJob {
  orgId: string;
  runId: string;
  nodeId: string;
}

/** A definition was created, edited, published/archived or deleted (the search indexer re-reads it). */
export interface DefinitionChangedEvent {
  orgId: string;
  definitionId: string;
  change: 'saved' | 'deleted';
}

declare module '../../plugins/events.ts' {
  interface EventMap {
    'workflow.definition': DefinitionChangedEvent;
    'workflow.status': RunStatusEvent;
    'workflow.step': StepEvent;
    'workflow.started': RunStatusEvent;
    'workflow.suspended': RunStatusEvent;
    'workflow.completed': RunStatusEvent;
    'workflow.failed': RunStatusEvent;
  }
}
