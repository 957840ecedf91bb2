import {
  createRandomGenerator,
  InvalidArgumentError,
  type PointCloud,
  requireInteger,
  requireOneOf,
  validatePointCloud,
} from '@sinkflow/core';
import { cloudMoments } from './internal/cloud-moments.js';
import { dotCostMoments, squaredEuclideanCostMoments } from './internal/cost-moments.js';
import { sampleDistinctIndices } from './internal/sample-distinct-indices.js';

/**
 * The ground costs whose moments are known in closed form:
 * - `'dot'`: `C_ij = -<x_i, y_j>` (the paper's default; same coupling as `'sqeuclidean'`),
 * - `'sqeuclidean'`: `C_ij = 1/2 ||x_i - y_j||^2`.
 */
export type CostName = 'dot' | 'sqeuclidean';

/** What {@link costStandardDeviation} returns. */
export interface CostStandardDeviationResult {
  /** `std(C) = sqrt((1/(n m)) sum_ij (C_ij - mean)^2)`, over the rows used. */
  readonly standardDeviation: number;
  /** `(1/(n m)) sum_ij C_ij`, over the rows used. */
  readonly mean: number;
  /**
   * `sqrt(tr(S_x S_y))`: the std of the doubly centred cost `C_ij - row mean_i - column mean_j +
   * mean`, the part of C that the coupling can react to. Zero exactly when the cost is separable
   * (`C_ij = u_i + v_j`, e.g. all points of one cloud equal): then every epsilon gives the
   * independent coupling.
   */
  readonly interactionStandardDeviation: number;
  /** True when at least one cloud was subsampled (then both values are estimates). */
  readonly sampled: boolean;
  /** The number of rows of each cloud that entered the moments. */
  readonly pointsUsed: { readonly x: number; readonly y: number };
}

/**
 * The population standard deviation and the mean of the `n x m` entries of a cost matrix,
 * computed from moments of the two clouds without forming the matrix [klein2025] (Section
 * "Automatic rescaling of epsilon"). It is the scale of the relative epsilon: `eps = r * std(C)`
 * (see {@link relativeEpsilon}), invariant to adding a constant to the cost.
 *
 * Convention (as OTT-JAX's `std_cost_matrix` [cuturi2022ott]): every entry counts once,
 * `std(C)^2 = (1/(n m)) sum_ij (C_ij - mean)^2`, i.e. `numpy.std(C)`; **point weights are
 * ignored**. Equivalently, the variance of `c(X, Y)` for `X`, `Y` independent and uniform on the rows.
 *
 * Formulas (centred moments `mu`, `S = Cov`, `t = E[||u||^2 u]`, `delta = mu_x - mu_y`):
 * - dot, `C = -<x, y>`: `mean = -<mu_x, mu_y>`, `var = mu_x^T S_y mu_x + mu_y^T S_x mu_y + tr(S_x S_y)`;
 * - sqeuclidean, `C = 1/2 ||x - y||^2`: `mean = 1/2 ||delta||^2 + 1/2 (tr S_x + tr S_y)`,
 *   `var = delta^T (S_x + S_y) delta + <delta, t_x - t_y> + 1/4 (Var||u||^2 + Var||v||^2) + tr(S_x S_y)`.
 * Everything is accumulated in float64 from centred data, so clouds far from the origin (float32
 * points around 1e3) keep full accuracy. Cost O((n + m) d^2) time, O(d^2) memory.
 *
 * Subsampling rule: when `d^2 (n + m) > maxMomentWork`, every cloud with more than `maxPoints` rows
 * is replaced by `maxPoints` rows drawn uniformly without replacement (Floyd's algorithm on the
 * seeded Philox generator of `@sinkflow/core`: deterministic given `seed`; `x` and `y` use
 * independent streams `split(0)` and `split(1)`). The paper subsamples to `2^14 = 16384` points [klein2025].
 * Pass `maxPoints: Infinity` to always use every row.
 *
 * @param x - Source cloud, `n x d` (weights ignored).
 * @param y - Target cloud, `m x d` (weights ignored).
 * @param options.cost - Which cost.
 * @param options.maxPoints - Rows kept per cloud when subsampling; an integer `>= 1` or `Infinity`. @default 16384
 * @param options.maxMomentWork - Subsample only when `d^2 (n + m)` exceeds this. @default 2 ** 28
 * @param options.seed - Seed of the subsample, a safe integer `>= 0`. @default 0
 * @throws {@link InvalidArgumentError} for a malformed cloud, different dimensions or a bad option.
 * @example
 * ```ts
 * const x = createPointCloud(new Float64Array([0, 1]), { d: 1 });
 * const y = createPointCloud(new Float64Array([0, 2]), { d: 1 });
 * costStandardDeviation(x, y, { cost: 'sqeuclidean' });
 * // { standardDeviation: 0.75, mean: 0.75, interactionStandardDeviation: 0.5, sampled: false,
 * //   pointsUsed: { x: 2, y: 2 } }
 * // (the entries are 0, 2, 0.5, 0.5)
 * ```
 */
export function costStandardDeviation(
  x: PointCloud,
  y: PointCloud,
  {
    cost,
    maxPoints = 16384,
    maxMomentWork = 2 ** 28,
    seed = 0,
  }: {
    readonly cost: CostName;
    readonly maxPoints?: number;
    readonly maxMomentWork?: number;
    readonly seed?: number;
  },
): CostStandardDeviationResult {
  const functionName = 'costStandardDeviation';
  validatePointCloud(x, { functionName, argumentName: 'x' });
  validatePointCloud(y, { functionName, argumentName: 'y' });
  if (y.d !== x.d) {
    throw new InvalidArgumentError({
      functionName,
      argumentName: 'y.d',
      message: `must equal x.d = ${x.d}`,
      value: y.d,
    });
  }
  requireOneOf(cost, ['dot', 'sqeuclidean'] as const, {
    functionName,
    argumentName: 'options.cost',
  });
  if (maxPoints !== Number.POSITIVE_INFINITY) {
    requireInteger(maxPoints, { functionName, argumentName: 'options.maxPoints', minimum: 1 });
  }
  if (typeof maxMomentWork !== 'number' || Number.isNaN(maxMomentWork) || maxMomentWork <= 0) {
    throw new InvalidArgumentError({
      functionName,
      argumentName: 'options.maxMomentWork',
      message: 'must be a positive number (Infinity never subsamples)',
      value: maxMomentWork,
    });
  }
  requireInteger(seed, { functionName, argumentName: 'options.seed', minimum: 0 });

  const subsample = x.d * x.d * (x.n + y.n) > maxMomentWork;
  // Independent streams for x (0) and y (1): each subsample depends only on (seed, its cloud size).
  const rowsOf = (cloud: PointCloud, stream: number): Float64Array | undefined =>
    subsample && cloud.n > maxPoints
      ? sampleDistinctIndices({
          total: cloud.n,
          count: maxPoints,
          generator: createRandomGenerator({ seed }).split(stream),
        })
      : undefined;
  const xRows = rowsOf(x, 0);
  const yRows = rowsOf(y, 1);
  const xMoments = cloudMoments(x, xRows);
  const yMoments = cloudMoments(y, yRows);
  const { mean, variance, interactionVariance } =
    cost === 'dot'
      ? dotCostMoments(xMoments, yMoments)
      : squaredEuclideanCostMoments(xMoments, yMoments);
  return Object.freeze({
    standardDeviation: Math.sqrt(variance),
    mean,
    interactionStandardDeviation: Math.sqrt(interactionVariance),
    sampled: xRows !== undefined || yRows !== undefined,
    pointsUsed: Object.freeze({ x: xMoments.count, y: yMoments.count }),
  });
}
