import type { KernelLimits } from './block-plan.js';
import { scoresOnline } from './kernel-functions.js';
import type { KernelSet } from './kernel-set.js';
import { outputRows, type PassContext } from './pass-context.js';

/** Rows per chunk of a per-row pass: each chunk's scores (`rows x m` floats) stay on the host. */
export function scoreChunkRows(
  limits: KernelLimits,
  m: number,
  count: number,
  cap = Number.POSITIVE_INFINITY,
): number {
  const fit = Math.min(
    limits.maxDimension,
    Math.floor(limits.maxCells / m),
    Math.floor(limits.maxArgumentLength / m),
    cap,
  );
  // A power of two (at least 4) near the request: few distinct sizes, so few compiled kernels.
  const wanted = Math.max(4, 2 ** Math.ceil(Math.log2(Math.max(count, 1))));
  return Math.max(1, Math.min(fit, wanted));
}

/**
 * Fills `target` (`chunkRows x reducedCount`, row-major) with the scores
 * `v_sj = h_j + <p_s, q_j>` of the points `p_s = points[rows[first + s]]` for `s < count`
 * (rows past `count` are left as they are), computed by the {@link scoresOnline} kernel in calls
 * of at most `limits.maxCells` cells and `limits.maxDimension` columns.
 */
export async function kernelScores({
  kernels,
  limits,
  points,
  reduced,
  d,
  offsets,
  rows,
  first,
  count,
  chunkRows,
  target,
}: {
  kernels: KernelSet;
  limits: KernelLimits;
  points: Float32Array;
  reduced: Float32Array;
  d: number;
  offsets: Float32Array;
  rows: Int32Array;
  first: number;
  count: number;
  chunkRows: number;
  target: Float32Array;
}): Promise<void> {
  const reducedCount = offsets.length;
  const gathered = new Float32Array(chunkRows * d);
  for (let s = 0; s < count; s += 1) {
    const i = rows[first + s] as number;
    gathered.set(points.subarray(i * d, (i + 1) * d), s * d);
  }
  const columns = Math.max(
    1,
    Math.min(reducedCount, limits.maxDimension, Math.floor(limits.maxCells / chunkRows)),
  );
  for (let start = 0; start < reducedCount; start += columns) {
    const output = outputRows(
      await kernels.run({
        name: 'scoresOnline',
        source: scoresOnline,
        output: [columns, chunkRows],
        argumentTypes: {
          points: 'Array',
          reduced: 'Array',
          offsets: 'Array',
          d: 'Integer',
          columnStart: 'Integer',
          length: 'Integer',
        },
        loopMaxIterations: d,
        args: [gathered, reduced, offsets, d, start, reducedCount],
      }),
    );
    const width = Math.min(columns, reducedCount - start);
    for (let s = 0; s < count; s += 1) {
      target.set((output[s] as Float32Array).subarray(0, width), s * reducedCount + start);
    }
  }
}

/**
 * The scores `v_sj = h_j + K_{rows[first + s], j}` of a chunk of rows against all m columns,
 * from the kernel ({@link kernelScores}, `online`) or gathered from the kept K (`dense`).
 */
export async function chunkScores(
  context: PassContext,
  {
    rows,
    first,
    count,
    chunkRows,
    offsets,
    target,
  }: {
    rows: Int32Array;
    first: number;
    count: number;
    chunkRows: number;
    offsets: Float32Array;
    target: Float32Array;
  },
): Promise<void> {
  const { m, d } = context;
  const kernelRows = context.rows.kernelRows;
  if (kernelRows !== undefined) {
    for (let s = 0; s < count; s += 1) {
      const row = (rows[first + s] as number) * m;
      for (let j = 0; j < m; j += 1) {
        target[s * m + j] = (offsets[j] as number) + (kernelRows[row + j] as number);
      }
    }
    return;
  }
  await kernelScores({
    kernels: context.kernels,
    limits: context.limits,
    points: context.rows.kept,
    reduced: context.rows.reduced,
    d,
    offsets,
    rows,
    first,
    count,
    chunkRows,
    target,
  });
}
