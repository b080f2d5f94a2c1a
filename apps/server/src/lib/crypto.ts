import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Secrets at rest (IdP client secrets, AI provider keys, MCP credentials, webhook signing secrets):
 * AES-256-GCM with a key derived by HKDF-SHA256 from the server secret (CLOUDNOW_SECRET or the
 * generated embedded one). The envelope is text, safe for a `text` column:
 *
 *     v1:<kid>:<iv>:<tag>:<ciphertext>        (each part base64url)
 *
 * `v1` names the scheme (HKDF-SHA256 → AES-256-GCM, 12-byte IV, 16-byte tag); `kid` is a short
 * fingerprint of the derived key, so a box built with the new secret plus the previous ones
 * (`createSecretBox(secret, { previous })`) opens old envelopes and `needsReseal` finds them.
 * An optional `context` string is bound as additional authenticated data: a secret sealed for
 * `idp:<id>:client_secret` does not open as another row's secret.
 */
export interface SecretBox {
  /** Encrypts `plaintext` (a fresh random IV each call) into a `v1:` envelope. */
  seal(plaintext: string, context?: string): string;
  /** Decrypts an envelope; throws SealedSecretError when tampered, malformed or sealed under another key/context. */
  open(envelope: string, context?: string): string;
  /** True when the envelope was sealed under an older key (re-seal it with the current one). */
  needsReseal(envelope: string): boolean;
  /** Fingerprint of the current key (appears in every envelope this box seals). */
  readonly keyId: string;
}

/** Thrown when an envelope cannot be opened. The message never contains key or plaintext material. */
export class SealedSecretError extends Error {
  override name = 'SealedSecretError';
}

const VERSION = 'v1';
const SALT = 'cloudnow-secret-box';
const INFO = 'aes-256-gcm-key:v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

interface Key {
  id: string;
  bytes: Buffer;
}

function deriveKey(secret: string): Key {
  if (secret.length < 32) throw new SealedSecretError('the server secret must be at least 32 characters');
  const bytes = Buffer.from(hkdfSync('sha256', secret, SALT, INFO, 32));
  const id = createHash('sha256').update(bytes).digest().subarray(0, 6).toString('base64url');
  return { id, bytes };
}

/** Builds a box from the server secret; `previous` secrets are accepted for `open` only (key rotation). */
export function createSecretBox(secret: string, options: { previous?: readonly string[] } = {}): SecretBox {
  const current = deriveKey(secret);
  const keys = new Map<string, Key>([[current.id, current]]);
  for (const old of options.previous ?? []) {
    const k = deriveKey(old);
    if (!keys.has(k.id)) keys.set(k.id, k);
  }
  return {
    keyId: current.id,
    seal(plaintext, context) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', current.bytes, iv, { authTagLength: TAG_BYTES });
      if (context !== undefined) cipher.setAAD(Buffer.from(context, 'utf8'));
      const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      const tag = cipher.getAuthTag();
      return [VERSION, current.id, iv.toString('base64url'), tag.toString('base64url'), ct.toString('base64url')].join(':');
    },
    open(envelope, context) {
      const parts = parse(envelope);
      const key = keys.get(parts.kid);
      if (!key) throw new SealedSecretError('sealed with an unknown key (was the server secret changed?)');
      try {
        const decipher = createDecipheriv('aes-256-gcm', key.bytes, parts.iv, { authTagLength: TAG_BYTES });
        if (context !== undefined) decipher.setAAD(Buffer.from(context, 'utf8'));
        decipher.setAuthTag(parts.tag);
        return Buffer.concat([decipher.update(parts.ct), decipher.final()]).toString('utf8');
      } catch {
        throw new SealedSecretError('sealed secret failed authentication (tampered, or another context)');
      }
    },
    needsReseal(envelope) {
      return parse(envelope).kid !== current.id;
    },
  };
}

function parse(envelope: string): { kid: string; iv: Buffer; tag: Buffer; ct: Buffer } {
  const parts = envelope.split(':');
  if (parts.length !== 5 || parts[0] !== VERSION) throw new SealedSecretError('not a v1 sealed secret');
  const [, kid, iv, tag, ct] = parts as [string, string, string, string, string];
  const b64 = /^[A-Za-z0-9_-]*$/;
  if (![kid, iv, tag, ct].every((p) => b64.test(p))) throw new SealedSecretError('malformed sealed secret');
  const ivBuf = Buffer.from(iv, 'base64url');
  const tagBuf = Buffer.from(tag, 'base64url');
  if (ivBuf.length !== IV_BYTES || tagBuf.length !== TAG_BYTES) throw new SealedSecretError('malformed sealed secret');
  return { kid, iv: ivBuf, tag: tagBuf, ct: Buffer.from(ct, 'base64url') };
}

/** Whether a stored value is a sealed envelope (vs. legacy plaintext awaiting migration). */
export function isSealed(value: string): boolean {
  return value.startsWith(`${VERSION}:`) && value.split(':').length === 5;
}

/** Lower-case hex SHA-256 of a string (UTF-8) or bytes: API key hashes, cache keys, log-safe ids. */
export function sha256Hex(input: string | Uint8Array): string {
  return createHash('sha256').update(input).digest('hex');
}

/**
 * Constant-time equality of two strings (tokens, signatures, hashes). Both sides are hashed first,
 * so neither the content nor the length of the expected value leaks through timing.
 */
export function safeEqual(a: string, b: string): boolean {
  const da = createHash('sha256').update(a, 'utf8').digest();
  const db = createHash('sha256').update(b, 'utf8').digest();
  return timingSafeEqual(da, db);
}
