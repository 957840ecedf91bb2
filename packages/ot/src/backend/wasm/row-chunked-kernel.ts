import { InvalidArgumentError } from '@sinkflow/core';
import { combineLogSumExp } from '../combine-log-sum-exp.js';
import type { KernelProblem, PreparedKernel } from '../sinkhorn-backend.js';
import { LARGEST_ERROR, MEAN_ERROR, type PartialColumnsRequest } from './half-kernel-pass.js';

/** One block of rows `[start, start + count)` of X. @internal */
export interface RowChunk {
  readonly start: number;
  readonly count: number;
}

/**
 * The fewest equal row blocks of X whose kernels each fit in `fits(rows)` (a wasm32 memory):
 * `ceil(n / c)` rows each for the smallest such c.
 *
 * @throws {@link InvalidArgumentError} naming `problem` when not even one row fits.
 * @example
 * ```ts
 * rowChunksFor(65536, (rows) => 2 * rows * 65544 < 3.9 * 2 ** 30); // 3 chunks of 21846 / 21845 rows
 * ```
 * @internal
 */
export function rowChunksFor(n: number, fits: (rows: number) => boolean): RowChunk[] {
  for (let count = 1; count <= n; count += 1) {
    const rows = Math.ceil(n / count);
    if (!fits(rows)) continue;
    const chunks: RowChunk[] = [];
    for (let start = 0; start < n; start += rows)
      chunks.push({ start, count: Math.min(rows, n - start) });
    return chunks;
  }
  throw new InvalidArgumentError({
    functionName: 'createWasmBackend.prepare',
    argumentName: 'problem',
    message: 'not even one row of the kept kernel fits in a 4 GiB WebAssembly memory',
    value: n,
  });
}

/**
 * A kept kernel larger than one wasm32 memory (4 GiB), as row blocks [klein2025]: each chunk
 * keeps the rows `I_c` of the kernel in its own memory (its own anchor, see
 * `runHalfLogSumExp`), and the passes combine them as the sharded backend of
 * `@sinkflow/distributed` does across machines:
 *
 *   rows:    out_i = the chunk of row i's own pass (concatenation);
 *   columns: out_j = combineLogSumExp over the chunks of l_cj = eps LSE_{i in I_c}((h_i + K_ij)/eps).
 *
 * The statistics, sampling and conditional-expectation passes run on `online`, one kernel over
 * the whole problem that recomputes K (as they do in a single `dense16` kernel), so sampling keys
 * its Gumbel noise by the global row as everywhere else.
 *
 * @example
 * ```ts
 * const kernel = await prepareRowChunkedKernel(problem, chunks, (part) => prepareWasmKernel(part, tuning, lease));
 * ```
 * @internal
 */
export async function prepareRowChunkedKernel(
  problem: KernelProblem,
  chunks: readonly RowChunk[],
  prepareOne: (part: KernelProblem) => Promise<PreparedKernel>,
): Promise<PreparedKernel> {
  const { x, y, m, d, mode } = problem;
  const prepared: PreparedKernel[] = [];
  try {
    for (const { start, count } of chunks) {
      prepared.push(
        await prepareOne({
          x: x.subarray(start * d, (start + count) * d),
          y,
          n: count,
          m,
          d,
          mode,
        }),
      );
    }
    prepared.push(await prepareOne({ ...problem, mode: 'online' }));
  } catch (error) {
    await Promise.all(prepared.map((kernel) => kernel.dispose()));
    throw error;
  }
  const online = prepared.at(-1) as PreparedKernel;
  const parts = prepared.slice(0, -1);
  const entryPrecision = parts[0]?.entryPrecision;
  const report = () => {
    const reports = parts.map((part) => part.keptKernelReport?.());
    const total = (key: 'builds' | 'keptPasses' | 'exactPasses') =>
      reports.reduce((sum, one) => sum + (one?.[key] ?? 0), 0);
    return {
      builds: total('builds'),
      keptPasses: total('keptPasses'),
      exactPasses: total('exactPasses'),
    };
  };
  return {
    mode,
    ...(entryPrecision === undefined ? {} : { entryPrecision }),
    keptKernelReport: report,
    async logSumExp(request) {
      const { side, offsets, out } = request;
      if (side === 'rows') {
        for (const [index, { start, count }] of chunks.entries()) {
          await (parts[index] as PreparedKernel).logSumExp({
            ...request,
            out: out.subarray(start, start + count),
          });
        }
        return;
      }
      if (out.length !== m || offsets.length !== problem.n) {
        // The lengths are wrong: the online kernel reports it with the usual error.
        await online.logSumExp(request);
        return;
      }
      // Each chunk reports the error bounds of its partial sums instead of judging them alone:
      // a column's partial sum in a chunk that holds little of its mass may be imprecise without
      // harm. The combined bound decides, and only the chunks that break it answer again.
      const partial: Float64Array[] = [];
      const bounds: Float64Array[] = [];
      const pass = async (index: number, withBounds: boolean) => {
        const { start, count } = chunks[index] as RowChunk;
        const part = new Float64Array(m);
        const bound = new Float64Array(m).fill(Number.NEGATIVE_INFINITY);
        const chunkRequest: PartialColumnsRequest = {
          ...request,
          offsets: offsets.subarray(start, start + count),
          out: part,
          ...(withBounds ? { columnBounds: bound } : {}),
        };
        await (parts[index] as PreparedKernel).logSumExp(chunkRequest);
        partial[index] = part;
        bounds[index] = bound;
      };
      for (let index = 0; index < chunks.length; index += 1) await pass(index, true);
      combineLogSumExp(partial, request.epsilon, out);
      const again = chunksBreakingBound(partial, bounds, out, request.epsilon);
      if (again.length === 0) return;
      for (const index of again) await pass(index, false);
      combineLogSumExp(partial, request.epsilon, out);
    },
    statistics: (request) => online.statistics(request),
    sampleColumns: (request) => online.sampleColumns(request),
    conditionalExpectation: (request) => online.conditionalExpectation(request),
    async dispose() {
      await Promise.all(prepared.map((kernel) => kernel.dispose()));
    },
  };
}

/**
 * The chunks to run again after a combined columns pass: chunk c's partial sum of column j is off
 * by at most `exp(b_cj)` in the units of `exp(out_j / eps)` (its `columnBounds`), so the combined
 * relative error bound is `sum_c exp(b_cj - out_j / eps)`; when its largest value exceeds
 * `LARGEST_ERROR` or its mean `MEAN_ERROR` (the single-kernel criteria), every chunk whose own
 * share of that bound exceeds `1 / C` of the limit answers again on its own terms.
 *
 * @example
 * ```ts
 * // Chunk 1 holds a column's whole mass with a bound of 10 % of it: chunk 1 answers again.
 * chunksBreakingBound([Float64Array.of(-Infinity), Float64Array.of(0)], [Float64Array.of(-Infinity), Float64Array.of(Math.log(0.1))], Float64Array.of(0), 1); // [1]
 * ```
 * @internal
 */
export function chunksBreakingBound(
  partial: readonly Float64Array[],
  bounds: readonly Float64Array[],
  out: Float64Array,
  epsilon: number,
): number[] {
  const chunkCount = partial.length;
  const m = out.length;
  const largest = new Float64Array(chunkCount);
  const mean = new Float64Array(chunkCount);
  let combinedLargest = 0;
  let combinedMean = 0;
  for (let j = 0; j < m; j += 1) {
    const total = out[j] as number;
    if (!Number.isFinite(total)) continue;
    let combined = 0;
    for (let c = 0; c < chunkCount; c += 1) {
      const logBound = (bounds[c] as Float64Array)[j] as number;
      if (logBound === Number.NEGATIVE_INFINITY) continue;
      const share = Math.exp(logBound - total / epsilon);
      combined += share;
      if (share > (largest[c] as number)) largest[c] = share;
      mean[c] = (mean[c] as number) + share / m;
    }
    if (combined > combinedLargest) combinedLargest = combined;
    combinedMean += combined / m;
  }
  if (combinedLargest <= LARGEST_ERROR && combinedMean <= MEAN_ERROR) return [];
  const chosen: number[] = [];
  for (let c = 0; c < chunkCount; c += 1) {
    if (
      (largest[c] as number) > LARGEST_ERROR / chunkCount ||
      (mean[c] as number) > MEAN_ERROR / chunkCount
    ) {
      chosen.push(c);
    }
  }
  // Rounding can leave every share below 1 / C of the limit: then all chunks answer again.
  return chosen.length > 0 ? chosen : partial.map((_, c) => c);
}
