import { gaussianFrechet } from './internal/gaussian-frechet.js';
import {
  requireDimension,
  requireLength,
  requireSymmetricMatrix,
} from './internal/validate-arrays.js';

/** Options of {@link frechetDistance}: two Gaussians `N(mean1, covariance1)`, `N(mean2, covariance2)`. */
export interface FrechetDistanceOptions {
  /** Mean of the first Gaussian (d entries). */
  readonly mean1: ArrayLike<number>;
  /** Covariance of the first Gaussian (d x d, row-major, symmetric positive semi-definite). */
  readonly covariance1: ArrayLike<number>;
  /** Mean of the second Gaussian. */
  readonly mean2: ArrayLike<number>;
  /** Covariance of the second Gaussian. */
  readonly covariance2: ArrayLike<number>;
  /** Dimension; inferred from `mean1.length` when absent. */
  readonly d?: number;
}

/** What {@link frechetDistance} returns (lower is better; 0 for equal Gaussians). */
export interface FrechetDistanceResult {
  /** `meanTerm + covarianceTerm`: the squared 2-Wasserstein distance between the Gaussians. */
  readonly distance: number;
  /** `||mean1 - mean2||^2`. */
  readonly meanTerm: number;
  /** The squared Bures distance `tr(S1 + S2 - 2 (S1^{1/2} S2 S1^{1/2})^{1/2})`, clamped at 0. */
  readonly covarianceTerm: number;
}

/**
 * The Fréchet distance between two Gaussians [dowson1982], which is the squared 2-Wasserstein
 * distance between them (with cost `||x - y||^2`, no 1/2) and, on Inception features, the FID
 * [heusel2017]:
 *
 * `FD = ||m1 - m2||^2 + tr(S1 + S2 - 2 (S1^{1/2} S2 S1^{1/2})^{1/2})`.
 *
 * The metric name (FID convention: the squared distance) on the one implementation of the formula,
 * `gaussianW2` of `@sinkflow/ot`: `distance` is its `squaredDistance`, `covarianceTerm` its
 * `squaredBures`. Computed in float64 with symmetric eigendecompositions (`symmetricEigen`):
 * `S1^{1/2}` from the eigenvalues of `S1` (negative rounding clamped to 0), then the square roots
 * of the eigenvalues of the symmetrized `S1^{1/2} S2 S1^{1/2}`; no complex `sqrtm` as in
 * pytorch-fid, and the covariance term is clamped at 0 (it can round to -1e-15 for equal
 * covariances).
 *
 * @throws {@link InvalidArgumentError} naming the argument for arrays of the wrong length, or
 * covariances that are not symmetric positive semi-definite.
 * @example
 * ```ts
 * frechetDistance({ mean1: [0, 0], covariance1: [1, 0, 0, 1], mean2: [3, 4], covariance2: [4, 0, 0, 9] });
 * // { distance: 30, meanTerm: 25, covarianceTerm: 5 }   (tr: 1 + 1 + 4 + 9 - 2 (2 + 3) = 5)
 * ```
 */
export function frechetDistance({
  mean1,
  covariance1,
  mean2,
  covariance2,
  d,
}: FrechetDistanceOptions): FrechetDistanceResult {
  const functionName = 'frechetDistance';
  const dimension = requireDimension(
    d ?? mean1?.length,
    functionName,
    d === undefined ? 'mean1' : 'd',
  );
  return gaussianFrechet(
    requireLength(mean1, dimension, { functionName, argumentName: 'mean1' }),
    requireSymmetricMatrix(covariance1, dimension, { functionName, argumentName: 'covariance1' }),
    requireLength(mean2, dimension, { functionName, argumentName: 'mean2' }),
    requireSymmetricMatrix(covariance2, dimension, { functionName, argumentName: 'covariance2' }),
    functionName,
  );
}
