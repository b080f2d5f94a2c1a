import { describe, expect, it } from 'vitest';
import { ExpressionError, evaluate, evaluateCondition, parseExpression, referencedSteps } from './expressions.ts';
import { checkTemplates, parseTemplate, renderString, renderValue } from './templating.ts';

const scope = {
  input: { x: 5, name: 'Web-01', tags: ['a', 'b'], nested: { deep: { v: true } } },
  steps: { launch: { output: { count: 3, id: 'ocid1.instance', items: [1, 2, 3] }, status: 'completed' } },
};
const ev = (s: string, sc: object = scope): unknown => evaluate(parseExpression(s), sc);

describe('expression language', () => {
  it.each([
    ['1 + 2 * 3', 7],
    ['(1 + 2) * 3', 9],
    ['10 / 4', 2.5],
    ['10 % 4', 2],
    ['-input.x + 1', -4],
    ['"a" + "b"', 'ab'],
    ["'it\\'s'", "it's"],
    ['steps.launch.output.count', 3],
    ['input.nested.deep.v', true],
    ['input.tags[1]', 'b'],
    ['input["x"]', 5],
    ['steps.launch.output.items.length', 3],
    ['input.missing.deeper', undefined],
    ['input.x == 5', true],
    ['input.x === 5', true],
    ['input.x != 5', false],
    ['input.x !== "5"', true],
    ['input.x > 4 && input.x <= 5', true],
    ['input.x < 4 || input.x >= 6', false],
    ['!(input.x > 4)', false],
    ['!input.missing', true],
    ['"a" in input.tags', true],
    ['"z" in input.tags', false],
    ['"eb" in lower(input.name)', true],
    ['"x" in input', true],
    ['len(input.tags)', 2],
    ['len(input.name)', 6],
    ['lower(input.name)', 'web-01'],
    ['upper("a")', 'A'],
    ['contains(input.tags, "a")', true],
    ['contains(input.name, "01")', true],
    ['exists(input.x) && !exists(input.y)', true],
    ['[1, 2] == [1, 2]', true],
    ['null == input.missing', false],
    ['true && "yes"', 'yes'],
    ['0 || "fallback"', 'fallback'],
    ['1.5 * 2', 3],
  ])('%s → %j', (src, want) => {
    expect(ev(src)).toEqual(want);
  });

  it('treats empty arrays and objects as false in conditions', () => {
    expect(evaluateCondition('input.list', { input: { list: [] } })).toBe(false);
    expect(evaluateCondition('input.obj', { input: { obj: {} } })).toBe(false);
    expect(evaluateCondition('input.list', { input: { list: [0] } })).toBe(true);
  });

  it.each(['__proto__', 'constructor', 'prototype'])('blocks the prototype key %s in paths', (key) => {
    expect(() => parseExpression(`input.${key}`)).toThrow(ExpressionError);
    expect(() => parseExpression(`input["${key}"]`)).toThrow(/not allowed/);
    // A computed key is checked at evaluation time.
    expect(() => ev(`input[steps.k]`, { input: {}, steps: { k: key } })).toThrow(/not allowed/);
  });

  it('reads own properties only (nothing inherited from Object.prototype)', () => {
    expect(ev('input.toString')).toBeUndefined();
    expect(ev('input.hasOwnProperty')).toBeUndefined();
    expect(ev('"toString" in input')).toBe(false);
  });

  it.each([
    ['input.x +', /unexpected end/],
    ['(input.x', /expected '\)'/],
    ['input.x ; 1', /unexpected character/],
    ['process.exit()', /unknown name 'process'/],
    ['eval("1")', /unknown function 'eval'/],
    ['"abc', /unterminated string/],
    ['input.', /property name/],
    ['1 2', /unexpected token/],
  ])('rejects %s', (src, err) => {
    expect(() => parseExpression(src)).toThrow(err);
  });

  it('reports type errors instead of coercing', () => {
    expect(() => ev('input.name > 3')).toThrow(/compares two numbers or two strings/);
    expect(() => ev('input.tags * 2')).toThrow(/needs numbers/);
    expect(() => ev('1 / 0')).toThrow(/division by zero/);
  });

  it('stops at the evaluation budget', () => {
    const src = Array.from({ length: 150 }, () => 'input.x').join(' + ');
    expect(evaluate(parseExpression(src), scope)).toBe(750);
    expect(() => evaluate(parseExpression(src), scope, 100)).toThrow(/budget of 100 steps exceeded/);
  });

  it('refuses deep nesting and overlong expressions', () => {
    expect(() => parseExpression('('.repeat(100) + '1' + ')'.repeat(100))).toThrow(/nested too deeply/);
    expect(() => parseExpression('1 + '.repeat(600) + '1')).toThrow(/too long/);
  });

  it('lists the steps an expression reads', () => {
    expect([...referencedSteps(parseExpression('steps.a.output.x > 1 && len(steps["b"].output) > 0 || input.y'))]).toEqual(['a', 'b']);
  });

  it('accepts hyphenated node ids in paths', () => {
    expect(ev('steps.my-node.output', { steps: { 'my-node': { output: 7 } } })).toBe(7);
    expect(ev('input.x - 1')).toBe(4);
  });
});

describe('templating', () => {
  it('keeps the type of a whole-string template', () => {
    expect(renderString('{{steps.launch.output.count}}', scope)).toBe(3);
    expect(renderString('{{ steps.launch.output.items }}', scope)).toEqual([1, 2, 3]);
    expect(renderString('{{input.nested}}', scope)).toEqual({ deep: { v: true } });
  });

  it('stringifies embedded templates', () => {
    expect(renderString('id={{steps.launch.output.id}} n={{steps.launch.output.count}}', scope)).toBe('id=ocid1.instance n=3');
    expect(renderString('items: {{steps.launch.output.items}}', scope)).toBe('items: [1,2,3]');
    expect(renderString('missing: [{{input.none}}]', scope)).toBe('missing: []');
  });

  it('renders args objects and arrays recursively, leaving other values alone', () => {
    expect(renderValue({ id: '{{steps.launch.output.id}}', list: ['{{input.x}}', 'plain', 2], flag: false, n: null }, scope)).toEqual({
      id: 'ocid1.instance',
      list: [5, 'plain', 2],
      flag: false,
      n: null,
    });
  });

  it('evaluates expressions inside templates', () => {
    expect(renderString('{{input.x * 2}}', scope)).toBe(10);
  });

  it.each([
    ['{{input.x', /unclosed/],
    ['{{}}', /empty template/],
    ['{{input.__proto__}}', /not allowed/],
    ['{{ 1 + }}', /unexpected end/],
  ])('rejects the bad template %s', (t, err) => {
    expect(() => parseTemplate(t)).toThrow(err);
  });

  it('names the field of a bad template and collects step references', () => {
    expect(() => checkTemplates({ a: { b: ['ok', '{{oops'] } })).toThrow(/a\.b\[1\]: unclosed/);
    expect([...checkTemplates({ a: '{{steps.x.output}}', b: ['{{steps.y.output.id}} and {{input.z}}'] })]).toEqual(['x', 'y']);
  });
});
