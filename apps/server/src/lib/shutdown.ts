import type { FastifyInstance } from 'fastify';

/**
 * Graceful shutdown: mark the server draining (readyz 503; open streams get their terminal event),
 * stop accepting connections, let in-flight requests finish, then run the plugins' onClose hooks in
 * reverse registration order — jobs stop, cache and events close, the database pool closes last.
 * Resolves 'timeout' if that takes longer than `timeoutMs` (the caller then exits anyway).
 */
export async function gracefulShutdown(app: FastifyInstance, timeoutMs: number): Promise<'closed' | 'timeout'> {
  app.lifecycle.beginDrain();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
    timer.unref();
  });
  try {
    return await Promise.race([app.close().then(() => 'closed' as const), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Installs SIGTERM/SIGINT handlers that shut `app` down once and exit. */
export function installSignalHandlers(app: FastifyInstance, timeoutMs: number): void {
  let shuttingDown = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (shuttingDown) return;
    shuttingDown = true;
    app.log.info({ signal, timeoutMs }, 'shutdown: draining');
    void gracefulShutdown(app, timeoutMs).then(
      (outcome) => {
        if (outcome === 'timeout') app.log.warn('shutdown: timed out waiting for in-flight work; exiting');
        else app.log.info('shutdown: complete');
        process.exit(outcome === 'closed' ? 0 : 1);
      },
      (err: unknown) => {
        app.log.error({ err }, 'shutdown: failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
}
