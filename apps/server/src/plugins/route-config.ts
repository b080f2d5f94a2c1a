/**
 * Route-level config every route may declare. `public` routes need no credentials; others name
 * the permission the auth hook enforces. `rateCategory` picks the layer-2 limit.
 */
import type { Actor, Permission } from '@cloudnow/shared';

declare module 'fastify' {
  interface FastifyRequest {
    /** Who is calling: built once per request by the auth plugin; null on public routes without credentials. */
    actor: Actor | null;
  }
  interface FastifyContextConfig {
    public?: boolean;
    permission?: Permission;
    rateCategory?: 'chat' | 'streams' | 'api' | 'public' | 'auth' | 'setup';
  }
}
export {};
