import type * as tf from '@tensorflow/tfjs';

/**
 * The score of the target `nu`, smoothed at a noise level: `s(y, tau) = grad_y log (nu * N(0, tau^2 I))(y)`
 * (`tau = 0`: the score of `nu` itself), the unconditional term of SCONES' conditional score
 * `grad_y log pi(y | x) = grad_y log M(V(x, y)) + s(y)` [daniels2021, Sec. 3]. Analytic for a
 * Gaussian target ({@link gaussianTargetScore}), learned by denoising score matching otherwise
 * ({@link trainDenoisingScoreModel}).
 *
 * @example
 * ```ts
 * const score: TargetScore = gaussianTargetScore({ mean: [0, 0], covariance: [1, 0, 0, 1] });
 * tf.tidy(() => score.score(tf.tensor2d([[1, 2]]), 0)); // [[-1, -2]]
 * ```
 */
export interface TargetScore {
  /** Dimension of `y`. */
  readonly d: number;
  /** `s(y_i, tau)` row by row, `[n, d]` (a graph: call inside `tf.tidy`). */
  score(y: tf.Tensor2D, noiseLevel: number): tf.Tensor2D;
  /** Frees what the score holds (networks, cached matrices). */
  dispose(): void;
}
