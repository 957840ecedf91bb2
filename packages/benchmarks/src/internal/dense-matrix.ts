/** @internal The row-major product of a (p x q) and b (q x s). */
export function multiply(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  p: number,
  q: number,
  s: number,
): Float64Array {
  const out = new Float64Array(p * s);
  for (let i = 0; i < p; i += 1) {
    for (let l = 0; l < q; l += 1) {
      const value = a[i * q + l] as number;
      if (value === 0) continue;
      for (let j = 0; j < s; j += 1)
        out[i * s + j] = (out[i * s + j] as number) + value * (b[l * s + j] as number);
    }
  }
  return out;
}

/** @internal `y_i = M x_i` for each row of the n x d cloud data, M d x d row-major; float64 out. */
export function applyMatrix(
  matrix: Float64Array,
  data: ArrayLike<number>,
  n: number,
  d: number,
): Float64Array {
  const out = new Float64Array(n * d);
  for (let point = 0; point < n; point += 1) {
    const offset = point * d;
    for (let i = 0; i < d; i += 1) {
      let sum = 0;
      for (let j = 0; j < d; j += 1)
        sum += (matrix[i * d + j] as number) * (data[offset + j] as number);
      out[offset + i] = sum;
    }
  }
  return out;
}
