import {
  InvalidArgumentError,
  type PointCloud,
  pointCloudWeights,
  requireInteger,
  requireOneOf,
  validatePointCloud,
} from '@sinkflow/core';
import { type CostName, costStandardDeviation } from '@sinkflow/entropy';
import {
  cloudsMean,
  type PrincipalComponents,
  principalComponents,
  projectOnComponents,
} from './principal-components.js';

/** The ground costs on point clouds: `dot` is `-<x, y>`, `sqeuclidean` is `1/2 ||x - y||^2`. */
export type Cost = CostName;

/**
 * The geometry of an OT problem between two weighted point clouds (OTT-JAX's `PointCloud`
 * geometry [cuturi2022ott]): it owns the cost and hands the backend what its kernels need.
 *
 * Every supported cost is written `C_ij = u_i + v_j - <x^_i, y^_j>`, where `x^`, `y^` are the
 * clouds after a common shift `s` (the mean of all points) and an optional PCA projection, stored
 * in float32:
 *
 * - `sqeuclidean`: `u_i = 1/2 ||x^_i||^2`, `v_j = 1/2 ||y^_j||^2` (translation-invariant, exact);
 * - `dot`: `-<x_i, y_j> = -<x^_i, y^_j> - <x^_i, s> - <s, y^_j> - ||s||^2`, so
 *   `u_i = -<x^_i, s> - ||s||^2 / 2` and `v_j = -<s, y^_j> - ||s||^2 / 2`.
 *
 * The shift changes neither coupling (it adds rank-one terms, absorbed by the potentials, docs/numerics.md)
 * but keeps `<x^, y^>` small, so that a float32 kernel stays accurate on data far from the origin
 * (points around 1e3 would otherwise lose every digit of `<x, y>` below eps).
 *
 * With `pcaComponents: k`, both clouds are projected on the k leading principal components of
 * their union before the cost is computed (the paper's PCA acceleration [klein2025]): the cost,
 * its std and every reported quantity are then those of the projected points.
 */
export interface Geometry {
  readonly cost: Cost;
  readonly n: number;
  readonly m: number;
  /** Dimension the kernel works in (k with PCA, else d). */
  readonly d: number;
  /** Dimension of the input clouds. */
  readonly inputDimension: number;
  /** Shifted (and projected) row points, float32, n x d. */
  readonly x: Float32Array;
  /** Shifted (and projected) column points, float32, m x d. */
  readonly y: Float32Array;
  /** Weights `a` (explicit, sum 1) and `b`. */
  readonly a: Float64Array;
  readonly b: Float64Array;
  /** True when both weights are uniform (then `H(a) = log n`, `H(b) = log m`). */
  readonly uniformWeights: boolean;
  /** `u`, `v` of the chosen cost: `C_ij = u_i + v_j - <x^_i, y^_j>`. */
  readonly rowCost: Float64Array;
  readonly columnCost: Float64Array;
  /** `u`, `v` of both costs, to report transport costs in both conventions. */
  readonly costTerms: Readonly<
    Record<Cost, { readonly row: Float64Array; readonly column: Float64Array }>
  >;
  /** `std(C)` over all n m entries (unweighted, OTT's convention), of the chosen cost. */
  readonly costStd: number;
  /**
   * std of the doubly centred cost (see `costStandardDeviation`): 0 when the cost is separable and
   * every epsilon gives the independent coupling.
   */
  readonly costInteractionStd: number;
  /** The PCA projection, when one was asked for. */
  readonly pca: PrincipalComponents | undefined;
}

/** Options of {@link createGeometry}. */
export interface GeometryOptions {
  /** The ground cost. @default 'dot' (the paper's choice [klein2025]) */
  readonly cost?: Cost;
  /** Project on this many principal components before computing the cost. @default undefined (no PCA) */
  readonly pcaComponents?: number | undefined;
  /** Seed of the subsampling in the cost std estimate (used only for very large n d^2). @default 0 */
  readonly seed?: number;
}

/**
 * Validates two point clouds and builds their {@link Geometry}: O((n + m) d^2) work (the cost
 * std from moments, the PCA covariance), O((n + m) d) memory; the n x m cost is never formed.
 *
 * @throws {@link InvalidArgumentError} for malformed clouds, clouds of different dimensions, an
 * unknown cost, or `pcaComponents` outside `[1, d]`.
 * @example
 * ```ts
 * const geometry = createGeometry(x, y, { cost: 'dot' });
 * geometry.costStd; // std of -<x_i, y_j> over all pairs
 * ```
 * @param functionName - Internal: the public function that errors name, for callers that build
 * the geometry on behalf of their own function (`createSinkhornProblem`). @default 'createGeometry'
 */
export function createGeometry(
  x: PointCloud,
  y: PointCloud,
  options: GeometryOptions = {},
  functionName = 'createGeometry',
): Geometry {
  const { cost = 'dot', pcaComponents, seed = 0 } = options;
  validatePointCloud(x, { functionName, argumentName: 'x' });
  validatePointCloud(y, { functionName, argumentName: 'y' });
  requireOneOf(cost, ['dot', 'sqeuclidean'], { functionName, argumentName: 'cost' });
  if (x.d !== y.d) {
    throw new InvalidArgumentError({
      functionName,
      argumentName: 'y.d',
      message: `must equal x.d = ${x.d}`,
      value: y.d,
    });
  }
  const inputDimension = x.d;
  const shift = cloudsMean([x, y]);
  let pca: PrincipalComponents | undefined;
  if (pcaComponents !== undefined) {
    requireInteger(pcaComponents, {
      functionName,
      argumentName: 'pcaComponents',
      minimum: 1,
      maximum: inputDimension,
    });
    pca = principalComponents([x, y], shift, pcaComponents);
  }
  const d = pca?.components ?? inputDimension;
  const xHat = transform(x, shift, pca);
  const yHat = transform(y, shift, pca);
  const xNorms = halfSquaredNorms(xHat, x.n, d);
  const yNorms = halfSquaredNorms(yHat, y.n, d);
  // With PCA the cost lives in the projected space, whose origin is the shift: s = 0 there.
  const shiftInKernelSpace = pca === undefined ? shift : new Float64Array(d);
  const halfShiftNorm = 0.5 * dot(shiftInKernelSpace, 0, shiftInKernelSpace, 0, d);
  const costTerms = {
    sqeuclidean: { row: xNorms, column: yNorms },
    dot: {
      row: crossTerms(xHat, x.n, shiftInKernelSpace, halfShiftNorm),
      column: crossTerms(yHat, y.n, shiftInKernelSpace, halfShiftNorm),
    },
  };
  const stdX: PointCloud = pca === undefined ? x : { n: x.n, d, data: xHat };
  const stdY: PointCloud = pca === undefined ? y : { n: y.n, d, data: yHat };
  const costMoments = costStandardDeviation(stdX, stdY, { cost, seed });
  const costStd = costMoments.standardDeviation;
  return {
    cost,
    n: x.n,
    m: y.n,
    d,
    inputDimension,
    x: xHat,
    y: yHat,
    a: pointCloudWeights(x),
    b: pointCloudWeights(y),
    uniformWeights: x.weights === undefined && y.weights === undefined,
    rowCost: costTerms[cost].row,
    columnCost: costTerms[cost].column,
    costTerms,
    costStd,
    costInteractionStd: costMoments.interactionStandardDeviation,
    pca,
  };
}

/** `(p - s)` or `W^T (p - s)` for every point, rounded to float32. */
function transform(
  cloud: PointCloud,
  shift: Float64Array,
  pca: PrincipalComponents | undefined,
): Float32Array {
  const { n, d: inputDimension, data } = cloud;
  if (pca === undefined) {
    const out = new Float32Array(n * inputDimension);
    for (let index = 0; index < out.length; index += 1)
      out[index] = (data[index] as number) - (shift[index % inputDimension] as number);
    return out;
  }
  return projectOnComponents(data, n, shift, pca);
}

function halfSquaredNorms(points: Float32Array, count: number, d: number): Float64Array {
  const out = new Float64Array(count);
  for (let i = 0; i < count; i += 1) out[i] = 0.5 * dot(points, i * d, points, i * d, d);
  return out;
}

/** `-<p^_i, s> - ||s||^2 / 2` for each point: the dot cost's rank-one terms after the shift. */
function crossTerms(
  points: Float32Array,
  count: number,
  shift: Float64Array,
  halfShiftNorm: number,
): Float64Array {
  const d = shift.length;
  const out = new Float64Array(count);
  for (let i = 0; i < count; i += 1) out[i] = -dot(points, i * d, shift, 0, d) - halfShiftNorm;
  return out;
}

function dot(
  left: ArrayLike<number>,
  leftStart: number,
  right: ArrayLike<number>,
  rightStart: number,
  length: number,
): number {
  let sum = 0;
  for (let c = 0; c < length; c += 1)
    sum += (left[leftStart + c] as number) * (right[rightStart + c] as number);
  return sum;
}
