import { InvalidArgumentError } from '@sinkflow/core';
import { type GaussianPairOptions, validateGaussianPair } from './gaussian-pair.js';
import { multiply, spectralFunction, symmetricSquareRoot, symmetrize } from './symmetric-matrix.js';

/** The optimal (Monge, Brenier) map between two Gaussians, `T(x) = matrix x + translation`. */
export interface GaussianMongeMap {
  readonly d: number;
  /** `A = S1^(-1/2) (S1^(1/2) S2 S1^(1/2))^(1/2) S1^(-1/2)`, symmetric positive semi-definite, `d x d` row-major. */
  readonly matrix: Float64Array;
  /** `m2 - A m1`, length d. */
  readonly translation: Float64Array;
  /**
   * `T(x_i) = A x_i + translation` for each row of `points` (row-major `n x d`), in float64.
   *
   * @throws {@link InvalidArgumentError} when `points` is not a Float32Array or Float64Array of a multiple of d values.
   */
  apply(points: Float32Array | Float64Array): Float64Array;
}

/**
 * The Monge map from `N(m1, S1)` to `N(m2, S2)` for the quadratic cost [peyre2019, Section 2.6]:
 *
 *   T(x) = m2 + A (x - m1),   A = S1^(-1/2) (S1^(1/2) S2 S1^(1/2))^(1/2) S1^(-1/2),
 *
 * the gradient of a convex quadratic (so `A` is symmetric PSD), pushing the first Gaussian onto the
 * second with `E ||x - T(x)||^2 = W_2^2` (see {@link gaussianW2}). The same map as POT's
 * `ot.da.OT_mapping_linear` on the covariances. `S1` must be positive definite. O(d^3).
 *
 * @throws {@link InvalidArgumentError} as {@link gaussianW2}, and when `covariance1` is not positive definite.
 * @example
 * ```ts
 * const map = gaussianMongeMap({ mean1: [0], covariance1: [1], mean2: [1], covariance2: [4] });
 * map.matrix; // Float64Array [2]
 * map.apply(new Float64Array([0, 1])); // Float64Array [1, 3]
 * ```
 */
export function gaussianMongeMap({
  mean1,
  covariance1,
  mean2,
  covariance2,
}: GaussianPairOptions): GaussianMongeMap {
  const pair = validateGaussianPair(
    { mean1, covariance1, mean2, covariance2 },
    'gaussianMongeMap',
    {
      covariance1: true,
    },
  );
  const { d } = pair;
  const root = spectralFunction(pair.eigen1, Math.sqrt);
  const inverseRoot = spectralFunction(pair.eigen1, (value) => 1 / Math.sqrt(value));
  const middle = symmetricSquareRoot(multiply(multiply(root, pair.covariance2, d), root, d), d);
  const matrix = symmetrize(multiply(multiply(inverseRoot, middle, d), inverseRoot, d), d);
  const translation = Float64Array.from(pair.mean2);
  for (let i = 0; i < d; i += 1) {
    for (let j = 0; j < d; j += 1)
      translation[i] =
        (translation[i] as number) - (matrix[i * d + j] as number) * (pair.mean1[j] as number);
  }
  const apply = (points: Float32Array | Float64Array): Float64Array => {
    if (
      !(points instanceof Float32Array || points instanceof Float64Array) ||
      points.length % d !== 0
    ) {
      throw new InvalidArgumentError({
        functionName: 'GaussianMongeMap.apply',
        argumentName: 'points',
        message: `must be a Float32Array or Float64Array of n x ${d} values (row-major)`,
        value: points,
      });
    }
    const out = new Float64Array(points.length);
    for (let start = 0; start < points.length; start += d) {
      for (let i = 0; i < d; i += 1) {
        let sum = translation[i] as number;
        for (let j = 0; j < d; j += 1)
          sum += (matrix[i * d + j] as number) * (points[start + j] as number);
        out[start + i] = sum;
      }
    }
    return out;
  };
  return Object.freeze({ d, matrix, translation, apply });
}
