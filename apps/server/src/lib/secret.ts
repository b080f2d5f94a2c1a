import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Config } from '../config.ts';

/**
 * Returns the encryption/auth secret: CLOUDNOW_SECRET when set; embedded, the one in
 * `<dataDir>/secret`, generated (48 random bytes, mode 0600) on first start. `generated` tells the
 * caller to say so in the log — never the secret itself.
 */
export async function resolveSecret(config: Config): Promise<{ secret: string; generated: boolean; path: string | null }> {
  if (config.secret) return { secret: config.secret, generated: false, path: null };
  const path = join(config.dataDir, 'secret');
  try {
    const existing = (await readFile(path, 'utf8')).trim();
    if (existing.length >= 32) return { secret: existing, generated: false, path };
  } catch {
    // not there yet
  }
  await mkdir(config.dataDir, { recursive: true });
  const secret = randomBytes(48).toString('base64url');
  await writeFile(path, secret + '\n', { mode: 0o600 });
  return { secret, generated: true, path };
}
