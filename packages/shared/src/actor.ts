import type { Permission, Role } from './permissions.ts';

/**
 * Who is making a request: built once per request (from a session or an API key) and trusted by
 * every module. Services take it as their first argument.
 */
export interface Actor {
  readonly userId: string;
  readonly orgId: string;
  readonly role: Role;
  readonly permissions: readonly Permission[];
  readonly via: 'session' | 'apiKey';
  /** The API key's id when `via` is 'apiKey'. */
  readonly apiKeyId?: string;
  /** The session id when `via` is 'session'. */
  readonly sessionId?: string;
}
