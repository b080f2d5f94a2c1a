/**
 * Route-level config every route may declare. `public` routes need no credentials; others name
 * the permission the auth hook enforces. `rateCategory` picks the layer-2 limit.
 */
declare module 'fastify' {
  interface FastifyContextConfig {
    public?: boolean;
    permission?: string;
    rateCategory?: 'chat' | 'streams' | 'api' | 'public' | 'auth' | 'setup';
  }
}
export {};
