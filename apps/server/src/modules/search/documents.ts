import { extractText, getDocumentProxy } from 'unpdf';
import { DocumentUnreadable } from './search.errors.ts';

/** Content types a document may have. */
export const DOCUMENT_TYPES = ['text/plain', 'text/markdown', 'application/pdf'] as const;
export type DocumentType = (typeof DOCUMENT_TYPES)[number];

/** Characters of text one document may hold after extraction (a 10 MB PDF of text stays under it). */
export const DOCUMENT_TEXT_MAX = 5_000_000;

/**
 * Decodes an upload: base64 (`encoding: 'base64'`) or text as it is. Throws DOCUMENT_UNREADABLE
 * (400, naming `content`) for base64 that is not.
 */
export function decodeContent(content: string, encoding: 'base64' | 'text'): Buffer {
  if (encoding === 'text') return Buffer.from(content, 'utf8');
  const clean = content.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(clean) || clean.length % 4 === 1) throw new DocumentUnreadable('not valid base64');
  return Buffer.from(clean, 'base64');
}

/**
 * The text of a document: UTF-8 for text and markdown (a byte-order mark dropped), the text layer
 * of every page for a PDF (pdf.js through `unpdf`, pure JS; scanned pages have none). Throws
 * DOCUMENT_UNREADABLE for invalid UTF-8, a broken PDF or one without text.
 */
export async function extractDocumentText(type: DocumentType, bytes: Uint8Array): Promise<string> {
  let text: string;
  if (type === 'application/pdf') {
    try {
      const pdf = await getDocumentProxy(new Uint8Array(bytes));
      try {
        text = (await extractText(pdf, { mergePages: true })).text;
      } finally {
        await pdf.loadingTask.destroy();
      }
    } catch (err) {
      throw new DocumentUnreadable(`not a readable PDF (${err instanceof Error ? err.message.slice(0, 200) : 'unknown error'})`);
    }
    if (!text.trim()) throw new DocumentUnreadable('the PDF has no text layer (scanned pages are not read)');
  } else {
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, '');
    } catch {
      throw new DocumentUnreadable('not valid UTF-8 text');
    }
  }
  // NUL cannot be stored in a PostgreSQL text column.
  text = text.replaceAll(String.fromCharCode(0), '');
  if (text.length > DOCUMENT_TEXT_MAX) throw new DocumentUnreadable(`more than ${DOCUMENT_TEXT_MAX} characters of text`);
  return text;
}
