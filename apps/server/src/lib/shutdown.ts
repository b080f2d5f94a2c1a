import type { FastifyInstance } from 'fastify';

/** Options of `gracefulShutdown`. */
export interface ShutdownOptions {
  /**
   * How long to keep accepting connections after readyz turned 503 `draining`, so a load balancer
   * notices and stops routing here before the listener closes (SHUTDOWN_DRAIN_DELAY_SECONDS).
   * Responses in this window carry `Connection: close`. Default 0.
   */
  drainDelayMs?: number;
  /** Instead of the delay: keep accepting until this settles (tests hold the window open). */
  holdOpen?: Promise<unknown>;
}

/**
 * Graceful shutdown: mark the server draining (readyz 503; open streams get their terminal event),
 * optionally keep accepting for `drainDelayMs`, stop accepting connections, let in-flight requests
 * finish, then run the plugins' onClose hooks in reverse registration order — jobs stop, cache and
 * events close, the database pool closes last. Resolves 'timeout' if all that takes longer than
 * `timeoutMs` (the delay included; the caller then exits anyway).
 */
export async function gracefulShutdown(
  app: FastifyInstance,
  timeoutMs: number,
  options: ShutdownOptions = {},
): Promise<'closed' | 'timeout'> {
  app.lifecycle.beginDrain();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
    timer.unref();
  });
  const delay = Math.max(0, Math.min(options.drainDelayMs ?? 0, timeoutMs));
  const hold = options.holdOpen
    ? options.holdOpen.then(
        () => 'waited' as const,
        () => 'waited' as const,
      )
    : delay > 0
      ? new Promise<'waited'>((r) => setTimeout(() => r('waited'), delay))
      : null;
  if (hold && (await Promise.race([hold, timeout])) === 'timeout') return 'timeout';
  // `server.close()` closes the connections idle at that instant only; sweep the ones that go
  // idle later (a response that finished without `Connection: close`) so the drain can end.
  const sweep = setInterval(() => app.server.closeIdleConnections(), 100);
  sweep.unref();
  try {
    return await Promise.race([app.close().then(() => 'closed' as const), timeout]);
  } finally {
    clearTimeout(timer);
    clearInterval(sweep);
  }
}

/** Installs SIGTERM/SIGINT handlers that shut `app` down once and exit. */
export function installSignalHandlers(app: FastifyInstance, timeoutMs: number, options: ShutdownOptions = {}): void {
  let shuttingDown = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (shuttingDown) return;
    shuttingDown = true;
    app.log.info({ signal, timeoutMs, drainDelayMs: options.drainDelayMs ?? 0 }, 'shutdown: draining');
    void gracefulShutdown(app, timeoutMs, options).then(
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
