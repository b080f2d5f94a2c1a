import { api, type Page } from './client.ts';

/** Types of the workflows API (`/api/v1/workflows`), as the server's presenters return them. */

export type NodeType = 'input' | 'tool' | 'condition' | 'approval' | 'ai-step' | 'loop' | 'parallel' | 'output';
export type DefinitionStatus = 'draft' | 'published' | 'archived';
export type RunStatus = 'pending' | 'running' | 'suspended' | 'completed' | 'failed' | 'cancelled';

export interface WorkflowNodeDef {
  id: string;
  type: NodeType;
  name?: string;
  config: Record<string, unknown>;
  retry?: { attempts?: number; backoffMs?: number; maxBackoffMs?: number; jitter?: number };
  timeoutMs?: number;
  position?: { x: number; y: number };
}

export interface WorkflowEdgeDef {
  id?: string;
  source: string;
  target: string;
  branch?: 'true' | 'false';
}

export interface DefinitionSummary {
  id: string;
  name: string;
  description: string;
  status: DefinitionStatus;
  tags: string[];
  currentVersion: number;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  nodeCount?: number;
  edgeCount?: number;
}

export interface DefinitionDetail extends DefinitionSummary {
  nodes: WorkflowNodeDef[];
  edges: WorkflowEdgeDef[];
  inputSchema: Record<string, unknown> | null;
}

export interface RunSummary {
  id: string;
  definitionId: string;
  version: number;
  status: RunStatus;
  trigger: string;
  startedBy: string;
  input: unknown;
  output: unknown;
  error: string | null;
  suspendedNode: string | null;
  stepsExecuted: number;
  createdAt: string;
  finishedAt: string | null;
}

export interface StepView {
  nodeId: string;
  iteration: number;
  nodeType: string;
  status: string;
  attempts: number;
  output: unknown;
  error: string | null;
  startedAt: string | null;
  finishedAt: string | null;
}

export interface RunDetail extends RunSummary {
  steps: StepView[];
}

export interface TemplateSummary {
  id: string;
  name: string;
  description: string;
  tags: string[];
  nodeCount: number;
}

/** A catalogue tool (`GET /api/v1/tools`). */
export interface ToolSummary {
  name: string;
  description: string;
  category: string;
  risk: 'read' | 'low' | 'medium' | 'high' | 'critical';
  changes: string;
  enabled: boolean;
  approval: 'never' | 'once_per_thread' | 'always';
  requiresApproval: boolean;
}

export interface ToolDetail extends ToolSummary {
  inputSchema: JsonSchema;
}

/** The subset of JSON Schema the forms understand. */
export interface JsonSchema {
  type?: string | string[];
  description?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  enum?: unknown[];
  default?: unknown;
  items?: JsonSchema;
  [k: string]: unknown;
}

/** A model offered by `GET /api/models`. */
export interface ModelInfo {
  id: string;
  providerId: string;
  providerName: string;
  type: string;
  model: string;
  label: string;
  offline: boolean;
  default: boolean;
}

export interface GraphBody {
  name: string;
  description: string;
  nodes: WorkflowNodeDef[];
  edges: WorkflowEdgeDef[];
  inputSchema: Record<string, unknown> | null;
}

export const TERMINAL_RUN: ReadonlySet<RunStatus> = new Set(['completed', 'failed', 'cancelled']);

export const workflowsApi = {
  list: (q: { limit: number; offset: number; status?: DefinitionStatus | ''; search?: string }) =>
    api.get<Page<DefinitionSummary>>('/api/v1/workflows', q),
  get: (id: string) => api.get<DefinitionDetail>(`/api/v1/workflows/${id}`),
  create: (body: GraphBody) => api.post<DefinitionDetail>('/api/v1/workflows', body),
  update: (id: string, body: Partial<GraphBody>) => api.put<DefinitionDetail>(`/api/v1/workflows/${id}`, body),
  remove: (id: string) => api.del(`/api/v1/workflows/${id}`),
  publish: (id: string) => api.post<DefinitionDetail>(`/api/v1/workflows/${id}/publish`),
  archive: (id: string) => api.post<DefinitionDetail>(`/api/v1/workflows/${id}/archive`),
  run: (id: string, input: Record<string, unknown>) =>
    api.post<{ runId: string; status: RunStatus }>(`/api/v1/workflows/${id}/run`, { input }),
  runs: (q: { limit: number; offset: number; status?: RunStatus | ''; definitionId?: string }) =>
    api.get<Page<RunSummary>>('/api/v1/workflows/runs', q),
  runDetail: (id: string) => api.get<RunDetail>(`/api/v1/workflows/runs/${id}`),
  approve: (id: string, comment?: string) => api.post<RunSummary>(`/api/v1/workflows/runs/${id}/approve`, comment ? { comment } : {}),
  reject: (id: string, comment?: string) => api.post<RunSummary>(`/api/v1/workflows/runs/${id}/reject`, comment ? { comment } : {}),
  cancel: (id: string) => api.post<RunSummary>(`/api/v1/workflows/runs/${id}/cancel`),
  templates: () => api.get<{ items: TemplateSummary[] }>('/api/v1/workflows/templates'),
  fromTemplate: (templateId: string) => api.post<DefinitionDetail>(`/api/v1/workflows/templates/${encodeURIComponent(templateId)}`),
  tools: () => api.get<{ items: ToolSummary[]; total: number }>('/api/v1/tools'),
  tool: (name: string) => api.get<ToolDetail>(`/api/v1/tools/${encodeURIComponent(name)}`),
  models: () => api.get<{ models: ModelInfo[] }>('/api/models'),
};

/** Badge tone of a run or step status. */
export function statusTone(status: string): 'neutral' | 'good' | 'warn' | 'bad' | 'info' {
  switch (status) {
    case 'completed':
    case 'published':
    case 'succeeded':
      return 'good';
    case 'failed':
    case 'cancelled':
      return 'bad';
    case 'suspended':
    case 'waiting':
      return 'warn';
    case 'running':
    case 'pending':
      return 'info';
    default:
      return 'neutral';
  }
}
