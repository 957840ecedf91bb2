import { type ConditionalExpectationRequest, shiftOffsets } from '@sinkflow/ot/backend';
import type { Tensor3D } from '@tensorflow/tfjs-core';
import { EMPTY_BLOCK_MAXIMUM } from './block-partials.js';
import { runBlocks } from './block-pipeline.js';
import type { KernelContext } from './kernel-context.js';
import { scaleRight, scoreRows } from './kernel-tensors.js';

/**
 * `out_s = sum_j w_sj v_j / sum_j w_sj` with `w_sj = exp(z_sj - max_j z_sj)`,
 * `z_sj = (g_j - G + K_{rows_s, j}) / eps`. On the device: the weights of a block of rows and,
 * per column block b, the float32 partial sums `sum_{j in b} w_sj (v_j - c)` (one batched matMul)
 * and `sum_{j in b} w_sj`; on the CPU, in float64, their sums over blocks, the ratio, and `+ c`.
 * The values are centred by their column means c (float64) before the float32 conversion, so
 * values far from zero keep their precision.
 */
export async function conditionalExpectationPass(
  context: KernelContext,
  { rows, columnPotentials, epsilon, values, width, out }: ConditionalExpectationRequest,
): Promise<void> {
  const { tf } = context;
  const tensors = context.tensors.sides.rows;
  const { length: m, paddedLength, blockCount, columnBlock } = tensors;
  const shifted = shiftOffsets(columnPotentials, { divisor: epsilon, length: paddedLength });
  if (shifted.kind !== 'finite') {
    out.fill(Number.NaN);
    return;
  }
  if (rows.length === 0) return;
  const centre = new Float64Array(width);
  for (let j = 0; j < m; j += 1) {
    for (let c = 0; c < width; c += 1) {
      centre[c] = (centre[c] as number) + (values[j * width + c] as number);
    }
  }
  for (let c = 0; c < width; c += 1) centre[c] = (centre[c] as number) / m;
  const centred = new Float32Array(paddedLength * width);
  for (let j = 0; j < m; j += 1) {
    for (let c = 0; c < width; c += 1) {
      centred[j * width + c] = (values[j * width + c] as number) - (centre[c] as number);
    }
  }
  const blockSize = context.rowBlock('rows');
  const bias = tf.tensor1d(shifted.values, 'float32');
  const valueBlocks = tf.tensor3d(centred, [blockCount, columnBlock, width], 'float32');
  const scaledRight = scaleRight(tf, tensors, epsilon);
  try {
    await runBlocks({
      count: Math.ceil(rows.length / blockSize),
      launch: (block) =>
        tf.tidy(() => {
          const start = block * blockSize;
          const size = Math.min(blockSize, rows.length - start);
          const indices = tf.tensor1d(rows.subarray(start, start + size), 'int32');
          const scores = scoreRows(tf, tensors, indices, bias, scaledRight, epsilon);
          const top = tf.maximum(tf.max(scores, 1, true), EMPTY_BLOCK_MAXIMUM);
          const weights = tf.reshape(tf.exp(tf.sub(scores, top)), [
            size,
            blockCount,
            columnBlock,
          ]) as Tensor3D;
          const totals = tf.sum(weights, 2);
          // [blocks, size, columnBlock] x [blocks, columnBlock, width] -> [blocks, size, width]
          const sums = tf.matMul(tf.transpose(weights, [1, 0, 2]), valueBlocks);
          return tf.concat([tf.reshape(totals, [-1]), tf.reshape(sums, [-1])]);
        }),
      consume: (block, partials) => {
        const start = block * blockSize;
        const size = Math.min(blockSize, rows.length - start);
        const sums = partials.subarray(size * blockCount);
        for (let s = 0; s < size; s += 1) {
          let total = 0;
          for (let b = 0; b < blockCount; b += 1) total += partials[s * blockCount + b] as number;
          for (let c = 0; c < width; c += 1) {
            let sum = 0;
            for (let b = 0; b < blockCount; b += 1) {
              sum += sums[(b * size + s) * width + c] as number;
            }
            out[(start + s) * width + c] = sum / total + (centre[c] as number);
          }
        }
      },
    });
  } finally {
    bias.dispose();
    valueBlocks.dispose();
    scaledRight?.dispose();
  }
}
