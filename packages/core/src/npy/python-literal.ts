import { InvalidArgumentError } from '../errors/invalid-argument-error.js';

/** Nesting limit of the header literal: real headers nest 3 deep (structured dtypes). */
const maximumDepth = 32;

/**
 * A value of the Python literal subset that `.npy` headers use: `str`, `int`, `bool`, `None`,
 * tuples, lists and dicts (NumPy writes the header with `repr` and reads it with `safe_eval`)
 * [npy-format].
 *
 * @example
 * ```ts
 * const shape: PythonLiteral = { kind: 'tuple', items: [4, 3] }; // Python (4, 3)
 * ```
 */
export type PythonLiteral =
  | string
  | number
  | boolean
  | null
  | { readonly kind: 'tuple' | 'list'; readonly items: readonly PythonLiteral[] }
  | {
      readonly kind: 'dict';
      readonly entries: readonly (readonly [PythonLiteral, PythonLiteral])[];
    };

/**
 * A shape as Python writes the tuple in `.npy` headers [npy-format]: `()`, `(5,)`, `(4, 3)`.
 *
 * @example
 * ```ts
 * formatPythonTuple([5]); // '(5,)'
 * ```
 */
export function formatPythonTuple(items: readonly PythonLiteral[]): string {
  return formatPythonLiteral({ kind: 'tuple', items });
}

/**
 * A {@link PythonLiteral} written back as Python source, as `repr` would (strings in single
 * quotes), for `.npy` headers [npy-format] and error messages.
 *
 * @example
 * ```ts
 * formatPythonLiteral({ kind: 'list', items: [{ kind: 'tuple', items: ['x', '<f4'] }] });
 * // "[('x', '<f4')]"
 * ```
 */
export function formatPythonLiteral(value: PythonLiteral): string {
  if (typeof value === 'string') return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (value === null) return 'None';
  if (typeof value === 'number') return String(value);
  if (value.kind === 'dict') {
    const entries = value.entries.map(
      ([key, entry]) => `${formatPythonLiteral(key)}: ${formatPythonLiteral(entry)}`,
    );
    return `{${entries.join(', ')}}`;
  }
  const items = value.items.map(formatPythonLiteral);
  if (value.kind === 'list') return `[${items.join(', ')}]`;
  return items.length === 1 ? `(${items[0]},)` : `(${items.join(', ')})`;
}

/**
 * Parses the Python literal subset of `.npy` headers [npy-format]: strings (with an optional `u`/`b` prefix
 * and the common escapes), integers (with Python 2's `L` suffix, which NumPy also accepts),
 * `True`, `False`, `None`, tuples, lists and dicts. A parenthesised value without a comma is the
 * value itself, as in Python. Nesting deeper than 32 levels is refused (real headers nest 3 deep).
 * Unlike NumPy's `safe_eval`, nothing is evaluated.
 *
 * @throws {@link InvalidArgumentError} saying what was expected at which character.
 * @example
 * ```ts
 * parsePythonLiteral("{'shape': (3,)}");
 * // { kind: 'dict', entries: [['shape', { kind: 'tuple', items: [3] }]] }
 * ```
 */
export function parsePythonLiteral(text: string): PythonLiteral {
  let position = 0;
  const error = (expected: string): Error =>
    new InvalidArgumentError({
      functionName: 'parsePythonLiteral',
      argumentName: 'text',
      message: `expected ${expected} at character ${position}`,
    });
  const skipSpace = (): void => {
    while (position < text.length && ' \t\n\r'.includes(text[position] as string)) position += 1;
  };
  const parseValue = (depth: number): PythonLiteral => {
    if (depth > maximumDepth) {
      throw new InvalidArgumentError({
        functionName: 'parsePythonLiteral',
        argumentName: 'text',
        message: `nested deeper than ${maximumDepth} levels`,
      });
    }
    skipSpace();
    const rest = text.slice(position, position + 6);
    const word = /^(True|False|None)\b/.exec(rest)?.[1];
    if (word !== undefined) {
      position += word.length;
      return word === 'None' ? null : word === 'True';
    }
    const number = /^[+-]?\d+[lL]?/.exec(text.slice(position, position + 40))?.[0];
    if (number !== undefined) {
      position += number.length;
      return Number(number.replace(/[lL]$/, ''));
    }
    const opening = text[position];
    if (opening === '(' || opening === '[' || opening === '{') {
      position += 1;
      const closing = opening === '(' ? ')' : opening === '[' ? ']' : '}';
      const items: PythonLiteral[] = [];
      let trailingComma = false;
      for (;;) {
        skipSpace();
        if (text[position] === closing) break;
        items.push(parseValue(depth + 1));
        if (opening === '{') {
          skipSpace();
          if (text[position] !== ':') throw error("':'");
          position += 1;
          items.push(parseValue(depth + 1));
        }
        skipSpace();
        trailingComma = text[position] === ',';
        if (trailingComma) position += 1;
        else if (text[position] !== closing) throw error(`',' or '${closing}'`);
      }
      position += 1;
      if (opening === '[') return { kind: 'list', items };
      if (opening === '(') {
        return items.length === 1 && !trailingComma
          ? (items[0] as PythonLiteral)
          : { kind: 'tuple', items };
      }
      const entries: (readonly [PythonLiteral, PythonLiteral])[] = [];
      for (let index = 0; index < items.length; index += 2) {
        entries.push([items[index] as PythonLiteral, items[index + 1] as PythonLiteral]);
      }
      return { kind: 'dict', entries };
    }
    if (/^[uUbB]?['"]/.test(rest)) return parseString();
    throw error('a string, an integer, True, False, None, a tuple, a list or a dict');
  };
  const parseString = (): string => {
    if (/[uUbB]/.test(text[position] as string)) position += 1;
    const quote = text[position];
    position += 1;
    let value = '';
    for (;;) {
      const character = text[position];
      if (character === undefined || character === '\n') throw error(`a closing ${quote}`);
      position += 1;
      if (character === quote) return value;
      if (character !== '\\') {
        value += character;
        continue;
      }
      const escaped = text[position] ?? '';
      position += 1;
      const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', '0': '\0' };
      const hexDigits = escaped === 'x' ? 2 : escaped === 'u' ? 4 : 0;
      if (hexDigits > 0) {
        const hex = text.slice(position, position + hexDigits);
        if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== hexDigits) throw error('hex digits');
        value += String.fromCharCode(Number.parseInt(hex, 16));
        position += hexDigits;
      } else {
        value += simple[escaped] ?? ('\\\'"'.includes(escaped) ? escaped : `\\${escaped}`);
      }
    }
  };
  const value = parseValue(0);
  skipSpace();
  if (position !== text.length) throw error('the end of the header');
  return value;
}
