import { requirePositiveNumber } from '@sinkflow/core';
import * as tf from '@tensorflow/tfjs';
import type { FDivergenceRegularizer } from './regularizer.js';

/** Options of {@link chiSquaredRegularizer}. */
export interface ChiSquaredRegularizerOptions {
  /** The regularization strength, `> 0`. */
  readonly lambda: number;
  /**
   * Sharpness `alpha` of the softplus that smooths `M` in `logCompatibility` only:
   * `log M_alpha(v) = log(softplus(alpha u) / alpha)`, `u = 1 + v / (2 lambda)` (the paper's
   * "chi^2 SoftPlus threshold" [daniels2021, Table 4]). @default 1000
   */
  readonly softplusSharpness?: number;
}

/**
 * The Pearson chi^2 regularizer `lambda chi^2(pi | mu (x) nu)` [daniels2021, Table 3]:
 * `f(t) = (t - 1)^2` on `t >= 0` (a density ratio), whose conjugate is
 * `f*(v) = max(0, 1 + v/2)^2 - 1` (`= v^2/4 + v`, the table's form, for `v >= -2`) and
 * `f*'(v) = max(0, 1 + v/2)`, so
 *
 *     H*_lambda(v) = lambda (max(0, 1 + v / (2 lambda))^2 - 1),    M(v) = max(0, 1 + v / (2 lambda)).
 *
 * Up to the shift `V -> V + 2 lambda` (absorbed by the potentials) and a constant, this is the
 * L2-regularized dual of Seguy et al. [seguy2018], `(1 / (4 lambda)) relu(V)^2`, with the sparse
 * coupling `pi = relu(V) / (2 lambda) mu nu` [blondel2018]. `M` vanishes where `V < -2 lambda`, so
 * `logCompatibility` uses the softplus-smoothed `M` (see `softplusSharpness`) to keep Langevin's
 * score finite: below `alpha u = -15` it continues with the softplus's asymptote `alpha u - log(alpha)`.
 *
 * @throws {@link InvalidArgumentError} on `lambda` or `softplusSharpness` when not a positive
 * finite number.
 * @example
 * ```ts
 * const chi2 = chiSquaredRegularizer({ lambda: 1 });
 * chi2.compatibilityOf(2); // 2
 * chi2.penaltyOf(2); // 3 (= 2^2 / 4 + 2)
 * chi2.compatibilityOf(-5); // 0
 * ```
 */
export function chiSquaredRegularizer({
  lambda,
  softplusSharpness = 1000,
}: ChiSquaredRegularizerOptions): FDivergenceRegularizer {
  const functionName = 'chiSquaredRegularizer';
  requirePositiveNumber(lambda, { functionName, argumentName: 'lambda' });
  requirePositiveNumber(softplusSharpness, { functionName, argumentName: 'softplusSharpness' });
  const alpha = softplusSharpness;
  const ratio = (v: tf.Tensor) => tf.relu(tf.add(tf.div(v, 2 * lambda), 1));
  return Object.freeze({
    kind: 'chi-squared' as const,
    lambda,
    penalty: (v: tf.Tensor) => tf.tidy(() => tf.mul(tf.sub(tf.square(ratio(v)), 1), lambda)),
    compatibility: (v: tf.Tensor) => tf.tidy(() => ratio(v)),
    logCompatibility: (v: tf.Tensor) =>
      tf.tidy(() => {
        const z = tf.mul(tf.add(tf.div(v, 2 * lambda), 1), alpha);
        // log softplus(z) for z >= -15, continued by its asymptote z below (log softplus(-15) is
        // -15 to 3e-7): clamping keeps the logarithm and its gradient finite without a branch.
        const clamped = tf.log(tf.softplus(tf.maximum(z, -15)));
        return tf.sub(tf.add(clamped, tf.minimum(tf.add(z, 15), 0)), Math.log(alpha));
      }),
    penaltyOf: (v: number) => lambda * (Math.max(0, 1 + v / (2 * lambda)) ** 2 - 1),
    compatibilityOf: (v: number) => Math.max(0, 1 + v / (2 * lambda)),
  });
}
