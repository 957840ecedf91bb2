import { renormalizedEntropyBounds } from '@sinkflow/entropy';
import { marginalEntropies } from '../problem/coupling-summary.js';
import type { PreparedProblem } from '../problem/prepared-problem.js';

/** One end of the reachable range, with the reason for it. */
export interface EntropyRangeEnd {
  readonly value: number;
  readonly reason: string;
}

/**
 * Relative size under which the doubly centred cost counts as zero: float64 moments of float32
 * data resolve it to ~1e-7 relative, and a separable cost gives exactly 0 in practice.
 */
const SEPARABLE_RELATIVE_STD = 1e-12;

/**
 * @internal The renormalized entropies that entropic couplings of a prepared problem can have
 * [klein2025]:
 *
 * - `min = |H(a) - H(b)| / (H(a) + H(b))`, from `H(P) >= max(H(a), H(b))` for every coupling
 *   (`renormalizedEntropyBounds`); 0 for uniform weights and `n = m`;
 * - `max = 1` (epsilon -> infinity gives the independent coupling `a b^T`);
 * - a separable cost (`C_ij = u_i + v_j`, the doubly centred cost has std 0: for example all points
 *   of one cloud equal) gives `P = a b^T` at every epsilon: the range is `[1, 1]`.
 *
 * @example
 * ```ts
 * reachableEntropyRange(problem).min.value; // log 2 / log 5000 = 0.0814 for n = 100, m = 50 uniform
 * ```
 */
export function reachableEntropyRange(problem: PreparedProblem): {
  readonly min: EntropyRangeEnd;
  readonly max: EntropyRangeEnd;
} {
  const { geometry } = problem;
  const { sourceEntropy, targetEntropy } = marginalEntropies(geometry);
  const bounds = renormalizedEntropyBounds({ sourceEntropy, targetEntropy });
  const independent = {
    value: 1,
    reason: 'epsilon -> infinity gives the independent coupling, E = 1',
  };
  if (bounds.upper === 0) {
    const dirac = { value: 0, reason: 'both weight vectors are a single Dirac mass: one coupling' };
    return { min: dirac, max: dirac };
  }
  if (!(geometry.costInteractionStd > SEPARABLE_RELATIVE_STD * geometry.costStd)) {
    const separable = {
      value: 1,
      reason:
        'the cost is separable (C_ij = u_i + v_j, e.g. all points of one cloud equal): every epsilon gives the independent coupling, E = 1',
    };
    return { min: separable, max: separable };
  }
  return {
    min: {
      value: bounds.lower,
      reason:
        bounds.lower > 0
          ? `H(P) >= max(H(a), H(b)) bounds E below by |H(a) - H(b)| / (H(a) + H(b)) (n = ${geometry.n}, m = ${geometry.m})`
          : 'E -> 0 as epsilon -> 0',
    },
    max: independent,
  };
}
