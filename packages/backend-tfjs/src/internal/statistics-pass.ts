import {
  type CouplingStatistics,
  type StatisticsRequest,
  shiftOffsets,
} from '@sinkflow/ot/backend';
import type { Tensor2D, Tensor3D } from '@tensorflow/tfjs-core';
import {
  blockPartials,
  EMPTY_BLOCK_MAXIMUM,
  mergeInto,
  mergeRowPartials,
} from './block-partials.js';
import { runBlocks } from './block-pipeline.js';
import type { KernelContext } from './kernel-context.js';
import { kernelRows } from './kernel-tensors.js';

/**
 * One streaming pass over `P_ij = exp((f_i + g_j + K_ij) / eps)`, by row blocks of K:
 *
 * - row sums: `z_ij = (g_j - G + K_ij) / eps` (G = max g) is reduced per column block to
 *   `(m_ib, s_ib, t_ib)` = (max, sum of `exp(z - m)`, sum of `exp(z - m) K_ij`), merged in float64:
 *   `(P 1)_i = exp((f_i + G) / eps + M_i) S_i` and `<P, K> = sum_i exp((f_i + G) / eps + M_i) T_i`,
 *   so f enters exactly, in float64;
 * - column sums: `w_ij = (f_i - F + K_ij) / eps` (F = max f) is reduced over the rows of the block
 *   to (max, sum) per column, merged across blocks in float64:
 *   `(P^T 1)_j = exp((g_j + F) / eps + M_j) S_j`.
 *
 * Row blocks hold at most `columnBlock` rows here, so every float32 sum has at most that many
 * terms in both directions.
 */
export async function statisticsPass(
  context: KernelContext,
  { rowPotentials, columnPotentials, epsilon }: StatisticsRequest,
): Promise<CouplingStatistics> {
  const { tf } = context;
  const tensors = context.tensors.sides.rows;
  const { count: n, length: m, blockCount, columnBlock, paddedLength } = tensors;
  const rowSums = new Float64Array(n);
  const columnSums = new Float64Array(m);
  const g = shiftOffsets(columnPotentials, { divisor: epsilon, length: paddedLength });
  const f = shiftOffsets(rowPotentials, { divisor: epsilon, length: n });
  if (g.kind === 'invalid' || f.kind === 'invalid') {
    rowSums.fill(Number.NaN);
    columnSums.fill(Number.NaN);
    return { rowSums, columnSums, kernelMoment: Number.NaN };
  }
  if (g.kind === 'empty' || f.kind === 'empty') return { rowSums, columnSums, kernelMoment: 0 };

  const rowBlock = Math.min(context.rowBlock('rows'), context.columnBlock);
  const columnMaxima = new Float64Array(paddedLength).fill(Number.NEGATIVE_INFINITY);
  const columnTotals = new Float64Array(paddedLength);
  const merged = new Float64Array(3);
  let kernelMoment = 0;
  const gBias = tf.tensor1d(g.values, 'float32');
  const fColumn = tf.tensor2d(f.values, [n, 1], 'float32');
  try {
    await runBlocks({
      count: Math.ceil(n / rowBlock),
      launch: (block) =>
        tf.tidy(() => {
          const start = block * rowBlock;
          const size = Math.min(rowBlock, n - start);
          const kernel = kernelRows(tf, tensors, { start, size });
          const scaledKernel = tf.mul(kernel, 1 / epsilon);
          const rows = blockPartials(tf, tf.add(scaledKernel, gBias), blockCount, columnBlock);
          const kernelBlocks = tf.reshape(kernel, [size, blockCount, columnBlock]) as Tensor3D;
          const moments = tf.sum(tf.mul(rows.weights, kernelBlocks), 2);
          const columns = tf.add(
            scaledKernel,
            tf.slice(fColumn, [start, 0], [size, 1]),
          ) as Tensor2D;
          const columnMaximum = tf.maximum(tf.max(columns, 0, true), EMPTY_BLOCK_MAXIMUM);
          const columnSum = tf.sum(tf.exp(tf.sub(columns, columnMaximum)), 0);
          return tf.concat([
            tf.reshape(rows.maxima, [-1]),
            tf.reshape(rows.sums, [-1]),
            tf.reshape(moments, [-1]),
            tf.reshape(columnMaximum, [-1]),
            columnSum,
          ]);
        }),
      consume: (block, values) => {
        const start = block * rowBlock;
        const size = Math.min(rowBlock, n - start);
        const partials = size * blockCount;
        const maxima = values.subarray(0, partials);
        const sums = values.subarray(partials, 2 * partials);
        const moments = values.subarray(2 * partials, 3 * partials);
        for (let row = 0; row < size; row += 1) {
          mergeRowPartials(maxima, sums, row * blockCount, blockCount, moments, merged);
          const maximum = merged[0] as number;
          const total = merged[1] as number;
          const moment = merged[2] as number;
          if (total === 0) continue;
          // exp((f_i + G) / eps + M_i) is folded into one exponent with log S_i and log |T_i|.
          const logScale = ((rowPotentials[start + row] as number) + g.top) / epsilon + maximum;
          rowSums[start + row] = Math.exp(logScale + Math.log(total));
          if (moment !== 0) {
            kernelMoment += Math.sign(moment) * Math.exp(logScale + Math.log(Math.abs(moment)));
          }
        }
        const columnOffset = 3 * partials;
        for (let j = 0; j < m; j += 1) {
          mergeInto(
            columnMaxima,
            columnTotals,
            j,
            values[columnOffset + j] as number,
            values[columnOffset + paddedLength + j] as number,
          );
        }
      },
    });
  } finally {
    gBias.dispose();
    fColumn.dispose();
  }
  for (let j = 0; j < m; j += 1) {
    const total = columnTotals[j] as number;
    columnSums[j] =
      total === 0
        ? 0
        : Math.exp(
            ((columnPotentials[j] as number) + f.top) / epsilon +
              (columnMaxima[j] as number) +
              Math.log(total),
          );
  }
  return { rowSums, columnSums, kernelMoment };
}
