import { createHmac } from 'node:crypto';
import { safeEqual } from '../../lib/crypto.ts';

/** Header carrying the signature: `t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`. */
export const SIGNATURE_HEADER = 'x-cloudnow-signature';

/** Signs a delivery body at time `t` (seconds). The timestamp is signed too, so replays are detectable. */
export function signWebhook(secret: string, body: string, t: number = Math.floor(Date.now() / 1000)): string {
  const mac = createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
  return `t=${t},v1=${mac}`;
}

/**
 * Verifies a received delivery (for receivers; documented in the README): the signature must
 * match and its timestamp be within `toleranceSeconds` of now (default 300) — an old, replayed
 * delivery fails even though its signature is genuine.
 */
export function verifyWebhook(
  secret: string,
  header: string | undefined,
  body: string,
  opts: { toleranceSeconds?: number; now?: number } = {},
): boolean {
  if (!header) return false;
  const parts = Object.fromEntries(header.split(',').map((p) => p.trim().split('=') as [string, string]));
  const t = Number(parts.t);
  if (!Number.isInteger(t) || !parts.v1) return false;
  const now = opts.now ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - t) > (opts.toleranceSeconds ?? 300)) return false;
  const expected = createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
  return safeEqual(expected, parts.v1);
}
