import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * The one-time setup token of this process: generated while setup is incomplete, held in memory
 * only, compared in constant time, dropped when setup completes. Each replica has its own.
 */
export class SetupToken {
  #token: string | null = null;

  /** Generates a token (once) and returns it for the boot banner. */
  issue(): string {
    this.#token ??= randomBytes(32).toString('hex');
    return this.#token;
  }

  get active(): boolean {
    return this.#token !== null;
  }

  /** The token itself: for the boot banner and tests only — never put it in a response or a log line of a request. */
  peek(): string | null {
    return this.#token;
  }

  /** Timing-safe check of an `Authorization: Bearer <token>` header. */
  matches(header: string | undefined): boolean {
    if (!this.#token || !header) return false;
    const m = /^bearer\s+(\S+)$/i.exec(header.trim());
    if (!m) return false;
    const a = createHash('sha256').update(m[1]!).digest();
    const b = createHash('sha256').update(this.#token).digest();
    return timingSafeEqual(a, b);
  }

  invalidate(): void {
    this.#token = null;
  }
}
