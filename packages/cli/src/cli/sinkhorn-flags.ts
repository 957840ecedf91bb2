import { InvalidArgumentError } from '@sinkflow/core';
import { absoluteEpsilon, relativeEpsilon } from '@sinkflow/entropy';
import {
  SINKHORN_DEFAULTS,
  type SinkhornSettings,
  type ValidatedSinkhornSettings,
  validateSinkhornSettings,
} from '@sinkflow/ot';
import type { Flags } from './parse-flags.js';

/** The flags that set the regularisation, at most one per command line. */
export const EPSILON_FLAGS = ['--epsilon', '--relative-epsilon', '--target-entropy'] as const;

/**
 * The relative epsilon of ot's default epsilon (`SINKHORN_DEFAULTS.epsilon`, a relative one), for
 * help texts.
 */
export const DEFAULT_RELATIVE_EPSILON: number =
  SINKHORN_DEFAULTS.epsilon.kind === 'relative' ? SINKHORN_DEFAULTS.epsilon.relative : Number.NaN;

/**
 * The flag of each of ot's `SinkhornSettings` that the lab's commands expose (`epsilon` is set by
 * one of {@link EPSILON_FLAGS}).
 */
const SETTING_FLAGS: Readonly<Partial<Record<string, string>>> = {
  targetEntropy: '--target-entropy',
  threshold: '--threshold',
  maxIterations: '--max-iterations',
  momentumStart: '--momentum-start',
};

/** ot's Sinkhorn settings read from flags, as given and as ot validated them. */
export interface SinkhornFlagSettings {
  /**
   * The settings the flags give, to pass to ot unchanged: absent flags stay absent, so ot's
   * `SINKHORN_DEFAULTS` apply.
   */
  readonly settings: SinkhornSettings;
  /** The same after ot's `validateSinkhornSettings`: every value set (for progress bars, messages). */
  readonly validated: ValidatedSinkhornSettings;
}

/**
 * Reads ot's Sinkhorn settings from the flags of a command: `--epsilon ABS`, `--relative-epsilon R`
 * or `--target-entropy E` (at most one), `--threshold`, `--max-iterations`, `--momentum-start`
 * (flags a command does not declare read as absent). The lab keeps no defaults and no range checks
 * of its own: the values are checked by ot's `validateSinkhornSettings` (the check `solve` runs
 * again where they enter ot), here, before any file is read, and its errors name the flag.
 *
 * @param options - The parsed flags.
 * @param functionName - The command named in errors (`sinkflow solve`).
 * @throws {@link InvalidArgumentError} naming the flag: more than one epsilon flag, or a value ot
 * refuses (`--target-entropy` outside (0, 1), `--max-iterations 2.5`, `--epsilon 0`, ...).
 * @example
 * ```ts
 * const { settings, validated } = sinkhornSettingsFromFlags(parseFlags('solve', ['--target-entropy', '0.2'], spec), 'sinkflow solve');
 * settings; // { targetEntropy: 0.2 }
 * validated.maxIterations; // 50000 (SINKHORN_DEFAULTS)
 * ```
 */
export function sinkhornSettingsFromFlags(
  options: Flags,
  functionName: string,
): SinkhornFlagSettings {
  const given = EPSILON_FLAGS.filter((flag) => options.has(flag.slice(2)));
  if (given.length > 1) {
    throw new InvalidArgumentError({
      functionName,
      argumentName: given[1] as string,
      message: `give only one of ${EPSILON_FLAGS.join(', ')} (also got ${given[0]})`,
    });
  }
  const number = (flag: string) => options.optionalNumber(flag.slice(2));
  const absolute = number('--epsilon');
  const relative = number('--relative-epsilon');
  const entries: Record<string, unknown> = {
    epsilon:
      absolute !== undefined
        ? namingFlag(functionName, '--epsilon', () => absoluteEpsilon(absolute))
        : relative !== undefined
          ? namingFlag(functionName, '--relative-epsilon', () => relativeEpsilon(relative))
          : undefined,
    targetEntropy: number('--target-entropy'),
    threshold: number('--threshold'),
    maxIterations: number('--max-iterations'),
    momentumStart: number('--momentum-start'),
  };
  for (const key of Object.keys(entries)) if (entries[key] === undefined) delete entries[key];
  const settings = entries as SinkhornSettings;
  try {
    return { settings, validated: validateSinkhornSettings(settings, functionName) };
  } catch (error) {
    throw asSinkhornFlagError(error, options, functionName);
  }
}

/**
 * An `InvalidArgumentError` of ot about one of its Sinkhorn settings (from
 * `validateSinkhornSettings`, or a backend's refusal of the `epsilon`) as the same error naming
 * the flag that set it; any other error unchanged.
 *
 * @param error - What was thrown.
 * @param options - The parsed flags (which epsilon flag was given).
 * @param functionName - The command named in the new error.
 * @example
 * ```ts
 * asSinkhornFlagError(errorNaming('targetEntropy'), options, 'sinkflow solve').argumentName; // '--target-entropy'
 * ```
 */
export function asSinkhornFlagError(error: unknown, options: Flags, functionName: string): unknown {
  if (!InvalidArgumentError.isInstance(error)) return error;
  const flag =
    error.argumentName === 'epsilon' || error.argumentName.startsWith('epsilon.')
      ? (EPSILON_FLAGS.find((name) => options.has(name.slice(2))) ?? '--relative-epsilon')
      : SETTING_FLAGS[error.argumentName];
  return flag === undefined ? error : renameArgument(error, functionName, flag);
}

/**
 * The same error about another argument: the message's own text and the value kept, the
 * `function: invalid argument 'name': ` prefix and the `(received ...)` suffix rebuilt.
 *
 * @param error - The error to readdress.
 * @param functionName - The function (command) named in the new error.
 * @param argumentName - The argument (flag) named in the new error.
 * @example
 * ```ts
 * renameArgument(error, 'sinkflow solve', '--threshold').message;
 * // "sinkflow solve: invalid argument '--threshold': must be a positive finite number (received -1)"
 * ```
 */
export function renameArgument(
  error: InvalidArgumentError,
  functionName: string,
  argumentName: string,
): InvalidArgumentError {
  const prefix = `${error.functionName}: invalid argument '${error.argumentName}': `;
  let message = error.message.startsWith(prefix)
    ? error.message.slice(prefix.length)
    : error.message;
  const received = message.lastIndexOf(' (received ');
  if (error.value !== undefined && received >= 0) message = message.slice(0, received);
  return new InvalidArgumentError({
    functionName,
    argumentName,
    message,
    value: error.value,
    cause: error,
  });
}

/** `build()`, its `InvalidArgumentError` readdressed to `flag`. */
function namingFlag<T>(functionName: string, flag: string, build: () => T): T {
  try {
    return build();
  } catch (error) {
    if (!InvalidArgumentError.isInstance(error)) throw error;
    throw renameArgument(error, functionName, flag);
  }
}
