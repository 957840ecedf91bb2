import type { KernelMode } from '../backend/sinkhorn-backend.js';
import type { Cost } from '../geometry/point-cloud-geometry.js';
import type { CouplingSummary } from '../problem/coupling-summary.js';
import type { MomentumReport } from './lehmann-momentum.js';

/**
 * Dual potentials with the epsilon they belong to: they define the coupling
 * `P_ij = exp((f_i + g_j - C_ij) / eps)` (weights absorbed in f and g, docs/numerics.md), in the cost of
 * the geometry they were computed on. A {@link SinkhornSolution} is one.
 */
export interface CouplingPotentials {
  /** f, length n, float64. */
  readonly f: Float64Array;
  /** g, length m, float64. */
  readonly g: Float64Array;
  /** The absolute epsilon. */
  readonly epsilon: number;
}

/**
 * The result of a Sinkhorn solve: the potentials, the status of the iterations, and every
 * quantity of the coupling that one streaming pass gives (costs in both conventions, entropy,
 * renormalized entropy, marginal errors). Non-convergence is data: `converged: false`, and
 * `diverged: true` when the iterations produced NaN or infinite errors (try a larger epsilon).
 */
export interface SinkhornSolution extends CouplingPotentials, CouplingSummary {
  /** Iterations done (one g and one f update each). */
  readonly iterations: number;
  /** The column-marginal errors measured every `innerIterations` iterations. */
  readonly errors: readonly number[];
  /**
   * True when both marginal errors `||P^T 1 - b||_1` and `||P 1 - a||_1`, recomputed in float64
   * by the final statistics pass, are below `threshold` (not merely the loop's running estimate),
   * and nothing diverged.
   */
  readonly converged: boolean;
  /** True when the iterations produced NaN / infinite errors or potentials (try a larger epsilon). */
  readonly diverged: boolean;
  /** What Lehmann momentum did: the weight, when it started, and whether it was abandoned. */
  readonly momentum: MomentumReport;
  /** `eps / std(C)`. */
  readonly relativeEpsilon: number;
  /** `std(C)` over all pairs (unweighted), the scale of relative epsilons. */
  readonly costStd: number;
  /** The ground cost of the potentials. */
  readonly cost: Cost;
  /** Wall-clock seconds of the solve (iterations and the final statistics pass). */
  readonly seconds: number;
  /** The backend's name. */
  readonly backend: string;
  /** Whether the kernel was kept (`dense`) or recomputed (`online`). */
  readonly mode: KernelMode;
  /** Problem sizes; `d` is the kernel's dimension (k under PCA). */
  readonly n: number;
  readonly m: number;
  readonly d: number;
  /** The PCA projection used, or null: components kept and the fraction of variance they explain. */
  readonly pca: { readonly components: number; readonly explainedVarianceRatio: number } | null;
}
