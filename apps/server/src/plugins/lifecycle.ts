import fp from 'fastify-plugin';

/** A live stream the server must end cleanly on shutdown (chat, workflow SSE). */
export interface TrackedStream {
  /** Sends the stream's terminal event and ends it. Must not throw. */
  terminate(reason: 'shutdown'): void;
}

/**
 * Process lifecycle shared by every plugin: whether the server is draining (readyz answers 503),
 * and the set of open streams, which get a terminal event when draining starts. The set is bounded
 * by the streams rate limit and the listener cap; its size is exported at /metrics.
 */
export interface Lifecycle {
  readonly draining: boolean;
  /** Registers a stream; returns its deregistration. */
  track(stream: TrackedStream): () => void;
  readonly openStreams: number;
  /** Marks the server draining and terminates every open stream. Idempotent. */
  beginDrain(): void;
}

/** Creates the lifecycle state (one per app). */
export function createLifecycle(): Lifecycle {
  let draining = false;
  const streams = new Set<TrackedStream>();
  return {
    get draining() {
      return draining;
    },
    track(stream) {
      streams.add(stream);
      return () => streams.delete(stream);
    },
    get openStreams() {
      return streams.size;
    },
    beginDrain() {
      if (draining) return;
      draining = true;
      for (const s of [...streams]) {
        try {
          s.terminate('shutdown');
        } catch {
          // a stream that fails to terminate is dropped; the socket closes with the server
        }
        streams.delete(s);
      }
    },
  };
}

declare module 'fastify' {
  interface FastifyInstance {
    lifecycle: Lifecycle;
  }
}

/**
 * Decorates `app.lifecycle`; `preClose` starts the drain so streams end before sockets do, and
 * responses sent while draining carry `Connection: close`.
 */
export default fp(
  async (app) => {
    const lifecycle = createLifecycle();
    app.decorate('lifecycle', lifecycle);
    app.addHook('preClose', async () => lifecycle.beginDrain());
    // While draining every response closes its connection: a keep-alive socket that goes idle
    // after the drain began would otherwise hold `server.close()` open until its keep-alive
    // timeout, and the shutdown would run into its deadline.
    app.addHook('onSend', async (_req, reply, payload) => {
      if (lifecycle.draining) reply.header('connection', 'close');
      return payload;
    });
  },
  { name: 'lifecycle' },
);
