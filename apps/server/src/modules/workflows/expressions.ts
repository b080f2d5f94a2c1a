/**
 * A small, safe expression language for conditions, loop break conditions and templates: a
 * tokenizer, a recursive-descent parser and a tree-walking evaluator — no eval, no Function.
 *
 * Grammar (lowest precedence first):
 *   or := and ('||' and)* ; and := eq ('&&' eq)* ; eq := cmp (('=='|'!='|'==='|'!==') cmp)*
 *   cmp := mem (('<'|'<='|'>'|'>=') mem)* ; mem := add ('in' add)? ; add := mul (('+'|'-') mul)*
 *   mul := un (('*'|'/'|'%') un)* ; un := ('!'|'-') un | post
 *   post := primary ('.' ident | '[' or ']')* ; primary := number | string | true | false | null
 *         | ident | fn '(' args ')' | '(' or ')' | '[' items ']'
 * Paths read own properties only; `__proto__`, `constructor` and `prototype` are refused.
 * Evaluation is bounded by a step budget.
 */

/** A parse or evaluation failure; `message` says where and why. */
export class ExpressionError extends Error {
  override name = 'ExpressionError';
}

type Tok =
  | { t: 'num'; v: number; p: number }
  | { t: 'str'; v: string; p: number }
  | { t: 'id'; v: string; p: number }
  | { t: 'op'; v: string; p: number }
  | { t: 'end'; p: number };

/** The parsed tree. */
export type Ast =
  | { k: 'lit'; v: unknown }
  | { k: 'id'; name: string }
  | { k: 'get'; obj: Ast; key: Ast }
  | { k: 'un'; op: string; a: Ast }
  | { k: 'bin'; op: string; a: Ast; b: Ast }
  | { k: 'call'; fn: string; args: Ast[] }
  | { k: 'arr'; items: Ast[] };

/** Keys never read through a path. */
export const BLOCKED_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);
/** Identifiers an expression may start from. */
export const ROOTS: ReadonlySet<string> = new Set(['input', 'steps', 'item', 'index', 'result', 'run']);
const FUNCTIONS = new Set(['len', 'lower', 'upper', 'contains', 'exists']);
const OPS = ['===', '!==', '==', '!=', '<=', '>=', '&&', '||', '<', '>', '!', '+', '-', '*', '/', '%', '(', ')', '[', ']', '.', ','];
export const MAX_EXPRESSION_LENGTH = 2000;
const MAX_DEPTH = 64;
/** Default number of evaluation steps before an expression is stopped. */
export const DEFAULT_BUDGET = 10_000;

function tokenize(src: string): Tok[] {
  if (src.length > MAX_EXPRESSION_LENGTH) throw new ExpressionError(`expression too long (max ${MAX_EXPRESSION_LENGTH})`);
  const out: Tok[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (/[0-9]/.test(c)) {
      const m = /^[0-9]+(\.[0-9]+)?/.exec(src.slice(i))!;
      out.push({ t: 'num', v: Number(m[0]), p: i });
      i += m[0].length;
      continue;
    }
    if (c === '"' || c === "'") {
      let j = i + 1;
      let s = '';
      while (j < src.length && src[j] !== c) {
        if (src[j] === '\\' && j + 1 < src.length) j++;
        s += src[j];
        j++;
      }
      if (j >= src.length) throw new ExpressionError(`unterminated string at ${i}`);
      out.push({ t: 'str', v: s, p: i });
      i = j + 1;
      continue;
    }
    if (/[A-Za-z_$]/.test(c)) {
      const m = /^[A-Za-z_$][A-Za-z0-9_$-]*/.exec(src.slice(i))!;
      // A trailing '-' belongs to arithmetic, not the name (`a-1` is rare in ids but `x - 1` is common).
      const word = m[0].replace(/-+$/, '');
      out.push({ t: 'id', v: word, p: i });
      i += word.length;
      continue;
    }
    const op = OPS.find((o) => src.startsWith(o, i));
    if (!op) throw new ExpressionError(`unexpected character '${c}' at ${i}`);
    out.push({ t: 'op', v: op, p: i });
    i += op.length;
  }
  out.push({ t: 'end', p: src.length });
  return out;
}

class Parser {
  private i = 0;
  private depth = 0;
  private readonly toks: Tok[];
  constructor(toks: Tok[]) {
    this.toks = toks;
  }
  private peek(): Tok {
    return this.toks[this.i]!;
  }
  private isOp(...ops: string[]): string | null {
    const t = this.peek();
    return t.t === 'op' && ops.includes(t.v) ? t.v : null;
  }
  private expect(op: string): void {
    if (!this.isOp(op)) throw new ExpressionError(`expected '${op}' at ${this.peek().p}`);
    this.i++;
  }
  parse(): Ast {
    const ast = this.or();
    const t = this.peek();
    if (t.t !== 'end') throw new ExpressionError(`unexpected token at ${t.p}`);
    return ast;
  }
  private enter(): void {
    if (++this.depth > MAX_DEPTH) throw new ExpressionError('expression nested too deeply');
  }
  private left(next: () => Ast, ops: string[]): Ast {
    let a = next();
    for (let op = this.isOp(...ops); op; op = this.isOp(...ops)) {
      this.i++;
      a = { k: 'bin', op, a, b: next() };
    }
    return a;
  }
  private or = (): Ast => {
    this.enter();
    const r = this.left(this.and, ['||']);
    this.depth--;
    return r;
  };
  private and = (): Ast => this.left(this.eq, ['&&']);
  private eq = (): Ast => this.left(this.cmp, ['===', '!==', '==', '!=']);
  private cmp = (): Ast => this.left(this.mem, ['<=', '>=', '<', '>']);
  private mem = (): Ast => {
    const a = this.add();
    const t = this.peek();
    if (t.t === 'id' && t.v === 'in') {
      this.i++;
      return { k: 'bin', op: 'in', a, b: this.add() };
    }
    return a;
  };
  private add = (): Ast => this.left(this.mul, ['+', '-']);
  private mul = (): Ast => this.left(this.un, ['*', '/', '%']);
  private un = (): Ast => {
    const op = this.isOp('!', '-');
    if (op) {
      this.i++;
      this.enter();
      const a = this.un();
      this.depth--;
      return { k: 'un', op, a };
    }
    return this.post();
  };
  private post(): Ast {
    let a = this.primary();
    for (;;) {
      if (this.isOp('.')) {
        this.i++;
        const t = this.peek();
        if (t.t !== 'id') throw new ExpressionError(`expected a property name at ${t.p}`);
        this.i++;
        a = { k: 'get', obj: a, key: { k: 'lit', v: checkKey(t.v) } };
      } else if (this.isOp('[')) {
        this.i++;
        const key = this.or();
        this.expect(']');
        if (key.k === 'lit') checkKey(String(key.v));
        a = { k: 'get', obj: a, key };
      } else return a;
    }
  }
  private primary(): Ast {
    const t = this.peek();
    this.i++;
    if (t.t === 'num' || t.t === 'str') return { k: 'lit', v: t.v };
    if (t.t === 'id') {
      if (t.v === 'true' || t.v === 'false') return { k: 'lit', v: t.v === 'true' };
      if (t.v === 'null') return { k: 'lit', v: null };
      if (this.isOp('(')) {
        if (!FUNCTIONS.has(t.v)) throw new ExpressionError(`unknown function '${t.v}' at ${t.p}`);
        this.i++;
        const args: Ast[] = [];
        if (!this.isOp(')')) {
          do args.push(this.or());
          while (this.isOp(',') && ++this.i);
        }
        this.expect(')');
        return { k: 'call', fn: t.v, args };
      }
      if (!ROOTS.has(t.v)) throw new ExpressionError(`unknown name '${t.v}' at ${t.p} (use ${[...ROOTS].join(', ')})`);
      return { k: 'id', name: t.v };
    }
    if (t.t === 'op' && t.v === '(') {
      const a = this.or();
      this.expect(')');
      return a;
    }
    if (t.t === 'op' && t.v === '[') {
      const items: Ast[] = [];
      if (!this.isOp(']')) {
        do items.push(this.or());
        while (this.isOp(',') && ++this.i);
      }
      this.expect(']');
      return { k: 'arr', items };
    }
    throw new ExpressionError(t.t === 'end' ? 'unexpected end of expression' : `unexpected token at ${t.p}`);
  }
}

function checkKey(key: string): string {
  if (BLOCKED_KEYS.has(key)) throw new ExpressionError(`property '${key}' is not allowed`);
  return key;
}

/** Parses an expression (throws ExpressionError with the position on a syntax error). */
export function parseExpression(src: string): Ast {
  return new Parser(tokenize(src)).parse();
}

/** The `steps.<id>` node ids an expression reads (for reference checks at validation time). */
export function referencedSteps(ast: Ast, out: Set<string> = new Set()): Set<string> {
  if (ast.k === 'get' && ast.obj.k === 'id' && ast.obj.name === 'steps' && ast.key.k === 'lit') out.add(String(ast.key.v));
  if (ast.k === 'get') {
    referencedSteps(ast.obj, out);
    referencedSteps(ast.key, out);
  } else if (ast.k === 'un') referencedSteps(ast.a, out);
  else if (ast.k === 'bin') {
    referencedSteps(ast.a, out);
    referencedSteps(ast.b, out);
  } else if (ast.k === 'call') ast.args.forEach((a) => referencedSteps(a, out));
  else if (ast.k === 'arr') ast.items.forEach((a) => referencedSteps(a, out));
  return out;
}

/** What an expression can read: the run input, earlier step results and loop variables. */
export type Scope = Partial<Record<'input' | 'steps' | 'item' | 'index' | 'result' | 'run', unknown>>;

function readKey(obj: unknown, key: unknown): unknown {
  if (obj === null || obj === undefined) return undefined;
  if (typeof key !== 'string' && typeof key !== 'number') throw new ExpressionError('a property key must be a string or number');
  const k = String(key);
  if (BLOCKED_KEYS.has(k)) throw new ExpressionError(`property '${k}' is not allowed`);
  if (typeof obj === 'string') return k === 'length' ? obj.length : undefined;
  if (typeof obj !== 'object') return undefined;
  if (Array.isArray(obj) && k === 'length') return obj.length;
  return Object.hasOwn(obj, k) ? (obj as Record<string, unknown>)[k] : undefined;
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  return JSON.stringify(a) === JSON.stringify(b);
}

function num(v: unknown, op: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new ExpressionError(`'${op}' needs numbers, got ${typeOf(v)}`);
  return v;
}

function typeOf(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v;
}

/** Evaluates a parsed expression against a scope, within `budget` steps. */
export function evaluate(ast: Ast, scope: Scope, budget = DEFAULT_BUDGET): unknown {
  let left = budget;
  const ev = (n: Ast): unknown => {
    if (--left < 0) throw new ExpressionError(`evaluation budget of ${budget} steps exceeded`);
    switch (n.k) {
      case 'lit':
        return n.v;
      case 'id':
        return Object.hasOwn(scope, n.name) ? scope[n.name as keyof Scope] : undefined;
      case 'get':
        return readKey(ev(n.obj), ev(n.key));
      case 'arr':
        return n.items.map(ev);
      case 'un':
        return n.op === '!' ? !truthy(ev(n.a)) : -num(ev(n.a), '-');
      case 'call':
        return call(n.fn, n.args.map(ev));
      case 'bin':
        return binary(n.op, n.a, n.b, ev);
    }
  };
  return ev(ast);
}

function binary(op: string, an: Ast, bn: Ast, ev: (n: Ast) => unknown): unknown {
  if (op === '&&') return truthy(ev(an)) ? ev(bn) : ev(an);
  if (op === '||') {
    const a = ev(an);
    return truthy(a) ? a : ev(bn);
  }
  const a = ev(an);
  const b = ev(bn);
  switch (op) {
    case '==':
    case '===':
      return deepEqual(a, b);
    case '!=':
    case '!==':
      return !deepEqual(a, b);
    case '<':
    case '<=':
    case '>':
    case '>=': {
      if (!((typeof a === 'number' && typeof b === 'number') || (typeof a === 'string' && typeof b === 'string')))
        throw new ExpressionError(`'${op}' compares two numbers or two strings, got ${typeOf(a)} and ${typeOf(b)}`);
      return op === '<' ? a < b : op === '<=' ? a <= b : op === '>' ? a > b : a >= b;
    }
    case 'in':
      if (Array.isArray(b)) return b.some((x) => deepEqual(x, a));
      if (typeof b === 'string') return typeof a === 'string' && b.includes(a);
      if (b && typeof b === 'object') return typeof a === 'string' && !BLOCKED_KEYS.has(a) && Object.hasOwn(b, a);
      return false;
    case '+':
      if (typeof a === 'string' || typeof b === 'string') return `${String(a)}${String(b)}`;
      return num(a, op) + num(b, op);
    case '-':
      return num(a, op) - num(b, op);
    case '*':
      return num(a, op) * num(b, op);
    case '/':
    case '%': {
      const d = num(b, op);
      if (d === 0) throw new ExpressionError('division by zero');
      return op === '/' ? num(a, op) / d : num(a, op) % d;
    }
  }
  throw new ExpressionError(`unknown operator '${op}'`);
}

function call(fn: string, args: unknown[]): unknown {
  const [a, b] = args;
  switch (fn) {
    case 'len':
      if (typeof a === 'string' || Array.isArray(a)) return a.length;
      if (a && typeof a === 'object') return Object.keys(a).length;
      return 0;
    case 'lower':
      return typeof a === 'string' ? a.toLowerCase() : a;
    case 'upper':
      return typeof a === 'string' ? a.toUpperCase() : a;
    case 'contains':
      if (Array.isArray(a)) return a.some((x) => deepEqual(x, b));
      return typeof a === 'string' && typeof b === 'string' && a.includes(b);
    case 'exists':
      return a !== undefined && a !== null;
  }
  throw new ExpressionError(`unknown function '${fn}'`);
}

/** JavaScript-like truthiness, except that an empty array or object is false (an empty result). */
export function truthy(v: unknown): boolean {
  if (Array.isArray(v)) return v.length > 0;
  if (v && typeof v === 'object') return Object.keys(v).length > 0;
  return Boolean(v);
}

/** Parses and evaluates in one call; the result coerced to a boolean (conditions, break rules). */
export function evaluateCondition(src: string, scope: Scope, budget = DEFAULT_BUDGET): boolean {
  return truthy(evaluate(parseExpression(src), scope, budget));
}
