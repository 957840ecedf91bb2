import {
  counterGumbel,
  fillCounterGumbelRow,
  UNIFORM_MAXIMUM,
  UNIFORM_MINIMUM,
} from '@sinkflow/core';

/**
 * The width of the range of the counter-based Gumbel noise, `G_max - G_min` with
 * `G = -log(-log U)` at the extreme uniforms (about 36.74 + 3.60), plus a margin for rounding.
 */
const GUMBEL_SPREAD =
  -Math.log(-Math.log(UNIFORM_MAXIMUM)) + Math.log(-Math.log(UNIFORM_MINIMUM)) + 1e-6;

/**
 * `argmax_j (scores_j + G(seed, row, j, draw))` for `j < scores.length`, ties to the smallest j
 * (Gumbel-max [gumbel1954] with the keyed noise of `@sinkflow/core`, the same draws as every other
 * backend). A column whose score is more than the noise's range below the best score cannot
 * win, so when few columns are within that range (small epsilon) only their noise is drawn
 * (`counterGumbel`, bit-identical to the row fill); otherwise the whole row is filled at once.
 * A row whose scores are all -Infinity gives 0, as the reference backend.
 *
 * @param noise - Scratch of length >= scores.length.
 */
export function gumbelArgmax(
  scores: Float32Array,
  seed: number,
  row: number,
  draw: number,
  noise: Float64Array,
): number {
  const length = scores.length;
  let top = Number.NEGATIVE_INFINITY;
  for (let j = 0; j < length; j += 1) {
    if ((scores[j] as number) > top) top = scores[j] as number;
  }
  if (!(top > Number.NEGATIVE_INFINITY)) return 0;
  const floor = top - GUMBEL_SPREAD;
  let candidates = 0;
  for (let j = 0; j < length; j += 1) if ((scores[j] as number) >= floor) candidates += 1;
  let best = 0;
  let bestScore = Number.NEGATIVE_INFINITY;
  if (candidates * 8 > length) {
    const row64 = fillCounterGumbelRow(noise.subarray(0, length), { seed, row, draw });
    for (let j = 0; j < length; j += 1) {
      const score = (scores[j] as number) + (row64[j] as number);
      if (score > bestScore) {
        bestScore = score;
        best = j;
      }
    }
    return best;
  }
  for (let j = 0; j < length; j += 1) {
    if ((scores[j] as number) < floor) continue;
    const score = (scores[j] as number) + counterGumbel(seed, row, j, draw);
    if (score > bestScore) {
      bestScore = score;
      best = j;
    }
  }
  return best;
}
