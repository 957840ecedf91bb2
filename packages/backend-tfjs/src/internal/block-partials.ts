import type { Tensor2D, Tensor3D } from '@tensorflow/tfjs-core';
import type { TfModule } from './tfjs-module.js';

/**
 * A floor for block maxima: a block whose scores are all -Infinity gets this finite maximum, so
 * that `exp(z - max)` is `exp(-Infinity) = 0` instead of `exp(NaN)`; its sum is then exactly 0,
 * which marks it empty. Real maxima are far above it (`max_j z_ij >= K_ij / eps` for the largest
 * offset j).
 */
export const EMPTY_BLOCK_MAXIMUM = -3e38;

/** The device half of the two-level log-sum-exp of a block of scores. */
export interface BlockPartials {
  /** `max_{j in block} z_ij`, rows x blocks (the floor for empty blocks). */
  readonly maxima: Tensor2D;
  /** `exp(z_ij - max)` for every entry, rows x blocks x columnBlock. */
  readonly weights: Tensor3D;
  /** `sum_{j in block} exp(z_ij - max)`, rows x blocks: in [1, columnBlock], or 0 when empty. */
  readonly sums: Tensor2D;
}

/**
 * First level of the two-level scheme, on the device in float32: split each row of scores into
 * column blocks of `columnBlock` entries and reduce each block to its maximum and its sum of
 * exponentials shifted by that maximum (every term <= 1, so no overflow and a float32 sum of at
 * most `columnBlock` terms, relative error <= `columnBlock u`, u = 2^-24 [higham2002, Sec. 4.2]).
 * Call inside `tf.tidy`.
 */
export function blockPartials(
  tf: TfModule,
  scores: Tensor2D,
  blockCount: number,
  columnBlock: number,
): BlockPartials {
  const rows = scores.shape[0];
  const blocks = tf.reshape(scores, [rows, blockCount, columnBlock]) as Tensor3D;
  const maxima = tf.maximum(tf.max(blocks, 2, true), EMPTY_BLOCK_MAXIMUM);
  const weights = tf.exp(tf.sub(blocks, maxima)) as Tensor3D;
  return {
    maxima: tf.reshape(maxima, [rows, blockCount]) as Tensor2D,
    weights,
    sums: tf.sum(weights, 2) as Tensor2D,
  };
}

/**
 * Second level, in float64: combines the partials `(m_b, s_b)` of one row (entries
 * `start .. start + count` of `maxima` and `sums`) into `log sum_b s_b exp(m_b)`
 * `= M + log sum_b s_b exp(m_b - M)`, M the largest non-empty maximum. Returns -Infinity when every
 * block is empty and NaN when a sum is NaN. When `result` is given it receives
 * `[M, sum_b s_b exp(m_b - M), sum_b t_b exp(m_b - M)]`, the last for the block partials `t_b` of
 * `moments` (same layout; 0 without it).
 */
export function mergeRowPartials(
  maxima: Float32Array,
  sums: Float32Array,
  start: number,
  count: number,
  moments?: Float32Array,
  result?: Float64Array,
): number {
  let maximum = Number.NEGATIVE_INFINITY;
  for (let b = start; b < start + count; b += 1) {
    const sum = sums[b] as number;
    if (Number.isNaN(sum)) {
      result?.fill(Number.NaN);
      return Number.NaN;
    }
    if (sum > 0 && (maxima[b] as number) > maximum) maximum = maxima[b] as number;
  }
  if (maximum === Number.NEGATIVE_INFINITY) {
    if (result !== undefined) {
      result[0] = maximum;
      result[1] = 0;
      result[2] = 0;
    }
    return maximum;
  }
  let total = 0;
  let moment = 0;
  for (let b = start; b < start + count; b += 1) {
    const sum = sums[b] as number;
    if (sum === 0) continue;
    const scale = Math.exp((maxima[b] as number) - maximum);
    total += sum * scale;
    if (moments !== undefined) moment += (moments[b] as number) * scale;
  }
  if (result !== undefined) {
    result[0] = maximum;
    result[1] = total;
    result[2] = moment;
  }
  return maximum + Math.log(total);
}

/**
 * Merges one more partial `(maximum, sum)` into the running float64 pair of entry `index`
 * (`runningMaxima`, `runningSums`, started at -Infinity and 0): the same two-level combination
 * across row blocks, for column sums.
 */
export function mergeInto(
  runningMaxima: Float64Array,
  runningSums: Float64Array,
  index: number,
  maximum: number,
  sum: number,
): void {
  if (sum === 0) return;
  const current = runningMaxima[index] as number;
  if (Number.isNaN(sum) || Number.isNaN(current)) {
    runningMaxima[index] = Number.NaN;
    return;
  }
  if (maximum <= current) {
    runningSums[index] = (runningSums[index] as number) + sum * Math.exp(maximum - current);
  } else {
    runningSums[index] = (runningSums[index] as number) * Math.exp(current - maximum) + sum;
    runningMaxima[index] = maximum;
  }
}
