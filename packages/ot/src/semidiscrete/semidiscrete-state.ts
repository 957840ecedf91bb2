import {
  InvalidArgumentError,
  RANDOM_GENERATOR_STATE_VERSION,
  type RandomGeneratorState,
} from '@sinkflow/core';

/**
 * Everything the semidiscrete solver needs to continue exactly where it stopped, as plain JSON
 * data: save it (`JSON.stringify`) and pass it back as `initialState` to `solveSemidiscrete`; the
 * resumed run then gives the same `g`, bit for bit, as one uninterrupted run [mousavi2025semidiscrete].
 *
 * @example
 * ```ts
 * const first = await solveSemidiscrete({ y, maxSteps: 500 });
 * const text = JSON.stringify(first.state);
 * const resumed = await solveSemidiscrete({ y, maxSteps: 1000, initialState: JSON.parse(text) });
 * ```
 */
export interface SemidiscreteState {
  /** Format version, 1. */
  readonly version: 1;
  /** Optimizer steps done. */
  readonly step: number;
  /** The current iterate `g` (length N). */
  readonly g: readonly number[];
  /** The exponential moving average of `g`: what the solver returns. */
  readonly gAverage: readonly number[];
  /** Adam's first moment (length N). */
  readonly firstMoment: readonly number[];
  /** Adam's second moment (length N). */
  readonly secondMoment: readonly number[];
  /** The absolute epsilon the run uses (0: the hard problem). */
  readonly epsilon: number;
  /** The estimate of `std(C)` between the source and `y` (the scale of a relative epsilon). */
  readonly costStd: number;
  /** The training stream's position (its key also keys the evaluation batches). */
  readonly random: RandomGeneratorState;
  /**
   * Seconds spent by the fit so far, over every resumed call (absent in states saved before it
   * was kept: counted as 0).
   */
  readonly seconds?: number;
}

/**
 * Checks that `value` is a {@link SemidiscreteState} of a problem with `count` target points:
 * version 1, a step >= 0, `g`, `gAverage`, `firstMoment` and `secondMoment` of `count` finite
 * numbers each, a finite `epsilon` and `costStd` >= 0, and a random generator state. Use it on a
 * state read back from a file before handing it to `solveSemidiscrete` (`initialState`) or to
 * `createPartnerSampler` (`refine.state`), which run the same check, to refuse a forged or
 * truncated one where it is read [mousavi2025semidiscrete].
 *
 * @returns `value`, typed.
 * @throws {@link InvalidArgumentError} naming `argumentName` and the field at fault
 * (`initialState.g[3]`).
 */
export function validateSemidiscreteState(
  value: unknown,
  count: number,
  functionName: string,
  argumentName = 'initialState',
): SemidiscreteState {
  const fail = (field: string, message: string, received?: unknown): never => {
    throw new InvalidArgumentError({
      functionName,
      argumentName: field === '' ? argumentName : `${argumentName}.${field}`,
      message,
      value: received,
    });
  };
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return fail('', 'must be a state object (from a solution or progress checkpoint)', value);
  }
  const state = value as Record<string, unknown>;
  if (state.version !== 1) fail('version', 'must be 1', state.version);
  if (!(Number.isSafeInteger(state.step) && (state.step as number) >= 0)) {
    fail('step', 'must be an integer >= 0', state.step);
  }
  for (const field of ['g', 'gAverage', 'firstMoment', 'secondMoment'] as const) {
    const array = state[field];
    if (!Array.isArray(array) || array.length !== count) {
      fail(field, `must be an array of ${count} finite numbers (one per point of y)`, array);
    }
    (array as unknown[]).forEach((entry, j) => {
      if (typeof entry !== 'number' || !Number.isFinite(entry)) {
        fail(`${field}[${j}]`, 'must be a finite number', entry);
      }
    });
  }
  if (
    !(typeof state.epsilon === 'number' && Number.isFinite(state.epsilon) && state.epsilon >= 0)
  ) {
    fail('epsilon', 'must be a finite number >= 0', state.epsilon);
  }
  if (
    !(typeof state.costStd === 'number' && Number.isFinite(state.costStd) && state.costStd >= 0)
  ) {
    fail('costStd', 'must be a finite number >= 0', state.costStd);
  }
  if (
    state.seconds !== undefined &&
    !(typeof state.seconds === 'number' && Number.isFinite(state.seconds) && state.seconds >= 0)
  ) {
    fail('seconds', 'must be a finite number >= 0 when present', state.seconds);
  }
  const random = state.random as { version?: unknown } | null;
  if (
    random === null ||
    typeof random !== 'object' ||
    random.version !== RANDOM_GENERATOR_STATE_VERSION
  ) {
    fail('random', 'must be a random generator state (from getState())', state.random);
  }
  return value as unknown as SemidiscreteState;
}
