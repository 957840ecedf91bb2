import { InvalidArgumentError, type PointCloud, requireInteger } from '@sinkflow/core';
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';

/** A PCA projection: the k leading eigenvectors of the covariance of the data. */
export interface PrincipalComponents {
  /** k, the number of components kept. */
  readonly components: number;
  /** The k eigenvectors as rows of a k x d row-major matrix, by decreasing eigenvalue. */
  readonly basis: Float64Array;
  /** The fraction of the total variance that the k components explain, in [0, 1]. */
  readonly explainedVarianceRatio: number;
}

/**
 * The mean of the union of `clouds` (unweighted), in float64: `m = (1/N) sum_p p` over the N points
 * of all clouds. The centre {@link principalComponents} and {@link projectOnComponents} take.
 *
 * @example
 * ```ts
 * const mean = cloudsMean([x, y]);
 * const reduced = projectOnComponents(x.data, x.n, mean, principalComponents([x, y], mean, 8));
 * ```
 */
export function cloudsMean(clouds: readonly PointCloud[]): Float64Array {
  const d = clouds[0]?.d;
  if (
    d === undefined ||
    clouds.some((cloud) => cloud.d !== d || cloud.data.length !== cloud.n * d) ||
    clouds.every((cloud) => cloud.n === 0)
  ) {
    throw new InvalidArgumentError({
      functionName: 'cloudsMean',
      argumentName: 'clouds',
      message: 'must be one or more n x d clouds of one dimension d, with at least one point',
    });
  }
  const mean = new Float64Array(d);
  let total = 0;
  for (const cloud of clouds) {
    for (let index = 0; index < cloud.data.length; index += 1) {
      const c = index % d;
      mean[c] = (mean[c] as number) + (cloud.data[index] as number);
    }
    total += cloud.n;
  }
  for (let c = 0; c < d; c += 1) mean[c] = (mean[c] as number) / total;
  return mean;
}

/**
 * The k leading principal components of the union of `clouds` (unweighted), centred at `mean`:
 * the eigenvectors of `S = (1/N) sum_p (p - mean)(p - mean)^T` for the k largest eigenvalues
 * (symmetric eigen-decomposition by ml-matrix). O(N d^2 + d^3). The paper's PCA acceleration
 * computes the dot cost on these components [klein2025, Sec. 4]; `projectOnComponents` maps
 * points there.
 *
 * @example
 * ```ts
 * const pca = principalComponents([x, y], mean, 8); // pca.basis is 8 x d
 * ```
 */
export function principalComponents(
  clouds: readonly PointCloud[],
  mean: Float64Array,
  k: number,
): PrincipalComponents {
  const functionName = 'principalComponents';
  const d = mean.length;
  requireInteger(k, { functionName, argumentName: 'k', minimum: 1, maximum: d });
  for (const [index, cloud] of clouds.entries()) {
    if (cloud?.d !== d || !(cloud.data.length >= cloud.n * d)) {
      throw new InvalidArgumentError({
        functionName,
        argumentName: `clouds[${index}]`,
        message: `must be a point cloud of dimension ${d} (the length of mean)`,
        value: cloud?.d,
      });
    }
  }
  const covariance = new Float64Array(d * d);
  const centred = new Float64Array(d);
  let count = 0;
  for (const { n, data } of clouds) {
    for (let i = 0; i < n; i += 1) {
      for (let c = 0; c < d; c += 1) centred[c] = (data[i * d + c] as number) - (mean[c] as number);
      for (let r = 0; r < d; r += 1) {
        const value = centred[r] as number;
        for (let c = r; c < d; c += 1)
          covariance[r * d + c] =
            (covariance[r * d + c] as number) + value * (centred[c] as number);
      }
    }
    count += n;
  }
  if (count === 0) {
    throw new InvalidArgumentError({
      functionName,
      argumentName: 'clouds',
      message: 'must hold at least one point (the covariance of nothing is undefined)',
    });
  }
  const rows = Array.from({ length: d }, (_, r) =>
    Array.from(
      { length: d },
      (_, c) => (covariance[Math.min(r, c) * d + Math.max(r, c)] as number) / count,
    ),
  );
  const decomposition = new EigenvalueDecomposition(new Matrix(rows), { assumeSymmetric: true });
  const values = decomposition.realEigenvalues;
  const vectors = decomposition.eigenvectorMatrix;
  const order = values
    .map((_, index) => index)
    .sort((left, right) => (values[right] as number) - (values[left] as number));
  const basis = new Float64Array(k * d);
  let kept = 0;
  for (let component = 0; component < k; component += 1) {
    const index = order[component] as number;
    kept += Math.max(0, values[index] as number);
    for (let c = 0; c < d; c += 1) basis[component * d + c] = vectors.get(c, index);
  }
  const total = values.reduce((sum, value) => sum + Math.max(0, value), 0);
  return { components: k, basis, explainedVarianceRatio: total > 0 ? kept / total : 1 };
}

/**
 * `W (p - shift)` for each of the `n` rows `p` of `data` (`n x d`, row-major), with `W` the `k x d`
 * basis of `pca`: the points in the coordinates of the principal components, rounded to float32
 * (accumulated in float64; a NaN in a point gives NaN coordinates). With the rows of `W`
 * orthonormal, a standard normal `p` with `shift = 0` maps to a standard normal in k dimensions,
 * and `-<W p, W q>` differs from the dot cost on the components by terms of `p` alone and `q`
 * alone (which OT couplings ignore) [klein2025, Sec. 4]. O(n d k).
 *
 * @example
 * ```ts
 * const pca = principalComponents([images], mean, 64);
 * const reduced = projectOnComponents(images.data, images.n, mean, pca); // n x 64
 * ```
 */
export function projectOnComponents(
  data: ArrayLike<number>,
  n: number,
  shift: Float64Array,
  pca: PrincipalComponents,
): Float32Array {
  const d = shift.length;
  const k = pca.components;
  if (!Number.isSafeInteger(n) || n < 0 || pca.basis.length !== k * d || !(data.length >= n * d)) {
    throw new InvalidArgumentError({
      functionName: 'projectOnComponents',
      argumentName:
        !Number.isSafeInteger(n) || n < 0 ? 'n' : pca.basis.length !== k * d ? 'pca' : 'data',
      message: `needs an integer n >= 0, a ${k} x ${d} basis and n rows of ${d} values (d = shift.length)`,
      value: n,
    });
  }
  const out = new Float32Array(n * k);
  const centred = new Float64Array(d);
  const { basis } = pca;
  for (let i = 0; i < n; i += 1) {
    for (let c = 0; c < d; c += 1) centred[c] = (data[i * d + c] as number) - (shift[c] as number);
    for (let component = 0; component < k; component += 1) {
      let sum = 0;
      const row = component * d;
      for (let c = 0; c < d; c += 1) sum += (basis[row + c] as number) * (centred[c] as number);
      out[i * k + component] = sum;
    }
  }
  return out;
}
