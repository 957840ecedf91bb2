import { InvalidArgumentError, requireInteger, requirePositiveNumber } from '@sinkflow/core';
import { type Epsilon, finalEpsilon } from '@sinkflow/entropy';
import { SINKHORN_DEFAULTS, type SinkhornSettings } from './sinkhorn-settings.js';

/**
 * {@link SinkhornSettings} after {@link validateSinkhornSettings}: every field set (defaults from
 * {@link SINKHORN_DEFAULTS}), `epsilon` null exactly when `targetEntropy` is set. Plain data, so it
 * can be posted to a worker.
 */
export interface ValidatedSinkhornSettings {
  /** The epsilon of a fixed-epsilon solve; null when `targetEntropy` is set. */
  readonly epsilon: Epsilon | null;
  /** The renormalized entropy to reach, in (0, 1); null for a fixed-epsilon solve. */
  readonly targetEntropy: number | null;
  readonly entropyTolerance: number;
  readonly initialRelativeEpsilon: number;
  readonly maxSolves: number;
  readonly threshold: number;
  readonly maxIterations: number;
  readonly innerIterations: number;
  readonly momentumStart: number;
}

/**
 * Checks {@link SinkhornSettings} and fills in {@link SINKHORN_DEFAULTS}: the one validation of the
 * solver's settings. `solve` and `solveForEntropy` run it where the settings enter ot; a caller
 * that hands settings to a worker (fm's OT worker, the lab) runs it first to fail fast.
 *
 * - `epsilon` and `targetEntropy` exclude each other; `targetEntropy` lies in (0, 1);
 * - `epsilon` is a valid {@link Epsilon} (positive values, a decay in (0, 1]);
 * - `threshold`, `entropyTolerance`, `initialRelativeEpsilon` are positive and finite;
 * - `maxIterations` is an integer `>= 0`, `innerIterations` and `maxSolves` integers `>= 1`;
 * - `momentumStart` is an integer `>= 0` or `Infinity`.
 *
 * @param settings - The settings (unknown fields are ignored).
 * @param functionName - The public function named in errors.
 * @throws {@link InvalidArgumentError} naming the bad setting.
 * @example
 * ```ts
 * validateSinkhornSettings({ targetEntropy: 0.2 }, 'train').maxIterations; // 50000
 * validateSinkhornSettings({ momentumStart: 2.5 }, 'train'); // throws: momentumStart
 * ```
 */
export function validateSinkhornSettings(
  settings: SinkhornSettings,
  functionName: string,
): ValidatedSinkhornSettings {
  if (typeof settings !== 'object' || settings === null) {
    throw new InvalidArgumentError({
      functionName,
      argumentName: 'options',
      message: 'must be an options object',
      value: settings,
    });
  }
  const {
    epsilon,
    targetEntropy,
    entropyTolerance = SINKHORN_DEFAULTS.entropyTolerance,
    initialRelativeEpsilon = SINKHORN_DEFAULTS.initialRelativeEpsilon,
    maxSolves = SINKHORN_DEFAULTS.maxSolves,
    threshold = SINKHORN_DEFAULTS.threshold,
    maxIterations = SINKHORN_DEFAULTS.maxIterations,
    innerIterations = SINKHORN_DEFAULTS.innerIterations,
    momentumStart = SINKHORN_DEFAULTS.momentumStart,
  } = settings;
  if (epsilon !== undefined && targetEntropy !== undefined) {
    throw new InvalidArgumentError({
      functionName,
      argumentName: 'targetEntropy',
      message: 'give either epsilon or targetEntropy, not both',
      value: targetEntropy,
    });
  }
  if (
    targetEntropy !== undefined &&
    (typeof targetEntropy !== 'number' || !(targetEntropy > 0 && targetEntropy < 1))
  ) {
    throw new InvalidArgumentError({
      functionName,
      argumentName: 'targetEntropy',
      message: 'must be a number in (0, 1)',
      value: targetEntropy,
    });
  }
  if (epsilon !== undefined) checkEpsilon(epsilon, functionName);
  requirePositiveNumber(entropyTolerance, { functionName, argumentName: 'entropyTolerance' });
  requirePositiveNumber(initialRelativeEpsilon, {
    functionName,
    argumentName: 'initialRelativeEpsilon',
  });
  requireInteger(maxSolves, { functionName, argumentName: 'maxSolves', minimum: 1 });
  requirePositiveNumber(threshold, { functionName, argumentName: 'threshold' });
  requireInteger(maxIterations, { functionName, argumentName: 'maxIterations', minimum: 0 });
  requireInteger(innerIterations, { functionName, argumentName: 'innerIterations', minimum: 1 });
  if (
    !(
      momentumStart === Number.POSITIVE_INFINITY ||
      (Number.isSafeInteger(momentumStart) && momentumStart >= 0)
    )
  ) {
    throw new InvalidArgumentError({
      functionName,
      argumentName: 'momentumStart',
      message: 'must be a non-negative integer or Infinity',
      value: momentumStart,
    });
  }
  return {
    epsilon: targetEntropy === undefined ? (epsilon ?? SINKHORN_DEFAULTS.epsilon) : null,
    targetEntropy: targetEntropy ?? null,
    entropyTolerance,
    initialRelativeEpsilon,
    maxSolves,
    threshold,
    maxIterations,
    innerIterations,
    momentumStart,
  };
}

/** An {@link Epsilon} checked by `@sinkflow/entropy`, the error re-addressed to the caller. */
function checkEpsilon(epsilon: unknown, functionName: string): void {
  try {
    // Validates every field; the cost scale only matters for the value, not for the check.
    finalEpsilon(epsilon as Epsilon, { costStd: 1 });
  } catch (error) {
    if (!(error instanceof InvalidArgumentError)) throw error;
    const prefix = `${error.functionName}: invalid argument '${error.argumentName}': `;
    const received = error.message.lastIndexOf(' (received ');
    throw new InvalidArgumentError({
      functionName,
      argumentName: error.argumentName,
      message: error.message.slice(prefix.length, received < 0 ? undefined : received),
      value: error.value,
      cause: error,
    });
  }
}
