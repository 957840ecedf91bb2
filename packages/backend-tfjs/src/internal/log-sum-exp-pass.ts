import { type LogSumExpRequest, shiftOffsets } from '@sinkflow/ot/backend';
import { blockPartials, mergeRowPartials } from './block-partials.js';
import { runBlocks } from './block-pipeline.js';
import type { KernelContext } from './kernel-context.js';
import { scaleRight, scoreRows } from './kernel-tensors.js';

/**
 * `out_k = eps log sum_r exp((h_r + K_kr) / eps)` over one side, never holding more than a row
 * block of K [klein2025; peyre2019, Remark 4.23]. With `H = max h` (float64) and
 * `z_kr = (h_r - H + K_kr) / eps` in float32 on the device, each row block is reduced per column
 * block b to `m_kb = max_r z_kr` and `s_kb = sum_r exp(z_kr - m_kb)`, and the partials are merged
 * in float64: `out_k = H + eps (M_k + log sum_b s_kb exp(m_kb - M_k))`, `M_k = max_b m_kb`.
 */
export async function logSumExpPass(
  context: KernelContext,
  { side, offsets, epsilon, out }: LogSumExpRequest,
): Promise<void> {
  const { tf } = context;
  const tensors = context.tensors.sides[side];
  const shifted = shiftOffsets(offsets, { divisor: epsilon, length: tensors.paddedLength });
  if (shifted.kind !== 'finite') {
    out.fill(shifted.kind === 'empty' ? Number.NEGATIVE_INFINITY : Number.NaN);
    return;
  }
  const rowBlock = context.rowBlock(side);
  const { blockCount, columnBlock } = tensors;
  const bias = tf.tensor1d(shifted.values, 'float32');
  const scaledRight = scaleRight(tf, tensors, epsilon);
  try {
    await runBlocks({
      count: Math.ceil(tensors.count / rowBlock),
      launch: (block) =>
        tf.tidy(() => {
          const start = block * rowBlock;
          const size = Math.min(rowBlock, tensors.count - start);
          const scores = scoreRows(tf, tensors, { start, size }, bias, scaledRight, epsilon);
          const { maxima, sums } = blockPartials(tf, scores, blockCount, columnBlock);
          return tf.concat([tf.reshape(maxima, [-1]), tf.reshape(sums, [-1])]);
        }),
      consume: (block, values) => {
        const start = block * rowBlock;
        const size = Math.min(rowBlock, tensors.count - start);
        const maxima = values.subarray(0, size * blockCount);
        const sums = values.subarray(size * blockCount);
        for (let row = 0; row < size; row += 1) {
          const logSum = mergeRowPartials(maxima, sums, row * blockCount, blockCount);
          out[start + row] = shifted.top + epsilon * logSum;
        }
      },
    });
  } finally {
    bias.dispose();
    scaledRight?.dispose();
  }
}
