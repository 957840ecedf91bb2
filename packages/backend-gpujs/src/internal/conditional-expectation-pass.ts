import { type ConditionalExpectationRequest, shiftOffsets } from '@sinkflow/ot/backend';
import { chunkScores, scoreChunkRows } from './column-scores.js';
import { weightedSums } from './kernel-functions.js';
import { OFFSET_FLOOR } from './offset-floor.js';
import { outputRows, type PassContext } from './pass-context.js';

/**
 * Conditional expectations `out_s = sum_j w_sj values_j / sum_j w_sj` with
 * `w_sj = exp((v_sj - max_j v_sj) / eps)` (the row's coupling up to a constant [peyre2019]):
 * scores by the kernel (as for sampling), weights in float64 on the host (stored as float32 in
 * (0, 1]), then the weighted sums by the {@link weightedSums} kernel over tiles of columns, with a
 * column of ones appended to the values so that the same kernel returns the denominators; tiles
 * and column chunks are summed in float64.
 */
export async function runConditionalExpectation(
  context: PassContext,
  { rows, columnPotentials, epsilon, values, width, out }: ConditionalExpectationRequest,
): Promise<void> {
  const { m, limits } = context;
  const shifted = shiftOffsets(columnPotentials, { floor: OFFSET_FLOOR });
  if (shifted.kind !== 'finite') {
    // No finite weight (or NaN in g): the ratio is undefined.
    out.fill(Number.NaN);
    return;
  }
  const stride = width + 1;
  // Column chunks keep the values argument under the cap; tiles keep each float32 sum short.
  const chunkColumns = Math.max(1, Math.min(m, Math.floor(limits.maxArgumentLength / stride)));
  let tile = Math.min(context.tile, chunkColumns);
  if (Math.ceil(chunkColumns / tile) > limits.maxDimension) {
    tile = Math.ceil(chunkColumns / limits.maxDimension);
  }
  const tiles = Math.ceil(chunkColumns / tile);
  const sumRows = Math.max(1, Math.floor(limits.maxCells / (stride * tiles)));
  const chunkRows = scoreChunkRows(limits, m, rows.length, sumRows);
  const weights = new Float32Array(chunkRows * m);
  const columnValues = new Float32Array(chunkColumns * stride);
  const totals = new Float64Array(chunkRows * stride);
  for (let first = 0; first < rows.length; first += chunkRows) {
    const count = Math.min(chunkRows, rows.length - first);
    await chunkScores(context, {
      rows,
      first,
      count,
      chunkRows,
      offsets: shifted.values,
      target: weights,
    });
    for (let s = 0; s < count; s += 1) {
      let top = Number.NEGATIVE_INFINITY;
      for (let j = 0; j < m; j += 1) top = Math.max(top, weights[s * m + j] as number);
      for (let j = 0; j < m; j += 1) {
        weights[s * m + j] = Math.exp(((weights[s * m + j] as number) - top) / epsilon);
      }
    }
    totals.fill(0);
    for (let start = 0; start < m; start += chunkColumns) {
      const length = Math.min(chunkColumns, m - start);
      columnValues.fill(0);
      for (let j = 0; j < length; j += 1) {
        for (let c = 0; c < width; c += 1) {
          columnValues[j * stride + c] = values[(start + j) * width + c] as number;
        }
        columnValues[j * stride + width] = 1;
      }
      const output = await context.kernels.run({
        name: 'weightedSums',
        source: weightedSums,
        output: [stride, chunkRows, tiles],
        argumentTypes: {
          weights: 'Array',
          values: 'Array',
          stride: 'Integer',
          columnStart: 'Integer',
          width: 'Integer',
          tile: 'Integer',
          length: 'Integer',
        },
        loopMaxIterations: tile,
        args: [weights, columnValues, m, start, stride, tile, length],
      });
      const byTile = Array.isArray(output) && Array.isArray(output[0]) ? output : [output];
      for (const tileOutput of byTile as readonly (readonly Float32Array[] | Float32Array)[]) {
        const tileRows = outputRows(tileOutput);
        for (let s = 0; s < count; s += 1) {
          const sums = tileRows[s] as Float32Array;
          for (let c = 0; c < stride; c += 1) {
            totals[s * stride + c] = (totals[s * stride + c] as number) + (sums[c] as number);
          }
        }
      }
    }
    for (let s = 0; s < count; s += 1) {
      const total = totals[s * stride + width] as number;
      for (let c = 0; c < width; c += 1) {
        out[(first + s) * width + c] = (totals[s * stride + c] as number) / total;
      }
    }
  }
}
