import { entropicGaussianCoupling } from '@sinkflow/ot';
import { withCallerArgumentNames } from './internal/ot-argument-error.js';
import { requireDimension } from './internal/validate-arrays.js';

/** Options of {@link entropicJointCovariance}. */
export interface EntropicJointCovarianceOptions {
  /** Covariance `A` of the source Gaussian (d x d, row-major, positive definite). */
  readonly sourceCovariance: ArrayLike<number>;
  /** Covariance `B` of the target Gaussian (d x d, positive definite). */
  readonly targetCovariance: ArrayLike<number>;
  /**
   * The regularization of `E ||x - y||^2 + epsilon KL(pi | mu (x) nu)`: SCONES' `lambda`
   * (`= 2 sigma^2`; SCONES uses `lambda = 2 d` in its Gaussian study).
   */
  readonly epsilon: number;
  /** Dimension; inferred from the covariance's length when absent. */
  readonly d?: number;
}

/**
 * The closed-form covariance of the entropic OT coupling between `N(m_1, A)` and `N(m_2, B)`
 * [janati2020], the reference of SCONES' BW-UVP [daniels2021] (pass it to {@link couplingBwUvp}):
 *
 * `Sigma = [[A, C], [C^T, B]]`, `C = 1/2 A^{1/2} D A^{-1/2} - sigma^2 / 2 I`,
 * `D = (4 A^{1/2} B A^{1/2} + sigma^4 I)^{1/2}`, `sigma^2 = epsilon / 2`,
 *
 * computed by `entropicGaussianCoupling` of `@sinkflow/ot` (the cost is `||x - y||^2`; for
 * Sinkhorn's `1/2 ||x - y||^2` at epsilon `e`, pass `2 e`). The means do not enter the covariance.
 *
 * @throws {@link InvalidArgumentError} for covariances that are not d x d symmetric positive
 * definite, or a non-positive `epsilon`.
 * @example
 * ```ts
 * entropicJointCovariance({ sourceCovariance: [1], targetCovariance: [4], epsilon: 2 });
 * // Float64Array [1, 1.5615528128088303, 1.5615528128088303, 4]   (C = (sqrt(17) - 1) / 2)
 * ```
 */
export function entropicJointCovariance({
  sourceCovariance,
  targetCovariance,
  epsilon,
  d,
}: EntropicJointCovarianceOptions): Float64Array {
  const functionName = 'entropicJointCovariance';
  const length = sourceCovariance?.length;
  const dimension = requireDimension(
    d ?? (typeof length === 'number' ? Math.round(Math.sqrt(length)) : undefined),
    functionName,
    d === undefined ? 'sourceCovariance' : 'd',
  );
  const zeros = new Float64Array(dimension);
  const coupling = withCallerArgumentNames(
    () =>
      entropicGaussianCoupling({
        mean1: zeros,
        covariance1: sourceCovariance,
        mean2: zeros,
        covariance2: targetCovariance,
        epsilon,
      }),
    functionName,
    {
      covariance1: 'sourceCovariance',
      covariance2: 'targetCovariance',
      mean1: 'sourceCovariance',
      mean2: 'targetCovariance',
    },
  );
  const joint = 2 * dimension;
  const out = new Float64Array(joint * joint);
  const cross = coupling.crossCovariance;
  for (let i = 0; i < dimension; i += 1) {
    for (let j = 0; j < dimension; j += 1) {
      out[i * joint + j] = sourceCovariance[i * dimension + j] as number;
      out[(dimension + i) * joint + dimension + j] = targetCovariance[i * dimension + j] as number;
      out[i * joint + dimension + j] = cross[i * dimension + j] as number;
      out[(dimension + j) * joint + i] = cross[i * dimension + j] as number;
    }
  }
  return out;
}
