import { describe, expect, it } from 'vitest';
import type { UIMessageChunk } from 'ai';
import { createOutputCapTransform, estimateTokens, truncationNote, type GuardChunk } from './output.ts';
import { createRedactionTransform } from './redact-stream.ts';

async function through<T extends GuardChunk>(chunks: T[], ...transforms: Array<TransformStream<T, T>>): Promise<T[]> {
  let stream = new ReadableStream<T>({
    start(c) {
      chunks.forEach((ch) => c.enqueue(ch));
      c.close();
    },
  });
  for (const t of transforms) stream = stream.pipeThrough(t);
  const out: T[] = [];
  for await (const chunk of stream) out.push(chunk);
  return out;
}

function textBlock(id: string, deltas: string[]): UIMessageChunk[] {
  return [
    { type: 'text-start', id },
    ...deltas.map((delta): UIMessageChunk => ({ type: 'text-delta', id, delta })),
    { type: 'text-end', id },
  ];
}

const textOf = (chunks: UIMessageChunk[]) => chunks.flatMap((c) => (c.type === 'text-delta' ? [c.delta] : [])).join('');

describe('output cap', () => {
  it('estimates about four characters per token', () => {
    expect(estimateTokens('')).toBe(0);
    expect(estimateTokens('abcd')).toBe(1);
    expect(estimateTokens('abcde')).toBe(2);
  });

  it('passes output within the budget unchanged', async () => {
    const chunks = textBlock('t', ['hello ', 'world']);
    expect(await through(chunks, createOutputCapTransform({ maxTokens: 3 }))).toEqual(chunks);
  });

  it('cuts the output at 4,000 tokens with a visible note, drops the rest and keeps the stream well-formed', async () => {
    const word = 'lorem ipsum dolor sit amet, ';
    const deltas = Array.from({ length: 1000 }, () => word);
    let truncations = 0;
    const out = await through(
      [{ type: 'start' }, ...textBlock('t1', deltas), ...textBlock('t2', ['late text']), { type: 'finish' }] as UIMessageChunk[],
      createOutputCapTransform<UIMessageChunk>({ onTruncate: () => truncations++ }),
    );
    const text = textOf(out);
    const note = truncationNote(4000);
    expect(text.endsWith(note)).toBe(true);
    expect(note).toContain('truncated');
    const body = text.slice(0, -note.length);
    expect(body.length).toBeLessThanOrEqual(16_000);
    expect(body.length).toBeGreaterThan(16_000 * 0.8);
    expect(text).not.toContain('late text');
    expect(truncations).toBe(1);
    expect(out.map((c) => c.type).filter((t) => t !== 'text-delta')).toEqual(['start', 'text-start', 'text-end', 'finish']);
  });

  it('counts tokens after redaction when chained behind the redactor', async () => {
    const out = await through(
      textBlock('t', ['key AKIAIOSF', 'ODNN7EXAMPLE done']),
      createRedactionTransform<UIMessageChunk>(),
      createOutputCapTransform<UIMessageChunk>({ maxTokens: 100 }),
    );
    expect(textOf(out)).toBe('key [AWS_KEY REDACTED] done');
  });

  it('works on streamText full-stream parts (text-delta with `text`)', async () => {
    const parts = [
      { type: 'text-start', id: 'a' },
      { type: 'text-delta', id: 'a', text: 'SSN 123-' },
      { type: 'text-delta', id: 'a', text: '45-6789 ok' },
      { type: 'text-end', id: 'a' },
    ];
    const out = await through(parts, createRedactionTransform());
    expect(out.flatMap((p) => (p.type === 'text-delta' ? [p.text] : [])).join('')).toBe('SSN [SSN REDACTED] ok');
  });
});
