import { type KernelSide, shiftOffsets } from '@sinkflow/ot/backend';
import { logSumExpDense, logSumExpOnline } from './kernel-functions.js';
import type { KernelCall } from './kernel-set.js';
import { OFFSET_FLOOR } from './offset-floor.js';
import {
  blockInput,
  outputRows,
  type PassContext,
  type SideData,
  sideData,
} from './pass-context.js';

/**
 * The soft-max pass `out_i = eps log sum_j exp((h_j + K_ij) / eps)` by two-level accumulation:
 * each kernel cell returns the log-sum-exp `L_it` of one tile of float32 terms (shifted by the
 * tile's running maximum, see `logSumExpOnline`), and the tiles of a row are combined on the host
 * in float64,
 *
 *   out_i = max h + T_i + eps log sum_t exp((L_it - T_i) / eps),   T_i = max_t L_it,
 *
 * so a float32 sum never spans more than one tile and the potentials' scale (removed before the
 * kernel by `shiftOffsets`) never meets float32 rounding.
 */
export async function runLogSumExp(
  context: PassContext,
  side: KernelSide,
  offsets: Float64Array,
  epsilon: number,
  out: Float64Array,
): Promise<void> {
  const shifted = shiftOffsets(offsets, { floor: OFFSET_FLOOR });
  if (shifted.kind !== 'finite') {
    out.fill(shifted.kind === 'empty' ? Number.NEGATIVE_INFINITY : shifted.value);
    return;
  }
  const data = sideData(context, side);
  const { plan } = data;
  for (let block = 0; block < plan.blockCount; block += 1) {
    const call = logSumExpCall(context, side, data, block, shifted.values, epsilon);
    const tiles = outputRows(await context.kernels.run(call));
    const first = block * plan.blockRows;
    const count = Math.min(plan.blockRows, plan.keptCount - first);
    for (let k = 0; k < count; k += 1) {
      let top = Number.NEGATIVE_INFINITY;
      for (const tile of tiles) top = Math.max(top, tile[k] as number);
      let sum = 0;
      for (const tile of tiles) sum += Math.exp(((tile[k] as number) - top) / epsilon);
      out[first + k] = shifted.top + top + epsilon * Math.log(sum);
    }
  }
}

function logSumExpCall(
  context: PassContext,
  side: KernelSide,
  data: SideData,
  block: number,
  offsets: Float32Array,
  epsilon: number,
): KernelCall {
  const { plan } = data;
  const output = [plan.blockRows, plan.tiles];
  const input = blockInput(data, block);
  if (context.mode === 'dense') {
    return {
      name: `logSumExpDense:${side}`,
      source: logSumExpDense,
      output,
      argumentTypes: {
        kernelRows: 'Array',
        offsets: 'Array',
        tile: 'Integer',
        length: 'Integer',
        epsilon: 'Float',
      },
      loopMaxIterations: plan.tile,
      args: [input, offsets, plan.tile, plan.reducedCount, epsilon],
    };
  }
  return {
    name: `logSumExpOnline:${side}`,
    source: logSumExpOnline,
    output,
    argumentTypes: {
      kept: 'Array',
      reduced: 'Array',
      offsets: 'Array',
      d: 'Integer',
      tile: 'Integer',
      length: 'Integer',
      epsilon: 'Float',
    },
    loopMaxIterations: Math.max(plan.tile, context.d),
    args: [input, data.reduced, offsets, context.d, plan.tile, plan.reducedCount, epsilon],
  };
}
