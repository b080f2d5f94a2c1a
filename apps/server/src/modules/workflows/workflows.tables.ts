import type { ColumnType, Generated } from 'kysely';
import type { CreatedAt, Json, NullableTimestamp } from '../../db/schema.ts';
import type { WorkflowEdge, WorkflowNode } from './workflows.schemas.ts';

/** Lifecycle of a definition: drafts and published ones run; archived ones do not. */
export type DefinitionStatus = 'draft' | 'published' | 'archived';
/** Lifecycle of a run; completed, failed and cancelled are terminal. */
export type RunStatus = 'pending' | 'running' | 'suspended' | 'completed' | 'failed' | 'cancelled';
/** Lifecycle of one node execution. */
export type StepStatus = 'pending' | 'running' | 'completed' | 'failed' | 'skipped' | 'suspended' | 'cancelled' | 'compensated';

type Updated = ColumnType<Date, Date | string | undefined, Date | string>;

export interface WorkflowDefinitionsTable {
  id: Generated<string>;
  org_id: string;
  name: string;
  description: ColumnType<string, string | undefined, string>;
  status: ColumnType<DefinitionStatus, DefinitionStatus | undefined, DefinitionStatus>;
  tags: ColumnType<string[], string[] | undefined, string[]>;
  current_version: ColumnType<number, number | undefined, number>;
  created_by: string;
  created_at: CreatedAt;
  updated_at: Updated;
}

export interface WorkflowVersionsTable {
  org_id: string;
  definition_id: string;
  version: number;
  nodes: Json<WorkflowNode[]>;
  edges: Json<WorkflowEdge[]>;
  input_schema: ColumnType<Record<string, unknown> | null, string | null | undefined, string | null>;
  created_at: CreatedAt;
}

export interface WorkflowRunsTable {
  id: Generated<string>;
  org_id: string;
  definition_id: string;
  version: number;
  status: ColumnType<RunStatus, RunStatus | undefined, RunStatus>;
  trigger: ColumnType<string, string | undefined, string>;
  started_by: string;
  actor: Json<Record<string, unknown>>;
  input: Json<Record<string, unknown>>;
  output: ColumnType<unknown, string | null | undefined, string | null>;
  error: string | null;
  suspended_node: string | null;
  steps_executed: ColumnType<number, number | undefined, number>;
  max_steps: number;
  deadline_at: ColumnType<Date, Date | string, Date | string>;
  created_at: CreatedAt;
  updated_at: Updated;
  finished_at: NullableTimestamp;
}

export interface WorkflowRunStepsTable {
  id: Generated<string>;
  org_id: string;
  run_id: string;
  node_id: string;
  iteration: ColumnType<number, number | undefined, number>;
  node_type: string;
  status: ColumnType<StepStatus, StepStatus | undefined, StepStatus>;
  attempts: ColumnType<number, number | undefined, number>;
  output: ColumnType<unknown, string | null | undefined, string | null>;
  error: string | null;
  heartbeat_at: NullableTimestamp;
  seq: Generated<string>;
  created_at: CreatedAt;
  started_at: NullableTimestamp;
  finished_at: NullableTimestamp;
}

export interface WorkflowSchedulesTable {
  org_id: string;
  definition_id: string;
  cron: string;
  timezone: ColumnType<string, string | undefined, string>;
  enabled: ColumnType<boolean, boolean | undefined, boolean>;
  input: ColumnType<Record<string, unknown>, string | undefined, string>;
  created_by: string;
  actor: Json<Record<string, unknown>>;
  created_at: CreatedAt;
  updated_at: Updated;
}

declare module '../../db/schema.ts' {
  interface DB {
    workflow_definitions: WorkflowDefinitionsTable;
    workflow_versions: WorkflowVersionsTable;
    workflow_runs: WorkflowRunsTable;
    workflow_run_steps: WorkflowRunStepsTable;
    workflow_schedules: WorkflowSchedulesTable;
  }
}
