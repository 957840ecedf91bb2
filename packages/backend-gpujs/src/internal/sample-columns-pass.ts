import { fillCounterGumbelRow } from '@sinkflow/core';

import { type SampleColumnsRequest, shiftOffsets } from '@sinkflow/ot/backend';
import { chunkScores, scoreChunkRows } from './column-scores.js';
import { OFFSET_FLOOR } from './offset-floor.js';
import type { PassContext } from './pass-context.js';

/**
 * Gumbel-max sampling [gumbel1954]: the kernel scores a chunk of rows against every column
 * (`v_sj = g'_j + K_ij` in float32, `g' = g - max g`), then the host adds the keyed noise of
 * `@sinkflow/core` (`fillCounterGumbelRow`, the Philox generator keyed by (seed, i, j, draw)
 * [salmon2011philox], bit for bit the noise of every other backend) in float64 and takes
 *
 *   out_s = argmax_j ( v_sj / eps + G(seed, i, j, draw_s) ),   ties to the smallest j.
 *
 * The shift by `max g` moves every score of a row by the same amount, so the argmax is that of
 * the unshifted scores.
 */
export async function runSampleColumns(
  context: PassContext,
  { rows, draws, columnPotentials, epsilon, seed, out }: SampleColumnsRequest,
): Promise<void> {
  const { m } = context;
  const shifted = shiftOffsets(columnPotentials, { floor: OFFSET_FLOOR });
  if (shifted.kind !== 'finite') {
    // No finite score: the first +Infinity column wins, as in the reference; else column 0.
    const infinite = shifted.kind === 'invalid' && shifted.value === Number.POSITIVE_INFINITY;
    out.fill(infinite ? columnPotentials.indexOf(Number.POSITIVE_INFINITY) : 0);
    return;
  }
  const chunkRows = scoreChunkRows(context.limits, m, rows.length);
  const scores = new Float32Array(chunkRows * m);
  const noise = new Float64Array(m);
  for (let first = 0; first < rows.length; first += chunkRows) {
    const count = Math.min(chunkRows, rows.length - first);
    await chunkScores(context, {
      rows,
      first,
      count,
      chunkRows,
      offsets: shifted.values,
      target: scores,
    });
    for (let s = 0; s < count; s += 1) {
      const row = rows[first + s] as number;
      fillCounterGumbelRow(noise, { seed, row, columnStart: 0, draw: draws[first + s] as number });
      let best = 0;
      let bestScore = Number.NEGATIVE_INFINITY;
      for (let j = 0; j < m; j += 1) {
        const score = (scores[s * m + j] as number) / epsilon + (noise[j] as number);
        if (score > bestScore) {
          bestScore = score;
          best = j;
        }
      }
      out[first + s] = best;
    }
  }
}
