import { type ArgumentContext, InvalidArgumentError } from '@sinkflow/core';
import { type SymmetricEigen, symmetricEigen, symmetrize } from './symmetric-matrix.js';

/**
 * Two Gaussian measures `N(mean1, covariance1)` and `N(mean2, covariance2)` in dimension
 * `d = mean1.length`; covariances are `d x d`, row-major (`covariance[i * d + j]`), symmetric
 * positive semi-definite.
 *
 * @example
 * ```ts
 * const pair: GaussianPairOptions = { mean1: [0], covariance1: [1], mean2: [1], covariance2: [4] };
 * gaussianW2(pair).squaredDistance; // 2
 * ```
 */
export interface GaussianPairOptions {
  /** `m1`, length d. */
  readonly mean1: ArrayLike<number>;
  /** `S1`, `d x d` row-major. */
  readonly covariance1: ArrayLike<number>;
  /** `m2`, length d. */
  readonly mean2: ArrayLike<number>;
  /** `S2`, `d x d` row-major. */
  readonly covariance2: ArrayLike<number>;
}

/** @internal A validated {@link GaussianPairOptions}: float64 copies and the covariances' spectra. */
export interface GaussianPair {
  readonly d: number;
  readonly mean1: Float64Array;
  readonly mean2: Float64Array;
  readonly covariance1: Float64Array;
  readonly covariance2: Float64Array;
  readonly eigen1: SymmetricEigen;
  readonly eigen2: SymmetricEigen;
}

/**
 * @internal Validates two Gaussians (see `requireCovariance` for the tolerances); `definite`
 * names the covariances that must be positive definite.
 */
export function validateGaussianPair(
  { mean1, covariance1, mean2, covariance2 }: GaussianPairOptions,
  functionName: string,
  definite: { readonly covariance1?: boolean; readonly covariance2?: boolean } = {},
): GaussianPair {
  const first = requireMean(mean1, { functionName, argumentName: 'mean1' });
  const d = first.length;
  const second = requireMean(mean2, { functionName, argumentName: 'mean2' });
  if (second.length !== d) {
    throw new InvalidArgumentError({
      functionName,
      argumentName: 'mean2',
      message: `must have length d = ${d} (mean1's)`,
      value: second.length,
    });
  }
  const one = requireCovariance(
    covariance1,
    d,
    { functionName, argumentName: 'covariance1' },
    { positiveDefinite: definite.covariance1 === true },
  );
  const two = requireCovariance(
    covariance2,
    d,
    { functionName, argumentName: 'covariance2' },
    { positiveDefinite: definite.covariance2 === true },
  );
  return {
    d,
    mean1: first,
    mean2: second,
    covariance1: one.matrix,
    covariance2: two.matrix,
    eigen1: one.eigen,
    eigen2: two.eigen,
  };
}

/** @internal `||m1 - m2||^2`. */
export function squaredMeanGap(pair: GaussianPair): number {
  let sum = 0;
  for (let k = 0; k < pair.d; k += 1)
    sum += ((pair.mean1[k] as number) - (pair.mean2[k] as number)) ** 2;
  return sum;
}

/** @internal Checks a mean vector: a non-empty array-like of finite numbers; returns a float64 copy. */
export function requireMean(mean: unknown, context: ArgumentContext): Float64Array {
  if (
    typeof mean !== 'object' ||
    mean === null ||
    typeof (mean as ArrayLike<number>).length !== 'number' ||
    (mean as ArrayLike<number>).length === 0
  ) {
    throw new InvalidArgumentError({
      ...context,
      message: 'must be a non-empty array of numbers',
      value: mean,
    });
  }
  return finiteCopy(mean as ArrayLike<number>, context);
}

/**
 * @internal Checks a covariance: `d x d` row-major, finite, symmetric to `1e-9` relative to its
 * largest entry, and positive semi-definite (eigenvalues `>= -1e-12 lambda_max`), or positive
 * definite (`lambda_min > 1e-12 lambda_max`) when asked. Returns a float64 copy, symmetrised, and
 * its eigen-decomposition.
 */
export function requireCovariance(
  covariance: unknown,
  d: number,
  context: ArgumentContext,
  { positiveDefinite = false }: { readonly positiveDefinite?: boolean } = {},
): { readonly matrix: Float64Array; readonly eigen: SymmetricEigen } {
  if (
    typeof covariance !== 'object' ||
    covariance === null ||
    (covariance as ArrayLike<number>).length !== d * d
  ) {
    throw new InvalidArgumentError({
      ...context,
      message: `must be a d x d = ${d} x ${d} matrix as ${d * d} row-major numbers (d from the mean)`,
      value: covariance,
    });
  }
  const copy = finiteCopy(covariance as ArrayLike<number>, context);
  const scale = copy.reduce((largest, value) => Math.max(largest, Math.abs(value)), 0);
  for (let i = 0; i < d; i += 1) {
    for (let j = i + 1; j < d; j += 1) {
      const gap = Math.abs((copy[i * d + j] as number) - (copy[j * d + i] as number));
      if (gap > 1e-9 * scale) {
        throw new InvalidArgumentError({
          ...context,
          argumentName: `${context.argumentName}[${i * d + j}]`,
          message: `must be symmetric (entry (${i}, ${j}) differs from (${j}, ${i}) by ${gap})`,
          value: copy[i * d + j],
        });
      }
    }
  }
  const matrix = symmetrize(copy, d);
  const eigen = symmetricEigen(matrix, d);
  const smallest = eigen.values.reduce(
    (low, value) => Math.min(low, value),
    Number.POSITIVE_INFINITY,
  );
  const largest = eigen.values.reduce((high, value) => Math.max(high, value), 0);
  if (positiveDefinite ? !(smallest > 1e-12 * largest) : smallest < -1e-12 * largest) {
    throw new InvalidArgumentError({
      ...context,
      message: `must be positive ${positiveDefinite ? 'definite' : 'semi-definite'} (smallest eigenvalue ${smallest})`,
    });
  }
  return { matrix, eigen };
}

/** A float64 copy of `values`; throws naming the first entry that is not finite (`name[i]`). */
function finiteCopy(values: ArrayLike<number>, context: ArgumentContext): Float64Array {
  const copy = Float64Array.from(values);
  const bad = copy.findIndex((value) => !Number.isFinite(value));
  if (bad >= 0) {
    throw new InvalidArgumentError({
      ...context,
      argumentName: `${context.argumentName}[${bad}]`,
      message: 'entries must be finite',
      value: copy[bad],
    });
  }
  return copy;
}
