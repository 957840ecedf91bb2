import { InvalidArgumentError, requireInteger } from '@sinkflow/core';
import * as tf from '@tensorflow/tfjs';
import { inverseSymmetricPositiveDefinite } from '../internal/cholesky.js';
import type { TargetScore } from './target-score.js';

/**
 * The exact score of a Gaussian target `nu = N(m, S)` at every noise level:
 *
 *     s(y, tau) = -(S + tau^2 I)^{-1} (y - m),
 *
 * the "ground truth target score" SCONES uses in its Gaussian study [daniels2021, Sec. 5.2].
 * `(S + tau^2 I)^{-1}` is computed once per noise level in float64 (Cholesky) and cached as a tensor.
 *
 * @param options.mean - `m`, d entries.
 * @param options.covariance - `S`, d x d row-major, symmetric positive definite.
 * @throws {@link InvalidArgumentError} for a covariance that is not d x d positive definite, or a
 * mean of another length.
 * @example
 * ```ts
 * const score = gaussianTargetScore({ mean: [0], covariance: [4] });
 * tf.tidy(() => score.score(tf.tensor2d([[2]]), 0).arraySync()); // [[-0.5]]
 * tf.tidy(() => score.score(tf.tensor2d([[2]]), 1).arraySync()); // [[-0.4]]  (-(4 + 1)^{-1} 2)
 * score.dispose();
 * ```
 */
export function gaussianTargetScore({
  mean,
  covariance,
}: {
  readonly mean: ArrayLike<number>;
  readonly covariance: ArrayLike<number>;
}): TargetScore {
  const functionName = 'gaussianTargetScore';
  const d = requireInteger(mean?.length, { functionName, argumentName: 'mean', minimum: 1 });
  if (covariance?.length !== d * d) {
    throw new InvalidArgumentError({
      functionName,
      argumentName: 'covariance',
      message: `must hold d * d = ${d * d} entries`,
      value: covariance?.length,
    });
  }
  const center = Float32Array.from(mean);
  const precisions = new Map<number, tf.Tensor2D>();
  const precisionAt = (tau: number): tf.Tensor2D => {
    const cached = precisions.get(tau);
    if (cached !== undefined) return cached;
    const shifted = Float64Array.from(covariance);
    for (let k = 0; k < d; k += 1) shifted[k * d + k] = (shifted[k * d + k] as number) + tau * tau;
    const inverse = inverseSymmetricPositiveDefinite(shifted, d);
    if (inverse === null) {
      throw new InvalidArgumentError({
        functionName,
        argumentName: 'covariance',
        message: 'must be symmetric positive definite',
      });
    }
    const tensor = tf.tensor2d(Float32Array.from(inverse), [d, d]);
    tf.keep(tensor);
    precisions.set(tau, tensor);
    return tensor;
  };
  precisionAt(0);
  const meanTensor = tf.tensor2d(center, [1, d]);
  return {
    d,
    score(y: tf.Tensor2D, noiseLevel: number): tf.Tensor2D {
      const precision = precisionAt(noiseLevel);
      // Symmetric precision: (y - m) P = (P (y - m)^T)^T row by row.
      return tf.tidy(
        () => tf.neg(tf.matMul(tf.sub(y, meanTensor) as tf.Tensor2D, precision)) as tf.Tensor2D,
      );
    },
    dispose() {
      for (const tensor of precisions.values()) tensor.dispose();
      precisions.clear();
      meanTensor.dispose();
    },
  };
}
