import { InvalidArgumentError } from '@sinkflow/core';
import { combineLogSumExp } from '../combine-log-sum-exp.js';
import type { KernelProblem, PreparedKernel } from '../sinkhorn-backend.js';

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
      const partial: Float64Array[] = [];
      for (const [index, { start, count }] of chunks.entries()) {
        const part = new Float64Array(m);
        await (parts[index] as PreparedKernel).logSumExp({
          ...request,
          offsets: offsets.subarray(start, start + count),
          out: part,
        });
        partial.push(part);
      }
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
