import type { ColumnType, Generated } from 'kysely';
import type { CreatedAt } from '../../db/schema.ts';

/** Events a subscription can ask for. */
export const WEBHOOK_EVENTS = [
  'tool.executed',
  'approval.requested',
  'approval.decided',
  'workflow.completed',
  'workflow.failed',
  'finding.created',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENTS)[number];

export interface WebhookSubscriptionsTable {
  id: Generated<string>;
  org_id: string;
  url: string;
  description: ColumnType<string, string | undefined, string>;
  event_types: ColumnType<string[], string[], string[]>;
  status: ColumnType<'active' | 'paused', 'active' | 'paused' | undefined, 'active' | 'paused'>;
  paused_reason: string | null;
  secret_sealed: string;
  consecutive_failures: ColumnType<number, number | undefined, number>;
  created_by: string;
  created_at: CreatedAt;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface WebhookDeliveriesTable {
  id: Generated<string>;
  org_id: string;
  subscription_id: string;
  event_id: string;
  event_type: string;
  attempt: number;
  status: 'succeeded' | 'failed';
  response_status: number | null;
  error: string | null;
  duration_ms: number;
  body: string;
  created_at: CreatedAt;
}

declare module '../../db/schema.ts' {
  interface DB {
    webhook_subscriptions: WebhookSubscriptionsTable;
    webhook_deliveries: WebhookDeliveriesTable;
  }
}
