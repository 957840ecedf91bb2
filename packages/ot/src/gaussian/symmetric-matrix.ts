import { EigenvalueDecomposition, Matrix } from 'ml-matrix';

/**
 * The eigen-decomposition `S = V diag(lambda) V^T` of a symmetric `d x d` matrix, as returned by
 * {@link symmetricEigen}.
 *
 * @example
 * ```ts
 * const { values, vectors }: SymmetricEigen = symmetricEigen([2, 0, 0, 1], 2);
 * ```
 */
export interface SymmetricEigen {
  readonly d: number;
  /** Eigenvalues, ascending. */
  readonly values: Float64Array;
  /** Eigenvectors as the columns of a `d x d` ml-matrix. */
  readonly vectors: Matrix;
}

/**
 * The eigen-decomposition of a symmetric matrix given row-major (`d x d`, `S[i * d + j]`), the one
 * dense symmetric eigen-solver of sinkflow (Gaussian OT, the benchmarks' strong convexity):
 *
 *   (S + S^T) / 2 = V diag(lambda) V^T,   V^T V = I,   lambda ascending,
 *
 * by ml-matrix's Householder tridiagonalisation and implicit QL iterations (`assumeSymmetric`),
 * backward stable: the computed eigenvalues are those of `S + E` with `||E|| = O(d u ||S||)`
 * [higham2002]. The input is symmetrised first, so rounding asymmetry (as in `A B A`) does no harm.
 * Unchecked: the caller validates `d` and the entries. O(d^3).
 *
 * @example
 * ```ts
 * const { values } = symmetricEigen([2, 1, 1, 2], 2);
 * values; // Float64Array [1, 3]
 * ```
 */
export function symmetricEigen(matrix: ArrayLike<number>, d: number): SymmetricEigen {
  const symmetric = new Matrix(d, d);
  for (let i = 0; i < d; i += 1) {
    for (let j = 0; j < d; j += 1) {
      symmetric.set(i, j, 0.5 * ((matrix[i * d + j] as number) + (matrix[j * d + i] as number)));
    }
  }
  const decomposition = new EigenvalueDecomposition(symmetric, { assumeSymmetric: true });
  return {
    d,
    values: Float64Array.from(decomposition.realEigenvalues),
    vectors: decomposition.eigenvectorMatrix,
  };
}

/** @internal `V diag(f(lambda)) V^T`, row-major, exactly symmetric. */
export function spectralFunction(
  eigen: SymmetricEigen,
  f: (eigenvalue: number) => number,
): Float64Array {
  const { d, values, vectors } = eigen;
  const product = vectors.mmul(Matrix.diag(Float64Array.from(values, f))).mmul(vectors.transpose());
  return symmetrize(Float64Array.from(product.to1DArray()), d);
}

/** @internal `S^(1/2)` of a positive semi-definite matrix (eigenvalues below 0 by rounding clamp to 0). */
export function symmetricSquareRoot(matrix: Float64Array, d: number): Float64Array {
  return spectralFunction(symmetricEigen(matrix, d), (value) => Math.sqrt(Math.max(value, 0)));
}

/** @internal The product of two row-major `d x d` matrices (ml-matrix's `mmul`). */
export function multiply(left: Float64Array, right: Float64Array, d: number): Float64Array {
  return Float64Array.from(
    Matrix.from1DArray(d, d, left)
      .mmul(Matrix.from1DArray(d, d, right))
      .to1DArray(),
  );
}

/** @internal `(M + M^T) / 2`. */
export function symmetrize(matrix: Float64Array, d: number): Float64Array {
  const out = new Float64Array(d * d);
  for (let i = 0; i < d; i += 1) {
    for (let j = 0; j < d; j += 1)
      out[i * d + j] = 0.5 * ((matrix[i * d + j] as number) + (matrix[j * d + i] as number));
  }
  return out;
}

/** @internal The trace of a row-major `d x d` matrix. */
export function trace(matrix: Float64Array, d: number): number {
  let sum = 0;
  for (let i = 0; i < d; i += 1) sum += matrix[i * d + i] as number;
  return sum;
}
