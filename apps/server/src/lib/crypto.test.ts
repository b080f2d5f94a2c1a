import { describe, expect, it } from 'vitest';
import { SealedSecretError, createSecretBox, isSealed, safeEqual, sha256Hex } from './crypto.ts';

const SECRET = 'a'.repeat(16) + 'server-secret-for-tests-only';
const OTHER = 'b'.repeat(16) + 'another-server-secret-value';

describe('secret box', () => {
  it('round-trips text, with a fresh IV each time', () => {
    const box = createSecretBox(SECRET);
    const a = box.seal('client-secret-é-✓');
    const b = box.seal('client-secret-é-✓');
    expect(a).not.toBe(b);
    expect(a).toMatch(/^v1:[\w-]{8}:[\w-]+:[\w-]+:[\w-]+$/);
    expect(a).not.toContain('client-secret');
    expect(isSealed(a)).toBe(true);
    expect(box.open(a)).toBe('client-secret-é-✓');
    expect(box.open(box.seal(''))).toBe('');
  });

  it('refuses a tampered ciphertext, tag or iv', () => {
    const box = createSecretBox(SECRET);
    const env = box.seal('top secret value');
    const parts = env.split(':');
    for (const i of [2, 3, 4]) {
      const p = [...parts];
      const buf = Buffer.from(p[i]!, 'base64url');
      buf[0] = buf[0]! ^ 1;
      p[i] = buf.toString('base64url');
      expect(() => box.open(p.join(':'))).toThrow(SealedSecretError);
    }
    expect(() => box.open('v1:garbage')).toThrow(SealedSecretError);
    expect(() => box.open('plaintext')).toThrow(SealedSecretError);
  });

  it('refuses an envelope sealed under another server secret', () => {
    const env = createSecretBox(OTHER).seal('x');
    expect(() => createSecretBox(SECRET).open(env)).toThrow(/unknown key/);
  });

  it('refuses the wrong key even when the key id is forged to match', () => {
    const mine = createSecretBox(SECRET);
    const parts = createSecretBox(OTHER).seal('x').split(':');
    parts[1] = mine.keyId;
    expect(() => mine.open(parts.join(':'))).toThrow(/failed authentication/);
  });

  it('binds the context: a secret sealed for one row does not open for another', () => {
    const box = createSecretBox(SECRET);
    const env = box.seal('s3cret', 'idp:1:client_secret');
    expect(box.open(env, 'idp:1:client_secret')).toBe('s3cret');
    expect(() => box.open(env, 'idp:2:client_secret')).toThrow(SealedSecretError);
    expect(() => box.open(env)).toThrow(SealedSecretError);
  });

  it('opens envelopes of a previous secret after rotation and flags them for re-sealing', () => {
    const old = createSecretBox(OTHER).seal('rotating');
    const rotated = createSecretBox(SECRET, { previous: [OTHER] });
    expect(rotated.open(old)).toBe('rotating');
    expect(rotated.needsReseal(old)).toBe(true);
    expect(rotated.needsReseal(rotated.seal('rotating'))).toBe(false);
  });

  it('refuses a short server secret', () => {
    expect(() => createSecretBox('short')).toThrow(SealedSecretError);
  });
});

describe('hash and compare', () => {
  it('sha256Hex matches the known digest', () => {
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(sha256Hex(Buffer.from('abc'))).toBe(sha256Hex('abc'));
  });
  it('safeEqual compares by value, including different lengths', () => {
    expect(safeEqual('token-1', 'token-1')).toBe(true);
    expect(safeEqual('token-1', 'token-2')).toBe(false);
    expect(safeEqual('token', 'token-longer')).toBe(false);
    expect(safeEqual('', '')).toBe(true);
  });
});
