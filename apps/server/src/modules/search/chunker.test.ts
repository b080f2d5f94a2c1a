import { describe, expect, it } from 'vitest';
import { chunkText } from './chunker.ts';

describe('chunkText', () => {
  it('gives no chunks for empty or whitespace-only text', () => {
    expect(chunkText('')).toEqual([]);
    expect(chunkText('  \n\t \n')).toEqual([]);
  });

  it('keeps a text shorter than the size as one chunk', () => {
    expect(chunkText('stop the web tier', { size: 100, overlap: 10 })).toEqual([{ index: 0, start: 0, content: 'stop the web tier' }]);
  });

  it('cuts at the size when there is no break, and repeats exactly `overlap` characters', () => {
    const text = 'abcdefghijklmnopqrstuvwxyz';
    const chunks = chunkText(text, { size: 10, overlap: 3 });
    expect(chunks.map((c) => c.content)).toEqual(['abcdefghij', 'hijklmnopq', 'opqrstuvwx', 'vwxyz']);
    for (let i = 1; i < chunks.length; i++) expect(chunks[i]!.content.slice(0, 3)).toBe(chunks[i - 1]!.content.slice(-3));
    expect(chunks.every((c) => c.content.length <= 10)).toBe(true);
  });

  it('prefers paragraph, line, sentence and word boundaries over a hard cut', () => {
    const para = chunkText('one two three four\n\nfive six seven eight nine', { size: 30, overlap: 0 });
    expect(para[0]!.content).toBe('one two three four');
    const sentence = chunkText('Stop web-1 now. Then start web-2 again later', { size: 24, overlap: 0 });
    expect(sentence[0]!.content).toBe('Stop web-1 now.');
    const words = chunkText('alpha beta gamma delta epsilon', { size: 14, overlap: 0 });
    expect(words.map((c) => c.content)).toEqual(['alpha beta', 'gamma delta', 'epsilon']);
  });

  it('covers the whole text: every word appears in some chunk', () => {
    const words = Array.from({ length: 500 }, (_, i) => `word${i}`);
    const chunks = chunkText(words.join(' '), { size: 200, overlap: 40 });
    const joined = chunks.map((c) => c.content).join(' ');
    for (const w of words) expect(joined).toContain(w);
    expect(chunks.map((c) => c.index)).toEqual(chunks.map((_, i) => i));
  });

  it('counts code points, never splitting a surrogate pair or an NFC character', () => {
    const text = '😀'.repeat(25);
    const chunks = chunkText(text, { size: 10, overlap: 2 });
    expect(chunks.map((c) => Array.from(c.content).length)).toEqual([10, 10, 9]);
    expect(chunks.every((c) => !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/.test(c.content))).toBe(true);
    expect(chunkText('e\u0301té', { size: 2, overlap: 0 }).map((c) => c.content)).toEqual(['ét', 'é']);
  });

  it('is deterministic and rejects an overlap not smaller than the size', () => {
    const text = 'Compute instances and shapes. '.repeat(100);
    expect(chunkText(text, { size: 120, overlap: 20 })).toEqual(chunkText(text, { size: 120, overlap: 20 }));
    expect(() => chunkText('x', { size: 10, overlap: 10 })).toThrow(RangeError);
  });
});
