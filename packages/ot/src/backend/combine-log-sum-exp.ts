import { InvalidArgumentError } from '@sinkflow/core';

/**
 * Combines partial log-sum-exps exactly, in the order of `parts` (rank order), so the result
 * never depends on which worker (or row chunk) answered first. Used by the sharded backend of
 * `@sinkflow/distributed` and by the wasm backend's row chunks.
 *
 * A worker (or chunk) that owns rows `I_p` returns, for every column j, its partial
 * `l_pj = eps log sum_{i in I_p} exp(z_ij / eps)`, which encodes the pair
 * (max `M_pj`, sum of exp `S_pj`) as `l_pj = M_pj + eps log S_pj`. The pairs combine as
 *
 *   M_j = max_p l_pj,    out_j = M_j + eps log sum_p exp((l_pj - M_j) / eps)
 *
 * [peyre2019, Remark 4.23]: every exponent is <= 0, so nothing overflows, and the result equals
 * `eps log sum_i exp(z_ij / eps)` over all rows up to rounding. A part of `-Infinity` (a block
 * of zero mass) contributes nothing; if all are `-Infinity`, so is the result; NaN gives NaN.
 * With one part, `out = parts[0]` exactly.
 *
 * @example
 * ```ts
 * const out = new Float64Array(1);
 * combineLogSumExp([Float64Array.of(Math.log(2)), Float64Array.of(Math.log(3))], 1, out);
 * out[0]; // Math.log(5)
 * ```
 */
export function combineLogSumExp(
  parts: readonly Float64Array[],
  epsilon: number,
  out: Float64Array,
): Float64Array {
  const length = out.length;
  for (const part of parts) {
    if (part.length !== length)
      throw new InvalidArgumentError({
        functionName: 'combineLogSumExp',
        argumentName: 'parts',
        message: `a part has length ${part.length}, expected ${length} (the length of out)`,
      });
  }
  if (parts.length === 1) {
    out.set(parts[0] as Float64Array);
    return out;
  }
  for (let j = 0; j < length; j += 1) {
    let maximum = Number.NEGATIVE_INFINITY;
    let nan = false;
    for (const part of parts) {
      const value = part[j] as number;
      if (Number.isNaN(value)) nan = true;
      else if (value > maximum) maximum = value;
    }
    if (nan) {
      out[j] = Number.NaN;
      continue;
    }
    if (maximum === Number.NEGATIVE_INFINITY || maximum === Number.POSITIVE_INFINITY) {
      out[j] = maximum;
      continue;
    }
    let sum = 0;
    for (const part of parts) sum += Math.exp(((part[j] as number) - maximum) / epsilon);
    out[j] = maximum + epsilon * Math.log(sum);
  }
  return out;
}
