import { InvalidArgumentError, type PointCloud } from '@sinkflow/core';
import {
  absoluteEpsilon,
  type Epsilon,
  epsilonSchedule,
  finalEpsilon,
  marginalEntropy,
} from '@sinkflow/entropy';
import type { KernelMode, SinkhornBackend } from '../backend/sinkhorn-backend.js';
import type { Cost } from '../geometry/point-cloud-geometry.js';
import { createSinkhornProblem } from '../problem/create-sinkhorn-problem.js';
import { SINKHORN_DEFAULTS } from '../settings/sinkhorn-settings.js';
import type { SinkhornSolveOptions } from '../solver/sinkhorn-options.js';
import type { SinkhornSolution } from '../solver/sinkhorn-solution.js';

/** Options of {@link sinkhornDivergence}. */
export interface SinkhornDivergenceOptions
  extends Pick<
    SinkhornSolveOptions,
    'maxIterations' | 'innerIterations' | 'momentumStart' | 'signal'
  > {
  /** First cloud (weights `a`). */
  readonly x: PointCloud;
  /** Second cloud (weights `b`), same dimension. */
  readonly y: PointCloud;
  /**
   * The regularization of all three problems. A relative value (or relative schedule) is resolved
   * once against `std(C)` of `(x, y)` and the same absolute value is used for `(x, x)` and `(y, y)`.
   * @default relativeEpsilon(0.05)
   */
  readonly epsilon?: Epsilon;
  /** `'sqeuclidean'` (`1/2 ||x - y||^2`) or `'dot'` (`-<x, y>`; the same divergence). @default 'sqeuclidean' */
  readonly cost?: Cost;
  /**
   * Stop each solve when `||P^T 1 - b||_1 < threshold`: tighter than a plain solve, since the three
   * terms partly cancel. The float32 kernel bounds what is reachable at small epsilon (about 1e-5
   * at `relativeEpsilon(0.002)` for the self-problems, whose near-diagonal couplings are the
   * hardest): raise it there. @default 1e-5
   */
  readonly threshold?: number;
  /** The backend of the three solves. @default defaultBackend() */
  readonly backend?: SinkhornBackend;
  /** Kernel mode of the three solves. @default 'auto' */
  readonly mode?: KernelMode | 'auto';
  /** Bytes a kept kernel may use in `auto` mode. @default a quarter of the RAM */
  readonly memoryBudgetBytes?: number;
}

/** The debiased Sinkhorn divergence and the three entropic problems behind it. */
export interface SinkhornDivergenceResult {
  /**
   * `S_eps(a, b) = OT_eps(a, b) - 1/2 OT_eps(a, a) - 1/2 OT_eps(b, b)`, with the KL-form
   * `OT_eps = <P, C> + eps KL(P | a (x) b)` (Feydy et al.): `>= 0`, 0 for identical clouds, symmetric.
   */
  readonly divergence: number;
  /**
   * The same combination of the transport costs `<P_eps, C>` alone (Genevay et al.'s debiased
   * "Sinkhorn loss", what POT 0.8's `empirical_sinkhorn_divergence` returns before clamping at 0):
   * symmetric and 0 for identical clouds, but not always `>= 0`.
   */
  readonly transportDivergence: number;
  /** `OT_eps(a, b)`, `OT_eps(a, a)`, `OT_eps(b, b)` (KL form). */
  readonly crossTerm: number;
  readonly sourceTerm: number;
  readonly targetTerm: number;
  /** The absolute epsilon of all three solves (the final one of a schedule). */
  readonly epsilon: number;
  readonly cost: Cost;
  /** True when all three solves converged. */
  readonly converged: boolean;
  /** True when a solve diverged (NaN / infinite values). */
  readonly diverged: boolean;
  /** The three solutions, `(x, y)`, `(x, x)` and `(y, y)`. */
  readonly solutions: {
    readonly xy: SinkhornSolution;
    readonly xx: SinkhornSolution;
    readonly yy: SinkhornSolution;
  };
  /** Wall-clock seconds of the three solves. */
  readonly seconds: number;
}

/**
 * The debiased Sinkhorn divergence between two weighted point clouds [feydy2019, genevay2018]:
 *
 *   S_eps(a, b) = OT_eps(a, b) - 1/2 OT_eps(a, a) - 1/2 OT_eps(b, b),
 *   OT_eps(a, b) = min_{P in U(a, b)} <P, C> + eps KL(P | a (x) b),
 *
 * three log-domain Sinkhorn solves of the engine ({@link createSinkhornProblem}) at one absolute
 * epsilon. The KL-to-product form is `regularizedCost + eps (H(a) + H(b))` of the engine's
 * `<P, C> - eps H(P)`; the constants `eps (H(a) + H(b))` cancel in `S_eps`, so either form gives
 * the same divergence. For the squared-Euclidean cost, `S_eps` is non-negative, zero only for equal
 * measures, symmetric, and interpolates between exact OT (`W_2^2 / 2`, `eps -> 0`) and half the
 * squared MMD of the kernel `-C`, here `1/2 ||mean(a) - mean(b)||^2` (`eps -> infinity`)
 * [feydy2019]; the dot cost `-<x, y>` gives the same value (the rank-one terms cancel). Costs are the engine's: `1/2 ||x - y||^2`, so the value is half of POT's / GeomLoss's
 * with `||x - y||^2` at twice the epsilon. The value is not clamped: expect `|S| <~ threshold`
 * noise around 0 for nearly equal clouds.
 *
 * @throws {@link InvalidArgumentError} as {@link createSinkhornProblem} and {@link SinkhornProblem.solve}.
 * @example
 * ```ts
 * const result = await sinkhornDivergence({ x, y, epsilon: absoluteEpsilon(0.1) });
 * result.divergence; // >= 0, e.g. 0.42
 * (await sinkhornDivergence({ x, y: x, epsilon: absoluteEpsilon(0.1) })).divergence; // 0
 * ```
 */
export async function sinkhornDivergence({
  x,
  y,
  epsilon = SINKHORN_DEFAULTS.epsilon,
  cost = 'sqeuclidean',
  threshold = 1e-5,
  maxIterations,
  innerIterations,
  momentumStart,
  signal,
  backend,
  mode,
  memoryBudgetBytes,
}: SinkhornDivergenceOptions): Promise<SinkhornDivergenceResult> {
  const functionName = 'sinkhornDivergence';
  const started = performance.now();
  const problemOptions = { cost, backend, mode, memoryBudgetBytes };
  const solveOptions = { threshold, maxIterations, innerIterations, momentumStart, signal };
  // One absolute epsilon for all three problems, resolved on (x, y).
  let absolute: Epsilon | undefined;
  const solve = async (left: PointCloud, right: PointCloud): Promise<SinkhornSolution> => {
    const problem = await createSinkhornProblem({ x: left, y: right, ...problemOptions });
    try {
      absolute ??= absoluteOf(epsilon, problem.geometry.costStd, functionName);
      return await problem.solve({ ...solveOptions, epsilon: absolute });
    } finally {
      await problem.dispose();
    }
  };
  const xy = await solve(x, y);
  const xx = await solve(x, x);
  const yy = await solve(y, y);
  const klForm = (solution: SinkhornSolution, left: PointCloud, right: PointCloud): number =>
    solution.regularizedCost + solution.epsilon * (marginalEntropy(left) + marginalEntropy(right));
  const crossTerm = klForm(xy, x, y);
  const sourceTerm = klForm(xx, x, x);
  const targetTerm = klForm(yy, y, y);
  return Object.freeze({
    divergence: crossTerm - 0.5 * sourceTerm - 0.5 * targetTerm,
    transportDivergence: xy.transportCost - 0.5 * xx.transportCost - 0.5 * yy.transportCost,
    crossTerm,
    sourceTerm,
    targetTerm,
    epsilon: xy.epsilon,
    cost,
    converged: xy.converged && xx.converged && yy.converged,
    diverged: xy.diverged || xx.diverged || yy.diverged,
    solutions: Object.freeze({ xy, xx, yy }),
    seconds: (performance.now() - started) / 1000,
  });
}

/** The epsilon of `(x, y)` made absolute (a relative schedule becomes an absolute one). */
function absoluteOf(epsilon: Epsilon, costStd: number, functionName: string): Epsilon {
  if (typeof epsilon !== 'object' || epsilon === null) {
    throw new InvalidArgumentError({
      functionName,
      argumentName: 'epsilon',
      message: 'must be an Epsilon value',
      value: epsilon,
    });
  }
  if (epsilon.kind === 'schedule') {
    if (!epsilon.relative) return epsilon;
    return epsilonSchedule({
      init: epsilon.init * costStd,
      decay: epsilon.decay,
      target: epsilon.target * costStd,
    });
  }
  return absoluteEpsilon(finalEpsilon(epsilon, { costStd }));
}
