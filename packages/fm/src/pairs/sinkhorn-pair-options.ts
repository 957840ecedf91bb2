import { requireOneOf } from '@sinkflow/core';
import { type SinkhornSettings, validateSinkhornSettings } from '@sinkflow/ot';
import type { OtSolveSettings } from '../internal/ot-task.js';

/**
 * The Sinkhorn settings of the OT pair sources: a `Pick` of `SinkhornSettings` from
 * `@sinkflow/ot` (which owns their meaning, defaults and validation; see `SINKHORN_DEFAULTS`),
 * passed on unchanged, plus the cost.
 */
export interface SinkhornPairOptions
  extends Pick<
    SinkhornSettings,
    | 'epsilon'
    | 'targetEntropy'
    | 'entropyTolerance'
    | 'initialRelativeEpsilon'
    | 'threshold'
    | 'maxIterations'
    | 'innerIterations'
    | 'momentumStart'
  > {
  /** `'dot'` (`C = -<x, y>`, the paper's) or `'sqeuclidean'`; same coupling. @default 'dot' */
  readonly cost?: 'dot' | 'sqeuclidean';
}

/**
 * @internal Validates {@link SinkhornPairOptions} in the caller (ot's `validateSinkhornSettings`,
 * so a bad setting fails here, not later in the OT worker) into the settings a task carries.
 */
export function sinkhornSettings(
  {
    cost = 'dot',
    epsilon,
    targetEntropy,
    entropyTolerance,
    initialRelativeEpsilon,
    threshold,
    maxIterations,
    innerIterations,
    momentumStart,
  }: SinkhornPairOptions,
  functionName: string,
): OtSolveSettings {
  requireOneOf(cost, ['dot', 'sqeuclidean'], { functionName, argumentName: 'cost' });
  return {
    cost,
    ...validateSinkhornSettings(
      {
        epsilon,
        targetEntropy,
        entropyTolerance,
        initialRelativeEpsilon,
        threshold,
        maxIterations,
        innerIterations,
        momentumStart,
      },
      functionName,
    ),
  };
}
