/** Limits both sides enforce (the server authoritatively, the web app for early feedback). */
export const LIMITS = {
  /** Default and maximum page size for lists. */
  pageDefault: 50,
  pageMax: 500,
  /** Chat input across a request's messages. */
  chatInputChars: 50_000,
  chatMessagesMax: 100,
  /** Tool output cap before truncation. */
  toolOutputBytes: 100 * 1024,
  /** Workflow definition size. */
  workflowNodesMax: 100,
  /** Search results. */
  searchLimitMax: 50,
} as const;
