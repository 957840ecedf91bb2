/**
 * A cloud of `n` points in dimension `d`, stored row-major: coordinate `k` of point `i` is
 * `data[i * d + k]`. `weights`, when present, are the probability masses of the points
 * (non-negative, summing to 1); absent weights mean the uniform measure `1/n`.
 *
 * Storage may be float32 (the usual case, half the memory) or float64; every reduction over a
 * cloud is accumulated in float64 (see docs/numerics.md, "The data model").
 *
 * Build one with {@link createPointCloud}, which validates and normalises; a `PointCloud` made by
 * hand can be checked with {@link validatePointCloud}.
 *
 * @example
 * ```ts
 * const x = createPointCloud(new Float32Array([0, 0, 1, 0, 0, 1]), { d: 2 });
 * // x.n === 3, x.d === 2, x.weights === undefined (uniform)
 * ```
 */
export interface PointCloud {
  /** Coordinates, row-major, length `n * d`. */
  readonly data: Float32Array | Float64Array;
  /** Number of points (rows), at least 1. */
  readonly n: number;
  /** Dimension (columns), at least 1. */
  readonly d: number;
  /** Point masses, length `n`, non-negative and summing to 1; `undefined` means uniform. */
  readonly weights?: Float64Array | undefined;
}

/**
 * The weights of a cloud as an explicit array: its own `weights`, or `1/n` repeated.
 *
 * @example
 * ```ts
 * pointCloudWeights(createPointCloud(new Float32Array(4), { d: 2 })); // Float64Array [0.5, 0.5]
 * ```
 */
export function pointCloudWeights(cloud: PointCloud): Float64Array {
  return cloud.weights ?? new Float64Array(cloud.n).fill(1 / cloud.n);
}
