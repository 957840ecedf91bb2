import { DisposedError, fillCounterGumbelRow, InvalidArgumentError } from '@sinkflow/core';
import { checkKernelProblem, checkRequestLengths } from '../check-requests.js';
import type {
  ConditionalExpectationRequest,
  CouplingStatistics,
  KernelProblem,
  LogSumExpRequest,
  PreparedKernel,
  SampleColumnsRequest,
  SinkhornBackend,
  StatisticsRequest,
} from '../sinkhorn-backend.js';
import { requireDenseKernelFits } from './dense-kernel-budget.js';
import { type KernelRows, makeKernelRows } from './kernel-rows.js';

/** Bytes of the dense mode per kernel entry: `K` and `K^T`, float64. */
const DENSE_BYTES_PER_ENTRY = 16;

/**
 * The reference backend: plain TypeScript, single-threaded, float64 throughout (each
 * `K_ij = <x_i, y_j>` is accumulated in float64 from the float32 coordinates). It is the slow,
 * obviously-correct implementation that every fast backend is cross-checked against, and the
 * fallback where WebAssembly is unavailable.
 *
 * Passes follow the formulas of {@link PreparedKernel} directly, one row (or column) at a time:
 * fill the row of `h_j + K_ij`, take its maximum `M`, return `M + eps log sum_j exp((h_j + K_ij - M) / eps)`
 * [peyre2019, Remark 4.23].
 *
 * `dense` mode keeps `K` and `K^T` in float64 (`16 n m` bytes); `prepare` refuses it with an
 * `InvalidArgumentError` (argument `mode`) when that exceeds `memoryBudgetBytes`, before allocating.
 *
 * @example
 * ```ts
 * const kernel = await createJsBackend().prepare({ x, y, n, m, d, mode: 'online' });
 * await createJsBackend({ memoryBudgetBytes: 2 ** 20 }).prepare({ ...problem, mode: 'dense' });
 * // rejects when 16 n m > 1 MiB
 * ```
 */
export function createJsBackend(
  options: {
    /** Bytes the dense mode may keep. @default a quarter of the RAM (`defaultMemoryBudget()`) */
    readonly memoryBudgetBytes?: number;
  } = {},
): SinkhornBackend {
  return {
    specificationVersion: 'v1',
    name: 'js',
    description: 'TypeScript float64 reference, one thread',
    // K and K^T kept in float64: the reference trades memory for exactness.
    denseBytesPerEntry: DENSE_BYTES_PER_ENTRY,
    prepare: async (problem) => {
      checkKernelProblem('createJsBackend.prepare', problem);
      if (problem.mode === 'dense') {
        await requireDenseKernelFits({
          functionName: 'createJsBackend.prepare',
          n: problem.n,
          m: problem.m,
          bytesPerEntry: DENSE_BYTES_PER_ENTRY,
          memoryBudgetBytes: options.memoryBudgetBytes,
        });
      }
      return prepareJsKernel(problem);
    },
  };
}

function prepareJsKernel(problem: KernelProblem): PreparedKernel {
  checkKernelProblem('createJsBackend.prepare', problem);
  const { n, m, mode } = problem;
  let rows: KernelRows | undefined = makeKernelRows(problem, 'rows');
  let columns: KernelRows | undefined = makeKernelRows(problem, 'columns');
  const scratch = new Float64Array(Math.max(n, m));
  const use = (side: 'rows' | 'columns'): KernelRows => {
    const kernel = side === 'rows' ? rows : columns;
    if (kernel === undefined)
      throw new DisposedError({ functionName: 'createJsBackend', resource: 'kernel' });
    return kernel;
  };

  return {
    mode,
    async logSumExp({ side, offsets, epsilon, out }: LogSumExpRequest) {
      checkRequestLengths('logSumExp', problem, side, offsets.length, out.length);
      const kernel = use(side);
      for (let row = 0; row < kernel.count; row += 1) {
        const values = kernel.fill(row, scratch);
        const maximum = addOffsetsAndMaximum(values, offsets, kernel.length);
        if (maximum === Number.NEGATIVE_INFINITY || Number.isNaN(maximum)) {
          out[row] = maximum;
          continue;
        }
        let sum = 0;
        for (let k = 0; k < kernel.length; k += 1)
          sum += Math.exp(((values[k] as number) - maximum) / epsilon);
        out[row] = maximum + epsilon * Math.log(sum);
      }
    },

    async statistics({
      rowPotentials,
      columnPotentials,
      epsilon,
    }: StatisticsRequest): Promise<CouplingStatistics> {
      checkRequestLengths(
        'statistics',
        problem,
        'rows',
        columnPotentials.length,
        rowPotentials.length,
        ['columnPotentials', 'rowPotentials'],
      );
      const kernel = use('rows');
      const rowSums = new Float64Array(n);
      const columnSums = new Float64Array(m);
      let kernelMoment = 0;
      for (let i = 0; i < n; i += 1) {
        const values = kernel.fill(i, scratch);
        const f = rowPotentials[i] as number;
        let rowSum = 0;
        let rowMoment = 0;
        for (let j = 0; j < m; j += 1) {
          const k = values[j] as number;
          const p = Math.exp((f + (columnPotentials[j] as number) + k) / epsilon);
          rowSum += p;
          rowMoment += p * k;
          columnSums[j] = (columnSums[j] as number) + p;
        }
        rowSums[i] = rowSum;
        kernelMoment += rowMoment;
      }
      return { rowSums, columnSums, kernelMoment };
    },

    async sampleColumns({
      rows: sampleRows,
      draws,
      columnPotentials,
      epsilon,
      seed,
      out,
    }: SampleColumnsRequest) {
      checkRequestLengths('sampleColumns', problem, 'rows', columnPotentials.length, n, [
        'columnPotentials',
        'out',
      ]);
      if (draws.length !== sampleRows.length || out.length !== sampleRows.length) {
        throw new InvalidArgumentError({
          functionName: 'sampleColumns',
          argumentName: draws.length !== sampleRows.length ? 'draws' : 'out',
          message: `must have the length of rows (${sampleRows.length})`,
        });
      }
      const kernel = use('rows');
      const noise = new Float64Array(m);
      for (let s = 0; s < sampleRows.length; s += 1) {
        const i = sampleRows[s] as number;
        const values = kernel.fill(i, scratch);
        fillCounterGumbelRow(noise, { seed, row: i, columnStart: 0, draw: draws[s] as number });
        let best = 0;
        let bestScore = Number.NEGATIVE_INFINITY;
        for (let j = 0; j < m; j += 1) {
          const score =
            ((columnPotentials[j] as number) + (values[j] as number)) / epsilon +
            (noise[j] as number);
          if (score > bestScore) {
            bestScore = score;
            best = j;
          }
        }
        out[s] = best;
      }
    },

    async conditionalExpectation({
      rows: targetRows,
      columnPotentials,
      epsilon,
      values,
      width,
      out,
    }: ConditionalExpectationRequest) {
      checkRequestLengths('conditionalExpectation', problem, 'rows', columnPotentials.length, n, [
        'columnPotentials',
        'out',
      ]);
      const kernel = use('rows');
      const accumulator = new Float64Array(width);
      for (let s = 0; s < targetRows.length; s += 1) {
        const row = kernel.fill(targetRows[s] as number, scratch);
        const maximum = addOffsetsAndMaximum(row, columnPotentials, m);
        accumulator.fill(0);
        let total = 0;
        for (let j = 0; j < m; j += 1) {
          const weight = Math.exp(((row[j] as number) - maximum) / epsilon);
          total += weight;
          for (let c = 0; c < width; c += 1) {
            accumulator[c] =
              (accumulator[c] as number) + weight * (values[j * width + c] as number);
          }
        }
        for (let c = 0; c < width; c += 1) out[s * width + c] = (accumulator[c] as number) / total;
      }
    },

    async dispose() {
      rows = undefined;
      columns = undefined;
    },
  };
}

/** `values_k += offsets_k` for k < length, in place; returns the largest result (-Infinity if none). */
function addOffsetsAndMaximum(values: Float64Array, offsets: Float64Array, length: number): number {
  let maximum = Number.NEGATIVE_INFINITY;
  for (let k = 0; k < length; k += 1) {
    const value = (offsets[k] as number) + (values[k] as number);
    values[k] = value;
    if (value > maximum) maximum = value;
  }
  return maximum;
}
