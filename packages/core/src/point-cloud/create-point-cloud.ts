import { InvalidArgumentError } from '../errors/invalid-argument-error.js';
import { requireInteger } from '../validation/argument-checks.js';
import { normalizeWeights } from './normalize-weights.js';
import type { PointCloud } from './point-cloud.js';

/**
 * Where a cloud is being checked: the public function and the argument name (e.g. `'x'`), the
 * context argument of {@link validatePointCloud} and the (internal) third argument of
 * {@link createPointCloud}.
 */
export interface PointCloudContext {
  /** The public function that received the cloud. @default 'createPointCloud' */
  readonly functionName?: string;
  /** The argument that holds the cloud. @default 'data' */
  readonly argumentName?: string;
}

/**
 * Validates coordinates and optional weights and returns a {@link PointCloud}.
 *
 * Checks: `d` is an integer `>= 1`; `data.length` is a positive multiple of `d` (or equals
 * `n * d` when `n` is given); every coordinate is finite; weights (when given) have length `n`,
 * are finite and non-negative with a positive sum, and are normalised to sum to 1.
 * Uniform weights stay implicit (`weights: undefined`) so that solvers can use the cheaper
 * closed forms (`log a_i = -log n`, `H(a) = log n`).
 *
 * The data array is kept, not copied: do not mutate it afterwards.
 *
 * @param context - For packages that build a cloud on behalf of their own public function: the
 * function and argument that errors name (default `createPointCloud`, `data`). Internal
 * plumbing, kept out of the options so that the options are only about the cloud.
 *
 * @throws {@link InvalidArgumentError} naming the argument, and for a non-finite coordinate its
 * flat index, row and column.
 * @example
 * ```ts
 * const y = createPointCloud(new Float32Array([0, 1, 2, 3]), { d: 2, weights: [1, 3] });
 * // y.n === 2, y.weights = Float64Array [0.25, 0.75]
 * ```
 */
export function createPointCloud(
  data: Float32Array | Float64Array,
  {
    d,
    n,
    weights,
  }: {
    /** Dimension of the points. */
    readonly d: number;
    /** Number of points; inferred as `data.length / d` when omitted. */
    readonly n?: number;
    /** Point masses (any positive total; normalised); omitted means uniform. */
    readonly weights?: ArrayLike<number> | undefined;
  },
  { functionName = 'createPointCloud', argumentName = 'data' }: PointCloudContext = {},
): PointCloud {
  const context = { functionName, argumentName };
  if (!(data instanceof Float32Array || data instanceof Float64Array)) {
    throw new InvalidArgumentError({
      ...context,
      message: 'coordinates must be a Float32Array or a Float64Array',
      value: data,
    });
  }
  requireInteger(d, { functionName, argumentName: `${argumentName}.d`, minimum: 1 });
  const count = n ?? data.length / d;
  const cloud: PointCloud = { data, d, n: count };
  validatePointCloud(cloud, context);
  if (weights === undefined) return cloud;
  if (weights.length !== count) {
    throw new InvalidArgumentError({
      functionName,
      argumentName: `${argumentName}.weights`,
      message: `must have one weight per point (${count})`,
      value: weights.length,
    });
  }
  return {
    ...cloud,
    weights: normalizeWeights(weights, { functionName, argumentName: `${argumentName}.weights` }),
  };
}

/**
 * Checks that a {@link PointCloud} is well formed, and throws an {@link InvalidArgumentError}
 * naming the argument otherwise: `n` and `d` integers `>= 1`, `data.length === n * d`, finite
 * coordinates, and weights (when present) of length `n`, finite, non-negative, summing to 1
 * within `1e-6` (normalise raw weights with {@link createPointCloud}).
 *
 * Cost: one pass over the data, O(n d).
 *
 * @example
 * ```ts
 * validatePointCloud(x, { functionName: 'solveSinkhorn', argumentName: 'x' }); // throws or returns
 * ```
 */
export function validatePointCloud(cloud: PointCloud, context: PointCloudContext = {}): void {
  const functionName = context.functionName ?? 'validatePointCloud';
  const argumentName = context.argumentName ?? 'cloud';
  if (typeof cloud !== 'object' || cloud === null) {
    throw new InvalidArgumentError({
      functionName,
      argumentName,
      message: 'must be a point cloud object',
      value: cloud,
    });
  }
  const { data, n, d, weights } = cloud;
  if (!(data instanceof Float32Array || data instanceof Float64Array)) {
    throw new InvalidArgumentError({
      functionName,
      argumentName: `${argumentName}.data`,
      message: 'must be a Float32Array or a Float64Array',
      value: data,
    });
  }
  requireInteger(d, { functionName, argumentName: `${argumentName}.d`, minimum: 1 });
  if (!Number.isSafeInteger(n) || n < 1) {
    const message =
      data.length % d === 0
        ? 'must contain at least one point'
        : `length ${data.length} is not a multiple of d = ${d}`;
    throw new InvalidArgumentError({
      functionName,
      argumentName: `${argumentName}.n`,
      message,
      value: n,
    });
  }
  if (data.length !== n * d) {
    throw new InvalidArgumentError({
      functionName,
      argumentName: `${argumentName}.data`,
      message: `length must be n * d = ${n} * ${d} = ${n * d}`,
      value: data.length,
    });
  }
  for (let index = 0; index < data.length; index += 1) {
    if (!Number.isFinite(data[index])) {
      const row = Math.floor(index / d);
      throw new InvalidArgumentError({
        functionName,
        argumentName: `${argumentName}.data[${index}]`,
        message: `coordinates must be finite (row ${row}, column ${index - row * d})`,
        value: data[index],
      });
    }
  }
  if (weights !== undefined)
    validateNormalizedWeights(weights, n, {
      functionName,
      argumentName: `${argumentName}.weights`,
    });
}

function validateNormalizedWeights(
  weights: Float64Array,
  n: number,
  context: { functionName: string; argumentName: string },
): void {
  if (!(weights instanceof Float64Array) || weights.length !== n) {
    throw new InvalidArgumentError({
      ...context,
      message: `must be a Float64Array of length n = ${n}`,
      value: weights,
    });
  }
  const normalized = normalizeWeights(weights, context);
  // normalizeWeights rescaled by the sum; a sum of 1 leaves the first positive weight unchanged.
  const reference = weights.findIndex((weight) => weight > 0);
  const scale = (normalized[reference] as number) / (weights[reference] as number);
  if (Math.abs(scale - 1) > 1e-6) {
    throw new InvalidArgumentError({
      ...context,
      message: 'must sum to 1 (pass raw weights through createPointCloud to normalise them)',
      value: 1 / scale,
    });
  }
}
