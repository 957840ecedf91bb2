import { parseArgs } from 'node:util';
import { InvalidArgumentError } from '@sinkflow/core';

/** The flags a command accepts: name (without `--`) to kind. */
export type FlagSpec = Readonly<Record<string, 'string' | 'boolean'>>;

/** Parsed flags with typed accessors that name the flag in their errors. */
export interface Flags {
  /** True when the flag was given. */
  has(name: string): boolean;
  /** A string flag, or `fallback` when absent (throws when absent and no fallback). */
  string(name: string, fallback?: string): string;
  /** A string flag, or undefined. */
  optionalString(name: string): string | undefined;
  /** A finite number. */
  number(name: string, fallback?: number): number;
  /** A number, or undefined. */
  optionalNumber(name: string): number | undefined;
  /** A safe integer within [minimum, maximum]. */
  integer(
    name: string,
    options?: { readonly fallback?: number; readonly minimum?: number; readonly maximum?: number },
  ): number;
  /** One of the choices. */
  choice<const T extends string>(name: string, choices: readonly T[], fallback: T): T;
  /** A boolean flag. */
  boolean(name: string): boolean;
  /** Positional arguments. */
  readonly positionals: readonly string[];
}

/**
 * Parses `--name value` flags with `node:util` `parseArgs` (strict: unknown flags are errors) and
 * returns typed accessors. Every error is an `InvalidArgumentError` whose argument is the flag
 * (`--threshold`), so the command line prints one line naming it and exits 2.
 */
export function parseFlags(command: string, args: readonly string[], spec: FlagSpec): Flags {
  const functionName = `sinkflow ${command}`;
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: [...args],
      options: Object.fromEntries(Object.entries(spec).map(([name, type]) => [name, { type }])),
      strict: true,
      allowPositionals: true,
    });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const flag = /'(--?[\w-]+)/.exec(message)?.[1] ?? 'arguments';
    throw new InvalidArgumentError({
      functionName,
      argumentName: flag,
      message: message.replace(/\. To specify.*$/s, ''),
    });
  }
  const values = parsed.values as Record<string, string | boolean | undefined>;
  const raw = (name: string): string | undefined => {
    const value = values[name];
    return typeof value === 'string' ? value : undefined;
  };
  const fail = (name: string, message: string, value?: unknown): never => {
    throw new InvalidArgumentError({ functionName, argumentName: `--${name}`, message, value });
  };
  const toNumber = (name: string, text: string): number => {
    const value = Number(text);
    if (text.trim() === '' || !Number.isFinite(value)) fail(name, 'must be a finite number', text);
    return value;
  };
  return {
    positionals: parsed.positionals,
    has: (name) => values[name] !== undefined,
    string(name, fallback) {
      const value = raw(name) ?? fallback;
      if (value === undefined) return fail(name, 'is required');
      return value;
    },
    optionalString: raw,
    number(name, fallback) {
      const text = raw(name);
      if (text === undefined) return fallback === undefined ? fail(name, 'is required') : fallback;
      return toNumber(name, text);
    },
    optionalNumber(name) {
      const text = raw(name);
      return text === undefined ? undefined : toNumber(name, text);
    },
    integer(
      name,
      { fallback, minimum = Number.MIN_SAFE_INTEGER, maximum = Number.MAX_SAFE_INTEGER } = {},
    ) {
      const text = raw(name);
      if (text === undefined) return fallback === undefined ? fail(name, 'is required') : fallback;
      const value = toNumber(name, text);
      if (!Number.isSafeInteger(value)) fail(name, 'must be an integer', text);
      if (value < minimum || value > maximum) {
        fail(
          name,
          maximum === Number.MAX_SAFE_INTEGER
            ? `must be >= ${minimum}`
            : `must be in [${minimum}, ${maximum}]`,
          value,
        );
      }
      return value;
    },
    choice(name, choices, fallback) {
      const value = raw(name) ?? fallback;
      if (!(choices as readonly string[]).includes(value))
        fail(name, `must be one of ${choices.join(', ')}`, value);
      return value as (typeof choices)[number];
    },
    boolean: (name) => values[name] === true,
  };
}
