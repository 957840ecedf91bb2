import { requirePositiveNumber } from '@sinkflow/core';
import * as tf from '@tensorflow/tfjs';
import type { FDivergenceRegularizer } from './regularizer.js';

/**
 * The Kullback-Leibler regularizer `lambda KL(pi | mu (x) nu)` (entropic OT) [daniels2021, Table 3]:
 * `f(t) = t log t`, `f*(v) = f*'(v) = exp(v - 1)`, so
 *
 *     H*_lambda(v) = lambda exp(v / lambda - 1),    M(v) = exp(v / lambda - 1),    log M(v) = v / lambda - 1,
 *
 * and `pi(x, y) = exp((phi(x) + psi(y) - c(x, y)) / lambda - 1) mu(x) nu(y)` [daniels2021, Prop. 2.3]
 * (the Sinkhorn coupling; Seguy et al.'s entropic dual [seguy2018] up to the constant `-1`, which
 * only shifts the potentials). With the cost `c(x, y) = ||x - y||^2` this is the problem of
 * `entropicGaussianCoupling` of `@sinkflow/ot` with `epsilon = lambda` (not `lambda / 2`: that
 * function's cost is also `||x - y||^2`); the engine's `'sqeuclidean'` cost `1/2 ||x - y||^2` at
 * epsilon `e` is `lambda = 2 e`.
 *
 * @param options.lambda - The regularization strength, `> 0` (SCONES' Gaussian study: `2 d`).
 * @throws {@link InvalidArgumentError} on `lambda` when it is not a positive finite number.
 * @example
 * ```ts
 * const kl = klRegularizer({ lambda: 2 });
 * kl.compatibilityOf(2); // 1
 * kl.penaltyOf(0); // 2 / e = 0.7357588823428847
 * ```
 */
export function klRegularizer({ lambda }: { readonly lambda: number }): FDivergenceRegularizer {
  requirePositiveNumber(lambda, { functionName: 'klRegularizer', argumentName: 'lambda' });
  return Object.freeze({
    kind: 'kl' as const,
    lambda,
    penalty: (v: tf.Tensor) => tf.tidy(() => tf.mul(tf.exp(tf.sub(tf.div(v, lambda), 1)), lambda)),
    compatibility: (v: tf.Tensor) => tf.tidy(() => tf.exp(tf.sub(tf.div(v, lambda), 1))),
    logCompatibility: (v: tf.Tensor) => tf.tidy(() => tf.sub(tf.div(v, lambda), 1)),
    penaltyOf: (v: number) => lambda * Math.exp(v / lambda - 1),
    compatibilityOf: (v: number) => Math.exp(v / lambda - 1),
  });
}
