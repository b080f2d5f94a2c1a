import { Valkey } from 'iovalkey';
import type { FastifyBaseLogger } from 'fastify';

/**
 * A Valkey connection whose lifecycle handlers are owned: `connect()` attaches exactly one
 * `ready`/`error`/`end` handler and `disconnect()` removes them before quitting, so reconnect
 * cycles never pile up handlers (the review found duplicates accumulating on reconnect).
 */
export class ValkeyConnection {
  readonly name: string;
  readonly #url: string;
  readonly #log: FastifyBaseLogger;
  #client: Valkey | null = null;
  #handlers: { ready: () => void; error: (err: Error) => void; end: () => void } | null = null;
  /** Errors seen since start (fails-open paths count theirs separately). */
  errors = 0;

  constructor(url: string, name: string, log: FastifyBaseLogger) {
    this.#url = url;
    this.name = name;
    this.#log = log;
  }

  /** The live client; throws if not connected. */
  get client(): Valkey {
    if (!this.#client) throw new Error(`valkey connection ${this.name} is not connected`);
    return this.#client;
  }

  get connected(): boolean {
    return this.#client !== null;
  }

  async connect(): Promise<Valkey> {
    if (this.#client) return this.#client;
    const client = new Valkey(this.#url, {
      lazyConnect: true,
      maxRetriesPerRequest: 2,
      enableOfflineQueue: true,
      connectionName: `cloudnow-${this.name}`,
      retryStrategy: (times) => Math.min(times * 200, 5000),
    });
    const handlers = {
      ready: () => this.#log.info({ conn: this.name }, 'valkey: ready'),
      error: (err: Error) => {
        this.errors++;
        this.#log.warn({ conn: this.name, err: err.message }, 'valkey: connection error');
      },
      end: () => this.#log.debug({ conn: this.name }, 'valkey: connection ended'),
    };
    client.on('ready', handlers.ready);
    client.on('error', handlers.error);
    client.on('end', handlers.end);
    this.#client = client;
    this.#handlers = handlers;
    await client.connect();
    return client;
  }

  async disconnect(): Promise<void> {
    const client = this.#client;
    const handlers = this.#handlers;
    this.#client = null;
    this.#handlers = null;
    if (!client) return;
    if (handlers) {
      client.off('ready', handlers.ready);
      client.off('error', handlers.error);
      client.off('end', handlers.end);
    }
    // After our handlers are gone an error during quit must not become an unhandled 'error'.
    const swallow = (): void => {};
    client.on('error', swallow);
    // Resolve only once the socket is really closed, so a caller that reconnects (or exits) never
    // overlaps an old connection still in 'ready'.
    let onEnd = (): void => {};
    const ended = new Promise<void>((resolve) => {
      onEnd = resolve;
      if (client.status === 'end') resolve();
      else client.once('end', onEnd);
    });
    const timeout = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms).unref());
    try {
      await Promise.race([client.quit(), timeout(5000)]);
    } catch {
      // quit failed (connection already broken): disconnect below
    } finally {
      client.disconnect();
      await Promise.race([ended, timeout(2000)]);
      client.off('end', onEnd);
      client.off('error', swallow);
    }
  }

  /** Handlers currently attached for a lifecycle event (what the reconnect test counts). */
  listenerCount(event: 'ready' | 'error' | 'end'): number {
    return this.#client?.listenerCount(event) ?? 0;
  }
}
