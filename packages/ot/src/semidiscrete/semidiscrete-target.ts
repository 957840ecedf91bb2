import {
  InvalidArgumentError,
  type PointCloud,
  pointCloudWeights,
  type RandomGenerator,
  requireOneOf,
  validatePointCloud,
} from '@sinkflow/core';
import type { ScoreTargets } from './semidiscrete-score-pass.js';

/**
 * The semidiscrete costs: `'dot'` is `C(x, y) = -<x, y>`, `'sqeuclidean'` is `1/2 ||x - y||^2`.
 * Both read `C = u(x) + v_j - <x, y_j>` (`u = v = 0`, or `u = 1/2 ||x||^2`, `v_j = 1/2 ||y_j||^2`),
 * so a dual `g` of one cost is that of the other up to `v`: `g_sq = g_dot + v`
 * [mousavi2025semidiscrete].
 *
 * @example
 * ```ts
 * const cost: SemidiscreteCost = 'sqeuclidean'; // C(x, y) = 1/2 ||x - y||^2
 * ```
 */
export type SemidiscreteCost = 'dot' | 'sqeuclidean';

/**
 * A continuous source: `count` independent draws, `count x d` row-major, from the generator it is
 * given (the only randomness it may use, so runs are reproducible).
 *
 * @example
 * ```ts
 * const uniformSquare: SemidiscreteSource = (count, random) =>
 *   random.fillUniform(new Float32Array(2 * count));
 * ```
 */
export type SemidiscreteSource = (count: number, random: RandomGenerator) => Float32Array;

/** The target side of a semidiscrete problem, validated (internal). */
export interface SemidiscreteTarget extends ScoreTargets {
  readonly cost: SemidiscreteCost;
  /** `b`, positive, summing to 1. */
  readonly weights: Float64Array;
  /** `v_j`: 0 (dot) or `1/2 ||y_j||^2`. */
  readonly columnOffsets: Float64Array;
}

/** Checks `y` (positive weights) and `cost`, and copies the points to float64. */
export function prepareSemidiscreteTarget(
  y: PointCloud,
  cost: SemidiscreteCost,
  functionName: string,
): SemidiscreteTarget {
  validatePointCloud(y, { functionName, argumentName: 'y' });
  requireOneOf(cost, ['dot', 'sqeuclidean'], { functionName, argumentName: 'cost' });
  const weights = pointCloudWeights(y);
  for (let j = 0; j < y.n; j += 1) {
    if (!((weights[j] as number) > 0)) {
      throw new InvalidArgumentError({
        functionName,
        argumentName: `y.weights[${j}]`,
        message: 'must be positive (the chi-square marginal error divides by b_j)',
        value: weights[j],
      });
    }
  }
  const points = Float64Array.from(y.data);
  const columnOffsets = new Float64Array(y.n);
  if (cost === 'sqeuclidean') {
    for (let j = 0; j < y.n; j += 1) columnOffsets[j] = squaredNormHalf(points, j, y.d);
  }
  return { y: points, count: y.n, d: y.d, cost, weights, columnOffsets };
}

/** `u(x_i)`: 0 (dot) or `1/2 ||x_i||^2`. */
export function rowOffset(
  target: SemidiscreteTarget,
  x: Float32Array | Float64Array,
  i: number,
): number {
  return target.cost === 'dot' ? 0 : squaredNormHalf(x, i, target.d);
}

/** The standard normal source in `d` dimensions (Box-Muller on the Philox generator). */
export function standardNormalSource(d: number): SemidiscreteSource {
  return (count, random) => random.fillNormal(new Float32Array(count * d));
}

/** Draws `count` rows from `source` and checks their length and finiteness. */
export function drawSource(
  source: SemidiscreteSource,
  count: number,
  d: number,
  random: RandomGenerator,
  functionName: string,
): Float32Array {
  const x = source(count, random);
  if (!(x instanceof Float32Array) || x.length !== count * d) {
    throw new InvalidArgumentError({
      functionName,
      argumentName: 'source',
      message: `must return a Float32Array of count x d = ${count} x ${d} values`,
      value: x,
    });
  }
  for (let t = 0; t < x.length; t += 1) {
    if (!Number.isFinite(x[t] as number)) {
      throw new InvalidArgumentError({
        functionName,
        argumentName: 'source',
        message: `returned a non-finite value at index ${t}`,
        value: x[t],
      });
    }
  }
  return x;
}

function squaredNormHalf(data: Float32Array | Float64Array, row: number, d: number): number {
  let sum = 0;
  for (let k = 0; k < d; k += 1) {
    const value = data[row * d + k] as number;
    sum += value * value;
  }
  return 0.5 * sum;
}

/** `h_j = g_j - v_j` (hard) or `g_j - v_j + eps log b_j` (entropic): the score offsets. */
export function scoreOffsets(
  target: SemidiscreteTarget,
  g: Float64Array,
  epsilon: number,
  out: Float64Array,
): Float64Array {
  for (let j = 0; j < target.count; j += 1) {
    const base = (g[j] as number) - (target.columnOffsets[j] as number);
    out[j] = epsilon > 0 ? base + epsilon * Math.log(target.weights[j] as number) : base;
  }
  return out;
}
