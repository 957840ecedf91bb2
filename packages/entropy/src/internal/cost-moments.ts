import type { CloudMoments } from './cloud-moments.js';

/**
 * Mean and population variance of the entries of a cost matrix `C_ij = c(x_i, y_j)`, i.e. of
 * `c(X, Y)` with `X` and `Y` independent and uniform on the rows of each cloud.
 *
 * @internal
 */
export interface CostMoments {
  readonly mean: number;
  readonly variance: number;
  /**
   * `tr(S_x S_y)`, the variance of the doubly centred cost `C_ij - mean_i - mean_j + mean`
   * (the same for both costs, which differ by terms of i alone and j alone).
   */
  readonly interactionVariance: number;
}

/**
 * Dot-product cost `C_ij = -<x_i, y_j>`. With `X = mu_x + U`, `Y = mu_y + V` (centred, independent):
 * `<X, Y> = <mu_x, mu_y> + <mu_x, V> + <U, mu_y> + <U, V>`, and the last three terms have mean 0 and
 * are pairwise uncorrelated, so
 * `mean = -<mu_x, mu_y>`, `var = mu_x^T S_y mu_x + mu_y^T S_x mu_y + tr(S_x S_y)`.
 * Every term is non-negative: no cancellation, however far the clouds sit from the origin (the
 * textbook `tr(M_x M_y) - <mu_x, mu_y>^2` with uncentred `M` loses all digits for offsets of 1e3).
 *
 * @internal
 */
export function dotCostMoments(x: CloudMoments, y: CloudMoments): CostMoments {
  const variance =
    quadraticForm(y.covariance, x.mean) +
    quadraticForm(x.covariance, y.mean) +
    frobeniusInner(x.covariance, y.covariance);
  return {
    mean: -dot(x.mean, y.mean),
    variance: Math.max(0, variance),
    interactionVariance: Math.max(0, frobeniusInner(x.covariance, y.covariance)),
  };
}

/**
 * Squared-Euclidean cost `C_ij = 1/2 ||x_i - y_j||^2`. With `delta = mu_x - mu_y` and `W = U - V`:
 * `C = 1/2 ||delta||^2 + <delta, W> + 1/2 ||W||^2`, and `||W||^2 = ||U||^2 + ||V||^2 - 2 <U, V>`.
 * Expanding by independence and zero means (the cross terms that survive are third moments):
 * `mean = 1/2 ||delta||^2 + 1/2 (tr S_x + tr S_y)`,
 * `var = delta^T (S_x + S_y) delta + <delta, t_x - t_y> + 1/4 (Var||U||^2 + Var||V||^2) + tr(S_x S_y)`
 * with `t = E[||u||^2 u]`. Only the difference of the means enters, so a common translation of both
 * clouds (which leaves `C` unchanged) leaves the computation unchanged too.
 *
 * @internal
 */
export function squaredEuclideanCostMoments(x: CloudMoments, y: CloudMoments): CostMoments {
  const d = x.mean.length;
  const delta = new Float64Array(d);
  const thirdMomentDifference = new Float64Array(d);
  for (let k = 0; k < d; k += 1) {
    delta[k] = (x.mean[k] as number) - (y.mean[k] as number);
    thirdMomentDifference[k] =
      (x.normWeightedMean[k] as number) - (y.normWeightedMean[k] as number);
  }
  const variance =
    quadraticForm(x.covariance, delta) +
    quadraticForm(y.covariance, delta) +
    dot(delta, thirdMomentDifference) +
    0.25 * (x.squaredNormVariance + y.squaredNormVariance) +
    frobeniusInner(x.covariance, y.covariance);
  const mean = 0.5 * dot(delta, delta) + 0.5 * (x.squaredNormMean + y.squaredNormMean);
  // The third-moment term may be negative; the exact total is not, so only rounding can push it below 0.
  return {
    mean,
    variance: Math.max(0, variance),
    interactionVariance: Math.max(0, frobeniusInner(x.covariance, y.covariance)),
  };
}

function dot(a: Float64Array, b: Float64Array): number {
  let sum = 0;
  for (let k = 0; k < a.length; k += 1) sum += (a[k] as number) * (b[k] as number);
  return sum;
}

/** `v^T S v` for a symmetric row-major `S`. */
function quadraticForm(matrix: Float64Array, vector: Float64Array): number {
  const d = vector.length;
  let sum = 0;
  for (let k = 0; k < d; k += 1) {
    let row = 0;
    for (let l = 0; l < d; l += 1) row += (matrix[k * d + l] as number) * (vector[l] as number);
    sum += (vector[k] as number) * row;
  }
  return sum;
}

/** `tr(A B) = sum_kl A_kl B_kl` for symmetric `A`, `B`. */
function frobeniusInner(a: Float64Array, b: Float64Array): number {
  let sum = 0;
  for (let index = 0; index < a.length; index += 1)
    sum += (a[index] as number) * (b[index] as number);
  return sum;
}
