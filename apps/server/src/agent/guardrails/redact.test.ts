import { describe, expect, it } from 'vitest';
import type { UIMessageChunk } from 'ai';
import { createRedactor, luhnValid, redactText } from './redact.ts';
import { createRedactionTransform, redactUIMessage } from './redact-stream.ts';

const PEM_BODY = 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7\nq1w2e3r4t5y6u7i8o9p0a1s2d3f4g5h6j7k8l9z0x1c2v3b4n5m6';
const SECRETS: Array<[string, string, string]> = [
  ['ssn', '123-45-6789', '[SSN REDACTED]'],
  ['card (spaces)', '4111 1111 1111 1111', '[CARD REDACTED]'],
  ['card (plain)', '5555555555554444', '[CARD REDACTED]'],
  ['aws key', 'AKIAIOSFODNN7EXAMPLE', '[AWS_KEY REDACTED]'],
  ['oci key ocid', 'ocid1.key.oc1.iad.bbqehaq3aadfa.abuwcljsxyz123', '[OCI_KEY REDACTED]'],
  ['oci user in config', 'user=ocid1.user.oc1..aaaaaaaa5hyq2zxo3k', 'user=[OCI_USER REDACTED]'],
  ['oci tenancy in json', '"tenancy": "ocid1.tenancy.oc1..aaaaaaaaq7lrl3h"', '"tenancy": "[OCI_TENANCY REDACTED]"'],
  ['bearer token', 'Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig_abc', 'Authorization: Bearer [TOKEN REDACTED]'],
  ['pem key', `-----BEGIN RSA PRIVATE KEY-----\n${PEM_BODY}\n-----END RSA PRIVATE KEY-----`, '[PRIVATE_KEY REDACTED]'],
  [
    'encrypted pem key',
    `-----BEGIN ENCRYPTED PRIVATE KEY-----\n${PEM_BODY.slice(0, 40)}\n-----END ENCRYPTED PRIVATE KEY-----`,
    '[PRIVATE_KEY REDACTED]',
  ],
  ['bearer token (tabs, late digit)', 'Bearer\t\t\t\tabcdefghijklmnopqrstuv1xyz', 'Bearer\t\t\t\t[TOKEN REDACTED]'],
];

const PREFIX = 'Here it is: ';
const SUFFIX = ' — keep it safe.';

/** Streams `parts` through one redactor and returns the concatenated output. */
function streamed(parts: readonly string[]): string {
  const r = createRedactor();
  return parts.map((p) => r.push(p)).join('') + r.flush();
}

describe('redaction', () => {
  it.each(SECRETS)('redacts a %s in one piece', (_name, secret, replacement) => {
    expect(redactText(PREFIX + secret + SUFFIX)).toBe(PREFIX + replacement + SUFFIX);
  });

  it.each(SECRETS)('redacts a %s split at every position into two and three chunks', (_name, secret, replacement) => {
    const text = PREFIX + secret + SUFFIX;
    const expected = PREFIX + replacement + SUFFIX;
    const from = PREFIX.length - 2;
    const to = PREFIX.length + secret.length + 2;
    for (let i = from; i <= to; i++) {
      expect(streamed([text.slice(0, i), text.slice(i)]), `split at ${i}`).toBe(expected);
      for (let j = i; j <= to; j++) {
        expect(streamed([text.slice(0, i), text.slice(i, j), text.slice(j)]), `split at ${i},${j}`).toBe(expected);
      }
    }
  });

  it('redacts every secret when streamed one character at a time, all in one text', () => {
    const text = SECRETS.map(([, s]) => s).join(' and ');
    const expected = SECRETS.map(([, , r]) => r).join(' and ');
    expect(redactText(text)).toBe(expected);
    expect(streamed([...text])).toBe(expected);
  });

  it('leaves lookalikes alone: Luhn-invalid cards, instance OCIDs, user OCIDs outside key contexts, plain "Bearer"', () => {
    const text = [
      'card 4111 1111 1111 1112',
      'instance ocid1.instance.oc1.iad.anuwcljs',
      'owner ocid1.user.oc1..aaaaaaaa5hyq2zxo3k',
      'use Bearer authentication',
      'timestamp 1733222400000',
      'phone 555-12-34',
    ].join('; ');
    expect(redactText(text)).toBe(text);
    expect(luhnValid('4111111111111111')).toBe(true);
    expect(luhnValid('4111111111111112')).toBe(false);
  });

  it('redacts long bearer tokens and PEM blocks that outgrow the held tail, in small chunks', () => {
    const token = `abc123${'x'.repeat(1200)}`;
    const body = Array.from({ length: 40 }, (_, i) => `${i}`.padStart(64, 'Q')).join('\n');
    const text = `a Bearer ${token} b -----BEGIN PRIVATE KEY-----\n${body}\n-----END PRIVATE KEY----- c`;
    const expected = 'a Bearer [TOKEN REDACTED] b [PRIVATE_KEY REDACTED] c';
    expect(redactText(text)).toBe(expected);
    for (const size of [1, 2, 3, 7, 64, 500]) {
      const parts = text.match(new RegExp(`[\\s\\S]{1,${size}}`, 'g'))!;
      expect(streamed(parts), `chunks of ${size}`).toBe(expected);
    }
  });

  it('redacts an unterminated private key to the end of the output', () => {
    const text = `key: -----BEGIN PRIVATE KEY-----\n${'A'.repeat(900)}`;
    expect(redactText(text)).toBe('key: [PRIVATE_KEY REDACTED]');
    expect(streamed(text.match(/[\s\S]{1,5}/g)!)).toBe('key: [PRIVATE_KEY REDACTED]');
  });

  it('holds back a bounded tail on ordinary text', () => {
    const r = createRedactor();
    let pushed = 0;
    let emitted = 0;
    let maxHeld = 0;
    for (let i = 0; i < 1000; i++) {
      const chunk = `word${i} is plain text; `;
      pushed += chunk.length;
      emitted += r.push(chunk).length;
      maxHeld = Math.max(maxHeld, pushed - emitted);
    }
    emitted += r.flush().length;
    expect(emitted).toBe(pushed);
    expect(maxHeld).toBeLessThanOrEqual(96 + 24 + 30);
  });

  it('redacts UI message stream text deltas across chunks, per block, flushing before text-end', async () => {
    const text = `Your key is AKIAIOSFODNN7EXAMPLE and SSN 123-45-6789.`;
    const deltas = text.match(/[\s\S]{1,3}/g)!;
    const chunks: UIMessageChunk[] = [
      { type: 'start' },
      { type: 'text-start', id: 't1' },
      ...deltas.map((delta): UIMessageChunk => ({ type: 'text-delta', id: 't1', delta })),
      { type: 'text-end', id: 't1' },
      { type: 'finish' },
    ];
    const out: UIMessageChunk[] = [];
    const readable = new ReadableStream<UIMessageChunk>({
      start(c) {
        chunks.forEach((ch) => c.enqueue(ch));
        c.close();
      },
    }).pipeThrough(createRedactionTransform<UIMessageChunk>());
    for await (const chunk of readable) out.push(chunk);
    const joined = out.flatMap((c) => (c.type === 'text-delta' ? [c.delta] : [])).join('');
    expect(joined).toBe('Your key is [AWS_KEY REDACTED] and SSN [SSN REDACTED].');
    const endAt = out.findIndex((c) => c.type === 'text-end');
    expect(out.slice(endAt + 1).some((c) => c.type === 'text-delta')).toBe(false);
    expect(out.at(-1)).toEqual({ type: 'finish' });
  });

  it('redacts streamed tool-input deltas per call and whole tool inputs, outputs and errors', async () => {
    const json = JSON.stringify({ note: 'card 4111111111111111' });
    const chunks: UIMessageChunk[] = [
      { type: 'tool-input-start', toolCallId: 'c1', toolName: 'x' },
      ...json
        .match(/[\s\S]{1,4}/g)!
        .map((inputTextDelta): UIMessageChunk => ({ type: 'tool-input-delta', toolCallId: 'c1', inputTextDelta })),
      { type: 'tool-input-available', toolCallId: 'c1', toolName: 'x', input: { note: 'card 4111111111111111' } },
      { type: 'tool-output-available', toolCallId: 'c1', output: { items: [{ ssn: '123-45-6789', id: 'ocid1.instance.oc1..keep' }] } },
      { type: 'tool-output-error', toolCallId: 'c2', errorText: 'denied for AKIAIOSFODNN7EXAMPLE' },
    ];
    const readable = new ReadableStream<UIMessageChunk>({
      start(c) {
        chunks.forEach((ch) => c.enqueue(ch));
        c.close();
      },
    }).pipeThrough(createRedactionTransform<UIMessageChunk>());
    const out: UIMessageChunk[] = [];
    for await (const chunk of readable) out.push(chunk);
    const streamedInput = out.flatMap((c) => (c.type === 'tool-input-delta' ? [c.inputTextDelta] : [])).join('');
    expect(streamedInput).toBe(JSON.stringify({ note: 'card [CARD REDACTED]' }));
    expect(out.find((c) => c.type === 'tool-input-available')).toMatchObject({ input: { note: 'card [CARD REDACTED]' } });
    expect(out.find((c) => c.type === 'tool-output-available')).toMatchObject({
      output: { items: [{ ssn: '[SSN REDACTED]', id: 'ocid1.instance.oc1..keep' }] },
    });
    expect(out.find((c) => c.type === 'tool-output-error')).toMatchObject({ errorText: 'denied for [AWS_KEY REDACTED]' });
  });

  it('gives the same output for 300 random chunkings of a long text full of secrets and near misses', () => {
    const pieces = [
      ...SECRETS.map(([, s]) => s),
      '4111 1111 1111 1112',
      'Bearer short',
      'ocid1.instance.oc1..x',
      '-----BEGIN',
      '12-34-5678',
      'AKIA123',
    ];
    let seed = 42;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const text = Array.from({ length: 60 }, (_, i) => `${pieces[i % pieces.length]} ${'lorem ipsum'.slice(0, i % 12)} `).join('');
    const expected = redactText(text);
    for (const [, secret] of SECRETS) expect(expected).not.toContain(secret);
    for (let run = 0; run < 300; run++) {
      const parts: string[] = [];
      for (let at = 0; at < text.length;) {
        const size = 1 + Math.floor(random() ** 2 * 200);
        parts.push(text.slice(at, at + size));
        at += size;
      }
      expect(streamed(parts), `run ${run}`).toBe(expected);
    }
  });

  it('redacts a whole UI message for persistence without touching the original', () => {
    const message = {
      id: 'm1',
      role: 'assistant' as const,
      parts: [
        { type: 'step-start' },
        { type: 'text', text: 'SSN 123-45-6789' },
        {
          type: 'tool-get_user',
          toolCallId: 'c',
          state: 'output-available',
          input: { q: 'x' },
          output: { key: 'AKIAIOSFODNN7EXAMPLE', n: 3 },
        },
      ],
    };
    const redacted = redactUIMessage(message);
    expect(redacted.parts[1]).toEqual({ type: 'text', text: 'SSN [SSN REDACTED]' });
    expect(redacted.parts[2]).toMatchObject({ input: { q: 'x' }, output: { key: '[AWS_KEY REDACTED]', n: 3 } });
    expect(message.parts[1]).toEqual({ type: 'text', text: 'SSN 123-45-6789' });
  });
});
