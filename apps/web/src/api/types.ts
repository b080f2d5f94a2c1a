/**
 * Response shapes of the server routes the portal pages read (mirrors the server's zod response
 * schemas; only the fields the pages use are relied upon).
 */

/** `GET /api/setup/status` */
export interface SetupStatus {
  setupComplete: boolean;
  adminCreated: boolean;
  aiProviderConfigured: boolean;
}

/** `GET /api/setup/detect-env` */
export interface DetectedEnv {
  database: 'pglite' | 'postgres';
  vector: boolean;
  cache: 'memory' | 'valkey';
  publicUrl: string;
  ociConfigFile: boolean;
  nodeVersion: string;
}

/** `GET /api/settings/public` */
export interface PublicSettings {
  name: string;
  signupEnabled: boolean;
  maintenanceMode: boolean;
  maintenanceMessage: string | null;
  termsUrl: string | null;
  privacyUrl: string | null;
  setupComplete: boolean;
}

/** `GET /api/auth/providers` */
export interface AuthProviders {
  providers: { id: string; label: string }[];
}

/** `GET /api/invitations/:id` */
export interface InvitationInfo {
  id: string;
  orgName: string;
  email: string;
  role: string;
  status: string;
  expiresAt: string;
}

/** `GET /api/models` */
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

/** An approval of the tool gate (`/api/approvals`). */
export interface Approval {
  id: string;
  tool: string;
  args: Record<string, unknown>;
  risk: string;
  via: string;
  threadId: string | null;
  requestedBy: string;
  status: 'pending' | 'approved' | 'denied' | 'expired';
  decidedBy: string | null;
  decidedAt: string | null;
  reason: string | null;
  expiresAt: string;
  consumedAt: string | null;
  createdAt: string;
}

export const EXECUTION_STATUSES = ['ok', 'error', 'denied', 'pending_approval', 'invalid'] as const;

/** One audited tool execution (`/api/activity`, `/api/audit/tools`). */
export interface Execution {
  id: string;
  userId: string;
  apiKeyId: string | null;
  via: 'chat' | 'api' | 'mcp' | 'workflow';
  tool: string;
  args: unknown;
  status: (typeof EXECUTION_STATUSES)[number];
  approvalId: string | null;
  approverId: string | null;
  durationMs: number;
  errorCode: string | null;
  error: string | null;
  threadId: string | null;
  createdAt: string;
}

export const TOOL_CATEGORIES = [
  'compute',
  'networking',
  'storage',
  'database',
  'identity',
  'observability',
  'logging',
  'search',
  'billing',
  'pricing',
  'terraform',
] as const;
export const RISKS = ['read', 'low', 'medium', 'high', 'critical'] as const;

/** A tool of the catalogue (`GET /api/v1/tools`). */
export interface ToolSummary {
  name: string;
  description: string;
  category: (typeof TOOL_CATEGORIES)[number];
  risk: (typeof RISKS)[number];
  changes: string;
  enabled: boolean;
  approval: 'never' | 'once_per_thread' | 'always';
  requiresApproval: boolean;
}

/** `GET /api/v1/tools/:name` */
export interface ToolDetail extends ToolSummary {
  inputSchema: Record<string, unknown>;
}

/** `POST /api/v1/tools/:name/execute` */
export type ExecuteResult =
  | { status: 'ok'; output: unknown; truncated: boolean; durationMs: number; approvalId: string | null }
  | { status: 'error'; error: { code: string; message: string } }
  | { status: 'pending_approval'; approval: Approval };

/** A Charlie conversation (`GET /api/chat/threads`). */
export interface ThreadSummary {
  id: string;
  title: string;
  model: string | null;
  messageCount: number;
  createdAt: string;
  updatedAt: string;
}

/** `GET /api/chat/threads/:id` */
export interface ThreadDetail extends ThreadSummary {
  messages: {
    id: string;
    role: 'system' | 'user' | 'assistant';
    parts: ({ type: string } & Record<string, unknown>)[];
    metadata: Record<string, unknown>;
    status: 'complete' | 'streaming' | 'aborted' | 'error';
    createdAt: string;
  }[];
  hasMore: boolean;
}

export interface Finding {
  id: string;
  domain: string;
  rule: string;
  severity: string;
  title: string;
  summary: string;
  monthlySaving: number;
  charliePrompt: string;
  status: string;
}

/** `GET /api/advisor/summary` */
export interface AdvisorSummary {
  domains: {
    domain: string;
    open: number;
    monthlySaving: number;
    bySeverity: Record<string, number>;
    latestRun: Record<string, unknown> | null;
  }[];
  totalMonthlySaving: number;
  top: Finding[];
}

/** `GET /api/v1/workflows/templates` */
export interface WorkflowTemplate {
  id: string;
  name: string;
  description: string;
  tags: string[];
  nodeCount: number;
}
