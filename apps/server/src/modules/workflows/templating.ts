import { ExpressionError, evaluate, parseExpression, referencedSteps, type Ast, type Scope } from './expressions.ts';

/**
 * `{{ … }}` templates in tool args, prompts and output mappings. The text between the braces is an
 * expression of the safe language (usually a path: `{{steps.launch.output.id}}`). A string that is
 * exactly one template keeps the value's type (an object stays an object); templates embedded in
 * text are stringified (objects as JSON, null/undefined as '').
 */

type Part = { text: string } | { ast: Ast; src: string };

const OPEN = '{{';
const CLOSE = '}}';
/** Templates per string (a bound on work per render). */
const MAX_TEMPLATES = 50;

/** Splits a string into text and parsed expressions; throws ExpressionError on a bad template. */
export function parseTemplate(s: string): Part[] {
  const parts: Part[] = [];
  let i = 0;
  while (i < s.length) {
    const open = s.indexOf(OPEN, i);
    if (open < 0) {
      parts.push({ text: s.slice(i) });
      break;
    }
    if (open > i) parts.push({ text: s.slice(i, open) });
    const close = s.indexOf(CLOSE, open + 2);
    if (close < 0) throw new ExpressionError(`unclosed '{{' at ${open}`);
    const src = s.slice(open + 2, close).trim();
    if (!src) throw new ExpressionError(`empty template at ${open}`);
    let ast: Ast;
    try {
      ast = parseExpression(src);
    } catch (err) {
      throw new ExpressionError(`in '{{${src}}}': ${(err as Error).message}`);
    }
    parts.push({ ast, src });
    if (parts.length > MAX_TEMPLATES * 2) throw new ExpressionError(`too many templates (max ${MAX_TEMPLATES})`);
    i = close + 2;
  }
  return parts;
}

function stringify(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

/** Renders one string: a whole-string template returns the value itself. */
export function renderString(s: string, scope: Scope): unknown {
  if (!s.includes(OPEN)) return s;
  const parts = parseTemplate(s);
  if (parts.length === 1 && 'ast' in parts[0]!) return evaluate(parts[0].ast, scope);
  return parts.map((p) => ('ast' in p ? stringify(evaluate(p.ast, scope)) : p.text)).join('');
}

/** Renders every string inside a JSON-like value (objects and arrays recursively). */
export function renderValue(value: unknown, scope: Scope, depth = 0): unknown {
  if (depth > 32) throw new ExpressionError('template value nested too deeply');
  if (typeof value === 'string') return renderString(value, scope);
  if (Array.isArray(value)) return value.map((v) => renderValue(v, scope, depth + 1));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = renderValue(v, scope, depth + 1);
    return out;
  }
  return value;
}

/**
 * Checks every template inside a value; returns the node ids they read through `steps.<id>`.
 * Throws ExpressionError (with the JSON path of the bad string) on the first bad template.
 */
export function checkTemplates(value: unknown, path = '', out: Set<string> = new Set()): Set<string> {
  if (typeof value === 'string') {
    try {
      for (const p of parseTemplate(value)) if ('ast' in p) referencedSteps(p.ast, out);
    } catch (err) {
      throw new ExpressionError(`${path || '(value)'}: ${(err as Error).message}`);
    }
  } else if (Array.isArray(value)) value.forEach((v, i) => checkTemplates(v, `${path}[${i}]`, out));
  else if (value && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) checkTemplates(v, path ? `${path}.${k}` : k, out);
  return out;
}
