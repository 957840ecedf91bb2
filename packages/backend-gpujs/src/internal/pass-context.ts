import type { KernelMode } from '@sinkflow/ot';
import type { KernelSide } from '@sinkflow/ot/backend';
import type { BlockPlan, KernelLimits } from './block-plan.js';
import type { GpujsOutput } from './gpujs-module.js';
import type { KernelSet } from './kernel-set.js';

/** One side of the problem as the kernels see it. */
export interface SideData {
  readonly plan: BlockPlan;
  /** The points that keep one output each, `keptCount x d` row-major. */
  readonly kept: Float32Array;
  /** The points summed over, `reducedCount x d` row-major. */
  readonly reduced: Float32Array;
  /** `dense` mode: the kernel rows of the kept points, `keptCount x reducedCount` (K or K^T). */
  readonly kernelRows: Float32Array | undefined;
}

/** Everything a pass needs: sizes, caps, the kernel set and both sides. */
export interface PassContext {
  readonly mode: KernelMode;
  readonly n: number;
  readonly m: number;
  readonly d: number;
  /** The asked tile length (a plan may lengthen it to fit the output caps). */
  readonly tile: number;
  readonly limits: KernelLimits;
  readonly kernels: KernelSet;
  readonly rows: SideData;
  readonly columns: SideData;
}

/** The data of `side`: `rows` keeps x and reduces over y, `columns` the reverse. */
export function sideData(context: PassContext, side: KernelSide): SideData {
  return side === 'rows' ? context.rows : context.columns;
}

/**
 * The input of block `block` of a side: its kept points (`online`) or kernel rows (`dense`),
 * copied into an array of exactly `blockRows` rows, zero-padded past the last point, so that every
 * block of a pass has the same size (one compiled kernel per pass).
 */
export function blockInput(data: SideData, block: number): Float32Array {
  const { plan, kernelRows } = data;
  const rowLength =
    kernelRows === undefined ? data.kept.length / plan.keptCount : plan.reducedCount;
  const source = kernelRows ?? data.kept;
  const first = block * plan.blockRows;
  const last = Math.min(plan.keptCount, first + plan.blockRows);
  const input = new Float32Array(plan.blockRows * rowLength);
  input.set(source.subarray(first * rowLength, last * rowLength));
  return input;
}

/** A 2-D kernel output as its rows (`[y][x]`); gpu.js returns a plain array for one row. */
export function outputRows(output: GpujsOutput): readonly Float32Array[] {
  return output instanceof Float32Array ? [output] : (output as readonly Float32Array[]);
}
