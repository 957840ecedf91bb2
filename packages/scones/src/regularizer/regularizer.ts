import type * as tf from '@tensorflow/tfjs';

/**
 * The f-divergences implemented: Kullback-Leibler and Pearson chi^2 [daniels2021, Table 3].
 *
 * @example
 * ```ts
 * klRegularizer({ lambda: 1 }).kind satisfies RegularizerKind; // 'kl'
 * ```
 */
export type RegularizerKind = 'kl' | 'chi-squared';

/**
 * An f-divergence regularizer `lambda D_f(pi | mu (x) nu)` of optimal transport, seen through its
 * dual [daniels2021, Prop. 2.4]: with `f*` the convex conjugate of `f`,
 *
 *     H*_lambda(v) = lambda f*(v / lambda)      (the dual penalty),
 *     M(v)         = f*'(v / lambda)            (the compatibility),
 *
 * the regularized dual is `J(phi, psi) = E_mu phi + E_nu psi - E_{mu x nu} H*_lambda(V)` with
 * `V(x, y) = phi(x) + psi(y) - c(x, y)`, and its maximizers give the coupling
 * `pi(x, y) = M(V(x, y)) mu(x) nu(y)`. The tensor methods act entrywise on any shape; the `*Of`
 * methods are the float64 scalar forms (for checks and reports).
 *
 * @example
 * ```ts
 * const kl = klRegularizer({ lambda: 4 });
 * kl.penaltyOf(4); // 4 exp(4 / 4 - 1) = 4
 * kl.compatibilityOf(0); // exp(-1)
 * ```
 */
export interface FDivergenceRegularizer {
  readonly kind: RegularizerKind;
  /** The regularization strength `lambda > 0`. */
  readonly lambda: number;
  /** `H*_lambda(v)`, entrywise. */
  penalty(v: tf.Tensor): tf.Tensor;
  /** `M(v)`, entrywise (non-negative: a density ratio). */
  compatibility(v: tf.Tensor): tf.Tensor;
  /** `log M(v)`, entrywise; finite everywhere (smoothed where `M` vanishes, see the kind). */
  logCompatibility(v: tf.Tensor): tf.Tensor;
  /** `H*_lambda(v)` in float64. */
  penaltyOf(v: number): number;
  /** `M(v)` in float64. */
  compatibilityOf(v: number): number;
}
