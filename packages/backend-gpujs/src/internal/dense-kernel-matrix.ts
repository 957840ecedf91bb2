import type { KernelLimits } from './block-plan.js';
import { kernelScores, scoreChunkRows } from './column-scores.js';
import type { KernelSet } from './kernel-set.js';

/**
 * `dense` mode's kernel matrix, computed once by the scores kernel with zero offsets:
 * `K_ij = <x_i, y_j>` in float32 (n x m, row-major) and its transpose (m x n), kept on the host
 * (8 bytes per entry) so that the rows and the columns passes both read contiguous rows.
 */
export async function computeKernelMatrix({
  kernels,
  limits,
  x,
  y,
  n,
  m,
  d,
}: {
  kernels: KernelSet;
  limits: KernelLimits;
  x: Float32Array;
  y: Float32Array;
  n: number;
  m: number;
  d: number;
}): Promise<{ kernel: Float32Array; transpose: Float32Array }> {
  const kernel = new Float32Array(n * m);
  const zeros = new Float32Array(m);
  const chunkRows = scoreChunkRows(limits, m, n);
  const rows = Int32Array.from({ length: n }, (_, i) => i);
  const target = new Float32Array(chunkRows * m);
  for (let first = 0; first < n; first += chunkRows) {
    const count = Math.min(chunkRows, n - first);
    await kernelScores({
      kernels,
      limits,
      points: x,
      reduced: y,
      d,
      offsets: zeros,
      rows,
      first,
      count,
      chunkRows,
      target,
    });
    kernel.set(target.subarray(0, count * m), first * m);
  }
  const transpose = new Float32Array(m * n);
  for (let i = 0; i < n; i += 1) {
    for (let j = 0; j < m; j += 1) transpose[j * n + i] = kernel[i * m + j] as number;
  }
  return { kernel, transpose };
}
