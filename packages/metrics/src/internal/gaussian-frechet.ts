import { gaussianW2 } from '@sinkflow/ot';
import type { FrechetDistanceResult } from '../frechet-distance.js';
import { withCallerArgumentNames } from './ot-argument-error.js';

/**
 * `frechetDistance` on arrays of one dimension: `gaussianW2` of `@sinkflow/ot` (the one
 * implementation of the Bures-Wasserstein formula), its `squaredDistance` as the distance. Errors
 * name `functionName` and the caller's arguments (`names`, keyed by `mean1`, `covariance1`, ...).
 */
export function gaussianFrechet(
  mean1: ArrayLike<number>,
  covariance1: ArrayLike<number>,
  mean2: ArrayLike<number>,
  covariance2: ArrayLike<number>,
  functionName: string,
  names: Readonly<Record<string, string>> = {},
): FrechetDistanceResult {
  const result = withCallerArgumentNames(
    () => gaussianW2({ mean1, covariance1, mean2, covariance2 }),
    functionName,
    names,
  );
  return {
    distance: result.squaredDistance,
    meanTerm: result.meanTerm,
    covarianceTerm: result.squaredBures,
  };
}
