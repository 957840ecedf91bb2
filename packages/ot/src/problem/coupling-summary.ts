import { renormalizedEntropy, shannonEntropy } from '@sinkflow/entropy';
import type { CouplingStatistics } from '../backend/sinkhorn-backend.js';
import type { Cost, Geometry } from '../geometry/point-cloud-geometry.js';

/** Everything a streaming statistics pass says about a coupling `P = exp((f + g - C) / eps)`. */
export interface CouplingSummary {
  /** `<P, C>` in the geometry's cost. */
  readonly transportCost: number;
  /** `<P, C>` for `C = -<x, y>`. */
  readonly transportCostDot: number;
  /** `<P, C>` for `C = 1/2 ||x - y||^2`. */
  readonly transportCostSqEuclidean: number;
  /** `<P, C> - eps H(P)`, which equals the dual `<f, a> + <g, b>` when the marginals are met. */
  readonly regularizedCost: number;
  /** `H(P) = -sum_ij P_ij log P_ij`. */
  readonly entropy: number;
  /** `E(P) = 2 H(P) / (H(a) + H(b)) - 1` [klein2025]. */
  readonly renormalizedEntropy: number;
  /** `||P^T 1 - b||_1`, the stopping criterion. */
  readonly marginalError: number;
  /** `||P 1 - a||_1`. */
  readonly rowMarginalError: number;
  /** `sum_ij P_ij`, 1 up to the marginal errors. */
  readonly totalMass: number;
}

/**
 * Turns the backend's statistics pass (row sums `r`, column sums `c`, `<P, K>`) into costs and
 * entropies without forming P (docs/numerics.md): with `C_ij = u_i + v_j - K_ij` and reduced potentials
 * `f~ = f - u`, `g~ = g - v`,
 *
 *   <P, C> = <u, r> + <v, c> - <P, K>,
 *   H(P)   = -sum P log P = -(<f~, r> + <g~, c> + <P, K>) / eps,
 *
 * since `log P_ij = (f~_i + g~_j + K_ij) / eps`. Rows and columns of zero mass are skipped.
 */
export function summarizeCoupling({
  geometry,
  statistics,
  reducedF,
  reducedG,
  epsilon,
}: {
  readonly geometry: Geometry;
  readonly statistics: CouplingStatistics;
  readonly reducedF: Float64Array;
  readonly reducedG: Float64Array;
  readonly epsilon: number;
}): CouplingSummary {
  const { rowSums, columnSums, kernelMoment } = statistics;
  const costOf = (cost: Cost) => {
    const terms = geometry.costTerms[cost];
    return weightedSum(terms.row, rowSums) + weightedSum(terms.column, columnSums) - kernelMoment;
  };
  const transportCostDot = costOf('dot');
  const transportCostSqEuclidean = costOf('sqeuclidean');
  const transportCost = geometry.cost === 'dot' ? transportCostDot : transportCostSqEuclidean;
  const entropy =
    -(weightedSum(reducedF, rowSums) + weightedSum(reducedG, columnSums) + kernelMoment) / epsilon;
  const { sourceEntropy, targetEntropy } = marginalEntropies(geometry);
  return {
    transportCost,
    transportCostDot,
    transportCostSqEuclidean,
    regularizedCost: transportCost - epsilon * entropy,
    entropy,
    renormalizedEntropy: safeRenormalizedEntropy(entropy, sourceEntropy, targetEntropy),
    marginalError: l1Distance(columnSums, geometry.b),
    rowMarginalError: l1Distance(rowSums, geometry.a),
    totalMass: rowSums.reduce((sum, value) => sum + value, 0),
  };
}

/**
 * `H(a)` and `H(b)` of the geometry's weights (`log n`, `log m` when uniform).
 *
 * @example
 * ```ts
 * marginalEntropies(geometry); // { sourceEntropy: Math.log(n), targetEntropy: Math.log(m) } for uniform weights
 * ```
 */
export function marginalEntropies(geometry: Geometry): {
  readonly sourceEntropy: number;
  readonly targetEntropy: number;
} {
  return geometry.uniformWeights
    ? { sourceEntropy: Math.log(geometry.n), targetEntropy: Math.log(geometry.m) }
    : { sourceEntropy: shannonEntropy(geometry.a), targetEntropy: shannonEntropy(geometry.b) };
}

/**
 * E(P), or NaN when the coupling entropy is not finite (a diverged solve). `H(P)` is first
 * projected on `[max(H(a), H(b)), H(a) + H(b)]`, the range of every coupling of `a` and `b`
 * [cover2006elements, Thm. 2.6.6 and 2.2.1]: only rounding (cancellation in `H = -(<f, r> + <g, c> +
 * <P, K>) / eps` when `H(a) + H(b)` is tiny, near-Dirac weights) or unmet marginals (a solve that
 * did not converge) can put it outside, and E then stays in [0, 1].
 */
function safeRenormalizedEntropy(
  entropy: number,
  sourceEntropy: number,
  targetEntropy: number,
): number {
  if (!Number.isFinite(entropy)) return Number.NaN;
  const feasible = Math.min(
    Math.max(entropy, sourceEntropy, targetEntropy),
    sourceEntropy + targetEntropy,
  );
  return Math.min(
    1,
    Math.max(0, renormalizedEntropy({ couplingEntropy: feasible, sourceEntropy, targetEntropy })),
  );
}

/** `sum_k values_k masses_k`, skipping zero masses (whose value may be -Infinity). */
function weightedSum(values: Float64Array, masses: Float64Array): number {
  let sum = 0;
  for (let k = 0; k < values.length; k += 1) {
    const mass = masses[k] as number;
    if (mass !== 0) sum += (values[k] as number) * mass;
  }
  return sum;
}

function l1Distance(left: Float64Array, right: Float64Array): number {
  let sum = 0;
  for (let k = 0; k < left.length; k += 1)
    sum += Math.abs((left[k] as number) - (right[k] as number));
  return sum;
}
