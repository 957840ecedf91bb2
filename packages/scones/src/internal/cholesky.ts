/**
 * @internal The inverse of a symmetric positive definite `d x d` matrix (row-major, float64) by
 * Cholesky `A = L L^T`, `A^{-1} = L^{-T} L^{-1}`; returns null when a pivot is not positive.
 */
export function inverseSymmetricPositiveDefinite(
  matrix: ArrayLike<number>,
  d: number,
): Float64Array | null {
  const lower = new Float64Array(d * d);
  for (let i = 0; i < d; i += 1) {
    for (let j = 0; j <= i; j += 1) {
      let sum = matrix[i * d + j] as number;
      for (let k = 0; k < j; k += 1)
        sum -= (lower[i * d + k] as number) * (lower[j * d + k] as number);
      if (i === j) {
        if (!(sum > 0)) return null;
        lower[i * d + i] = Math.sqrt(sum);
      } else {
        lower[i * d + j] = sum / (lower[j * d + j] as number);
      }
    }
  }
  // inverseLower = L^{-1} by forward substitution, column by column.
  const inverseLower = new Float64Array(d * d);
  for (let column = 0; column < d; column += 1) {
    for (let i = column; i < d; i += 1) {
      let sum = i === column ? 1 : 0;
      for (let k = column; k < i; k += 1)
        sum -= (lower[i * d + k] as number) * (inverseLower[k * d + column] as number);
      inverseLower[i * d + column] = sum / (lower[i * d + i] as number);
    }
  }
  const inverse = new Float64Array(d * d);
  for (let i = 0; i < d; i += 1) {
    for (let j = 0; j <= i; j += 1) {
      let sum = 0;
      for (let k = i; k < d; k += 1)
        sum += (inverseLower[k * d + i] as number) * (inverseLower[k * d + j] as number);
      inverse[i * d + j] = sum;
      inverse[j * d + i] = sum;
    }
  }
  return inverse;
}
