import {
  type CouplingStatistics,
  type StatisticsRequest,
  shiftOffsets,
} from '@sinkflow/ot/backend';
import { momentDense, momentOnline } from './kernel-functions.js';
import type { KernelCall } from './kernel-set.js';
import { runLogSumExp } from './log-sum-exp-pass.js';
import { OFFSET_FLOOR } from './offset-floor.js';
import { blockInput, outputRows, type PassContext } from './pass-context.js';

/**
 * The statistics of `P_ij = exp((f_i + g_j + K_ij) / eps)` from three streaming passes, each
 * accurate to float32 rounding of single terms whatever the potentials' scale:
 *
 *   P 1     = exp((f + R) / eps),   R_i = eps log sum_j exp((g_j + K_ij) / eps)  (rows pass)
 *   P^T 1   = exp((g + C) / eps),   C_j = eps log sum_i exp((f_i + K_ij) / eps)  (columns pass)
 *   <P, K>  = sum_i (P 1)_i E_i,    E_i = sum_j exp((g_j + K_ij - R_i) / eps) K_ij,
 *
 * where `E_i`, the mean of `K_i.` under row i of the coupling, has weights at most 1 (the moment
 * kernel sums one tile each, the host sums the tiles in float64). A fused single pass would
 * evaluate `exp((f_i + g_j + K_ij) / eps)` in float32, where `f + g` cancels and loses
 * `ulp(|f|) / eps` relatively: far too much for potentials of a few hundred at small epsilon.
 */
export async function runStatistics(
  context: PassContext,
  { rowPotentials: f, columnPotentials: g, epsilon }: StatisticsRequest,
): Promise<CouplingStatistics> {
  const { n, m } = context;
  const rowLse = new Float64Array(n);
  await runLogSumExp(context, 'rows', g, epsilon, rowLse);
  const columnLse = new Float64Array(m);
  await runLogSumExp(context, 'columns', f, epsilon, columnLse);
  const rowSums = new Float64Array(n);
  for (let i = 0; i < n; i += 1) {
    rowSums[i] = Math.exp(((f[i] as number) + (rowLse[i] as number)) / epsilon);
  }
  const columnSums = new Float64Array(m);
  for (let j = 0; j < m; j += 1) {
    columnSums[j] = Math.exp(((g[j] as number) + (columnLse[j] as number)) / epsilon);
  }
  const kernelMoment = await runMoment(context, g, rowLse, rowSums, epsilon);
  return { rowSums, columnSums, kernelMoment };
}

async function runMoment(
  context: PassContext,
  g: Float64Array,
  rowLse: Float64Array,
  rowSums: Float64Array,
  epsilon: number,
): Promise<number> {
  const shifted = shiftOffsets(g, { floor: OFFSET_FLOOR });
  // All g = -Infinity: P = 0 and so is <P, K>; NaN or +Infinity in g: undefined.
  if (shifted.kind !== 'finite') return shifted.kind === 'empty' ? 0 : Number.NaN;
  const data = context.rows;
  const { plan } = data;
  let moment = 0;
  for (let block = 0; block < plan.blockCount; block += 1) {
    const first = block * plan.blockRows;
    const count = Math.min(plan.blockRows, plan.keptCount - first);
    const shifts = new Float32Array(plan.blockRows);
    for (let k = 0; k < count; k += 1) shifts[k] = (rowLse[first + k] as number) - shifted.top;
    const input = blockInput(data, block);
    const call: KernelCall =
      context.mode === 'dense'
        ? {
            name: 'momentDense',
            source: momentDense,
            output: [plan.blockRows, plan.tiles],
            argumentTypes: {
              kernelRows: 'Array',
              offsets: 'Array',
              shifts: 'Array',
              tile: 'Integer',
              length: 'Integer',
              epsilon: 'Float',
            },
            loopMaxIterations: plan.tile,
            args: [input, shifted.values, shifts, plan.tile, plan.reducedCount, epsilon],
          }
        : {
            name: 'momentOnline',
            source: momentOnline,
            output: [plan.blockRows, plan.tiles],
            argumentTypes: {
              kept: 'Array',
              reduced: 'Array',
              offsets: 'Array',
              shifts: 'Array',
              d: 'Integer',
              tile: 'Integer',
              length: 'Integer',
              epsilon: 'Float',
            },
            loopMaxIterations: Math.max(plan.tile, context.d),
            args: [
              input,
              data.reduced,
              shifted.values,
              shifts,
              context.d,
              plan.tile,
              plan.reducedCount,
              epsilon,
            ],
          };
    const tiles = outputRows(await context.kernels.run(call));
    for (let k = 0; k < count; k += 1) {
      const mass = rowSums[first + k] as number;
      if (mass === 0) continue;
      let mean = 0;
      for (const tile of tiles) mean += tile[k] as number;
      moment += mass * mean;
    }
  }
  return moment;
}
