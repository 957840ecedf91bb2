import { type SampleColumnsRequest, shiftOffsets } from '@sinkflow/ot/backend';
import { runBlocks } from './block-pipeline.js';
import { gumbelArgmax } from './gumbel-argmax.js';
import type { KernelContext } from './kernel-context.js';
import { scaleRight, scoreRows } from './kernel-tensors.js';

/**
 * Gumbel-max sampling of one column per requested row: the scores
 * `z_sj = (g_j - G + K_{rows_s, j}) / eps` of a block of samples are computed on the device
 * (float32, rows gathered from X or from the dense K), downloaded, and the keyed float64 noise
 * `G(seed, rows_s, j, draws_s)` is added on the CPU, so the draws are those of every backend
 * (the shift by G = max g does not move an argmax).
 */
export async function sampleColumnsPass(
  context: KernelContext,
  { rows, draws, columnPotentials, epsilon, seed, out }: SampleColumnsRequest,
): Promise<void> {
  const { tf } = context;
  const tensors = context.tensors.sides.rows;
  const { length: m, paddedLength } = tensors;
  const shifted = shiftOffsets(columnPotentials, { divisor: epsilon, length: paddedLength });
  if (shifted.kind !== 'finite' || rows.length === 0) {
    out.fill(0);
    return;
  }
  const blockSize = context.rowBlock('rows');
  const noise = new Float64Array(m);
  const bias = tf.tensor1d(shifted.values, 'float32');
  const scaledRight = scaleRight(tf, tensors, epsilon);
  try {
    await runBlocks({
      count: Math.ceil(rows.length / blockSize),
      launch: (block) =>
        tf.tidy(() => {
          const start = block * blockSize;
          const indices = tf.tensor1d(
            rows.subarray(start, Math.min(rows.length, start + blockSize)),
            'int32',
          );
          return scoreRows(tf, tensors, indices, bias, scaledRight, epsilon);
        }),
      consume: (block, scores) => {
        const start = block * blockSize;
        const size = Math.min(blockSize, rows.length - start);
        for (let s = 0; s < size; s += 1) {
          out[start + s] = gumbelArgmax(
            scores.subarray(s * paddedLength, s * paddedLength + m),
            seed,
            rows[start + s] as number,
            draws[start + s] as number,
            noise,
          );
        }
      },
    });
  } finally {
    bias.dispose();
    scaledRight?.dispose();
  }
}
