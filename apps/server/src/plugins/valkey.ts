import fp from 'fastify-plugin';
import { ValkeyConnection } from '../lib/valkey.ts';
import { withTimeout } from '../db/database.ts';

/** The Valkey connections of this process: `pub` for commands and publishing, `sub` for pub/sub. */
export interface ValkeyClients {
  readonly pub: ValkeyConnection;
  readonly sub: ValkeyConnection;
  readonly prefix: string;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** null when VALKEY_URL is unset, or when Valkey was unreachable at boot (in-process fallback). */
    valkey: ValkeyClients | null;
  }
}

/**
 * Connects to Valkey when configured. If it cannot be reached within 5 s the process degrades to
 * in-process cache/events/limits and says so loudly — a multi-replica deployment must then be
 * fixed, but the portal keeps serving.
 */
export default fp(
  async (app, opts: { url: string | null; prefix: string }) => {
    let clients: ValkeyClients | null = null;
    if (opts.url) {
      const pub = new ValkeyConnection(opts.url, 'pub', app.log);
      const sub = new ValkeyConnection(opts.url, 'sub', app.log);
      try {
        await withTimeout(Promise.all([pub.connect(), sub.connect()]), 5000);
        clients = { pub, sub, prefix: opts.prefix };
      } catch (err) {
        app.log.error(
          { err: err instanceof Error ? err.message : String(err) },
          'valkey: unreachable at boot; using in-process cache, events and limits',
        );
        await Promise.all([pub.disconnect(), sub.disconnect()]);
      }
    }
    app.decorate('valkey', clients);
    app.addHook('onClose', async () => {
      if (clients) await Promise.all([clients.pub.disconnect(), clients.sub.disconnect()]);
    });
  },
  { name: 'valkey' },
);
