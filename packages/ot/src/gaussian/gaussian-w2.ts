import { type GaussianPairOptions, squaredMeanGap, validateGaussianPair } from './gaussian-pair.js';
import { multiply, spectralFunction, symmetricEigen, trace } from './symmetric-matrix.js';

/** `W_2` between two Gaussians and its two terms. */
export interface GaussianW2Result {
  /** `W_2(N(m1, S1), N(m2, S2))`. */
  readonly distance: number;
  /** `W_2^2 = meanTerm + squaredBures`. */
  readonly squaredDistance: number;
  /** `||m1 - m2||^2`. */
  readonly meanTerm: number;
  /** The squared Bures distance `B^2(S1, S2) = tr S1 + tr S2 - 2 tr (S1^(1/2) S2 S1^(1/2))^(1/2)`. */
  readonly squaredBures: number;
  readonly d: number;
}

/**
 * The 2-Wasserstein distance between two Gaussians (the Bures-Wasserstein distance), in closed
 * form [dowson1982; peyre2019, Section 2.6; janati2020], the one implementation of this formula in
 * sinkflow (`frechetDistance` of `@sinkflow/metrics`, the FID, is its `squaredDistance`):
 *
 *   W_2^2 = ||m1 - m2||^2 + tr S1 + tr S2 - 2 tr (S1^(1/2) S2 S1^(1/2))^(1/2),
 *
 * for the cost `||x - y||^2` (half of it is the exact OT cost in the engine's `'sqeuclidean'`
 * convention `1/2 ||x - y||^2`). Symmetric square roots by eigen-decomposition ({@link symmetricEigen}); the
 * rounding of `squaredBures` is clamped at 0. Degenerate (semi-definite) covariances are fine.
 * O(d^3).
 *
 * @throws {@link InvalidArgumentError} for means of different lengths, covariances that are not
 * `d x d`, finite, symmetric and positive semi-definite.
 * @example
 * ```ts
 * const result = gaussianW2({ mean1: [0], covariance1: [1], mean2: [1], covariance2: [4] });
 * result.squaredDistance; // 2 (1 for the means, (1 - 2)^2 for the standard deviations)
 * result.distance; // 1.4142135623730951
 * ```
 */
export function gaussianW2({
  mean1,
  covariance1,
  mean2,
  covariance2,
}: GaussianPairOptions): GaussianW2Result {
  const pair = validateGaussianPair({ mean1, covariance1, mean2, covariance2 }, 'gaussianW2');
  const { d } = pair;
  const rootOfFirst = spectralFunction(pair.eigen1, (value) => Math.sqrt(Math.max(value, 0)));
  const middle = multiply(multiply(rootOfFirst, pair.covariance2, d), rootOfFirst, d);
  let crossTrace = 0;
  for (const value of symmetricEigen(middle, d).values) crossTrace += Math.sqrt(Math.max(value, 0));
  const squaredBures = Math.max(
    0,
    trace(pair.covariance1, d) + trace(pair.covariance2, d) - 2 * crossTrace,
  );
  const meanTerm = squaredMeanGap(pair);
  const squaredDistance = meanTerm + squaredBures;
  return Object.freeze({
    distance: Math.sqrt(squaredDistance),
    squaredDistance,
    meanTerm,
    squaredBures,
    d,
  });
}
