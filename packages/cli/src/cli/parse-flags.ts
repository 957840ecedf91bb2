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

/** What {@link parseFlags} accepts besides the flags. */
export interface ParseFlagsOptions {
  /**
   * The names of the positional arguments the command takes, in order (`['CONFIG']`); any other
   * positional argument is an error naming it.
   * @default []
   */
  readonly positionals?: readonly string[];
}

/**
 * Parses `--name value` and `--name=value` flags and returns typed accessors. Strict: an unknown
 * flag, a flag given twice, a boolean flag with a value, a string flag without one and a
 * positional argument the command does not take are errors. A value may start with a dash
 * (`--epsilon -1`, `--json -`): a token is a flag only when it starts with `--`, so a negative
 * number reaches the flag's own validation. `--` ends the flags (what follows is positional).
 * Every error is an `InvalidArgumentError` whose argument is the flag (`--threshold`) or the
 * stray argument, so the command line prints one line naming it and exits 2.
 *
 * @example
 * ```ts
 * parseFlags('solve', ['--epsilon', '-1'], { epsilon: 'string' }).optionalString('epsilon'); // '-1'
 * parseFlags('solve', ['--x', 'a.npy', '--x', 'b.npy'], { x: 'string' }); // throws: --x given twice
 * ```
 */
export function parseFlags(
  command: string,
  args: readonly string[],
  spec: FlagSpec,
  { positionals: positionalNames = [] }: ParseFlagsOptions = {},
): Flags {
  const functionName = `sinkflow ${command}`;
  const parsed = tokenize(functionName, args, spec);
  if (parsed.positionals.length > positionalNames.length) {
    const stray = parsed.positionals[positionalNames.length] as string;
    throw new InvalidArgumentError({
      functionName,
      argumentName: stray,
      message:
        positionalNames.length === 0
          ? 'is not a flag, and this command takes no other arguments (flags start with --)'
          : `is one argument too many (this command takes ${positionalNames.join(' ')})`,
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

/** Splits the arguments into flag values and positional arguments (see {@link parseFlags}). */
function tokenize(
  functionName: string,
  args: readonly string[],
  spec: FlagSpec,
): {
  readonly values: Readonly<Record<string, string | boolean | undefined>>;
  readonly positionals: readonly string[];
} {
  const values: Record<string, string | boolean> = {};
  const positionals: string[] = [];
  const fail = (argumentName: string, message: string): never => {
    throw new InvalidArgumentError({ functionName, argumentName, message });
  };
  for (let index = 0; index < args.length; index += 1) {
    const token = args[index] as string;
    if (token === '--') {
      positionals.push(...args.slice(index + 1));
      break;
    }
    if (!token.startsWith('--')) {
      positionals.push(token);
      continue;
    }
    const equals = token.indexOf('=');
    const name = token.slice(2, equals === -1 ? undefined : equals);
    const flag = `--${name}`;
    const kind = Object.hasOwn(spec, name) ? spec[name] : undefined;
    if (kind === undefined) fail(flag, 'is not a flag of this command (see --help)');
    if (Object.hasOwn(values, name)) fail(flag, 'is given more than once');
    if (kind === 'boolean') {
      if (equals !== -1) fail(flag, 'takes no value');
      values[name] = true;
      continue;
    }
    if (equals !== -1) {
      values[name] = token.slice(equals + 1);
      continue;
    }
    const value = args[index + 1];
    if (value === undefined || value.startsWith('--')) fail(flag, 'needs a value');
    values[name] = value as string;
    index += 1;
  }
  return { values, positionals };
}
