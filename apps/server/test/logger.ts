import { Writable } from 'node:stream';
import { pino } from 'pino';
import type { FastifyBaseLogger } from 'fastify';

/** A pino logger that keeps what it logs (level ≥ warn by default), for asserting warnings. */
export function captureLogger(level = 'warn'): { log: FastifyBaseLogger; lines: Array<{ level: number; msg: string }> } {
  const lines: Array<{ level: number; msg: string }> = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line) as { level: number; msg: string });
      done();
    },
  });
  return { log: pino({ level }, stream) as unknown as FastifyBaseLogger, lines };
}
