/** Keys whose values never reach the audit trail or an approval card (case-insensitive, substring). */
const SECRET_KEY =
  /(pass(word|phrase)?|secret|token|(^|[^a-z])key$|apikey|api_key|privatekey|private_key|credential|authorization|cookie)/i;

const MAX_DEPTH = 8;
const MAX_STRING = 2000;
const MAX_ITEMS = 100;

/**
 * Returns a copy of `value` with secret-looking keys masked (`password`, `secret`, `token`, `*Key`,
 * `privateKey`, …), long strings shortened and deep or wide structures cut, so an audit row stays
 * small and never holds a credential.
 */
export function redact(value: unknown, depth = 0): unknown {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'string' && value.length > MAX_STRING) return `${value.slice(0, MAX_STRING)}…`;
    return value;
  }
  if (depth >= MAX_DEPTH) return '[truncated]';
  if (Array.isArray(value)) {
    const items = value.slice(0, MAX_ITEMS).map((v) => redact(v, depth + 1));
    if (value.length > MAX_ITEMS) items.push(`[${value.length - MAX_ITEMS} more]`);
    return items;
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    out[k] = isSecretKey(k) ? '[redacted]' : redact(v, depth + 1);
  }
  return out;
}

/** Whether a key names a secret (`password`, `clientSecret`, `token`, `apiKey`, `privateKey`, `key`). */
export function isSecretKey(key: string): boolean {
  return key.toLowerCase() === 'key' || SECRET_KEY.test(key) || /Key$/.test(key);
}
