import { InvalidArgumentError } from '@sinkflow/core';
import { type ShiftedOffsets, shiftOffsets } from '../shift-offsets.js';
import type { KernelSide } from '../sinkhorn-backend.js';
import { KERNEL_CONSTANTS } from './generated/kernels-wasm.js';
import type { KernelContext } from './kernel-context.js';

/** The arguments of the kernels that depend on the side (which cloud is reduced). @internal */
export interface SideLayout {
  /** Rows (outputs) and columns (reduced), and their padded counts. */
  readonly rows: number;
  readonly columns: number;
  readonly rowsPadded: number;
  readonly columnsPadded: number;
  /** Online: the broadcast cloud (row-major) and the panel cloud. Dense: K or K^T and its stride. */
  readonly rowPoints: number;
  readonly columnPanels: number;
  readonly kernel: number;
  readonly kernelStride: number;
  /** Points of the row / column cloud with non-finite coordinates. */
  readonly badRows: readonly number[];
  readonly badColumns: readonly number[];
}

/**
 * The layout of side `rows` (K) or `columns` (K^T).
 *
 * @example
 * ```ts
 * sideLayout(context, 'columns').rowPoints === context.plan.yRows; // true
 * ```
 * @internal
 */
export function sideLayout(context: KernelContext, side: KernelSide): SideLayout {
  const { plan, clouds } = context;
  return side === 'rows'
    ? {
        rows: plan.n,
        columns: plan.m,
        rowsPadded: plan.nPad,
        columnsPadded: plan.mPad,
        rowPoints: plan.xRows,
        columnPanels: plan.yPanels,
        kernel: plan.kernel,
        kernelStride: 4 * plan.mPad,
        badRows: clouds.badRows,
        badColumns: clouds.badColumns,
      }
    : {
        rows: plan.m,
        columns: plan.n,
        rowsPadded: plan.mPad,
        columnsPadded: plan.nPad,
        rowPoints: plan.yRows,
        columnPanels: plan.xPanels,
        kernel: plan.kernelTransposed,
        kernelStride: 4 * plan.nPad,
        badRows: clouds.badColumns,
        badColumns: clouds.badRows,
      };
}

/**
 * The table slot of the tile for dimension d (without the running maximum; +9 with it).
 *
 * @example
 * ```ts
 * tileIndex(2); // 1
 * tileIndex(64); // 8 (the looped tile)
 * ```
 * @internal
 */
export const tileIndex = (d: number): number =>
  d <= KERNEL_CONSTANTS.unrolledDimensions ? d - 1 : KERNEL_CONSTANTS.unrolledDimensions;

/** Above this epsilon the float32 copy of the clamp -2^30 / s = -2^30 eps / log2(e) overflows. */
const LARGEST_EPSILON = 2 ** 96;

/**
 * Writes h'_j = max(h_j - max h, -2^30 / s) (float64) and its float32 rounding for the kernels
 * (the shared {@link shiftOffsets} of `@sinkflow/ot/backend`), padding with the clamp value, where
 * s = log2(e) / eps. Subtracting the maximum keeps |h'| small near the row maxima (the float32
 * copy then locates the maximum to float32 accuracy); the clamp keeps every exponent
 * w = (h' + K) s above -2^31, as the integer range reduction of the kernels requires, and only
 * touches terms below 2^-(2^30). Returns the shared {@link ShiftedOffsets}: a pass whose offsets
 * are not `'finite'` has a trivial answer.
 *
 * @throws {@link InvalidArgumentError} naming `epsilon` when eps is so small against the kernel
 * bound ||x|| ||y|| that the kernels' 32-bit range reduction would wrap (|K| s >= 2^29), or so
 * large (above 2^96) that the float32 offsets overflow.
 * @example
 * ```ts
 * const shifted = writeShiftedOffsets(context, g, plan.mPad, 0.05, 'logSumExp'); // { kind: 'finite', top, values }
 * ```
 * @internal
 */
export function writeShiftedOffsets(
  context: KernelContext,
  offsets: Float64Array,
  columnsPadded: number,
  epsilon: number,
  functionName: string,
): ShiftedOffsets {
  const scale = Math.LOG2E / epsilon;
  const { plan, clouds } = context;
  const clamp = -(2 ** 30) / scale;
  const shifted = shiftOffsets(offsets, {
    floor: clamp,
    length: columnsPadded,
    out: new Float32Array(context.buffer, plan.offsets32, columnsPadded),
    out64: new Float64Array(context.buffer, plan.offsets, columnsPadded),
  });
  if (shifted.kind !== 'finite') return shifted;
  const kernelBound = clouds.maximumNormX * clouds.maximumNormY;
  if (kernelBound * scale >= 2 ** 29) {
    // Exponents w - Ms = (h' + K) s - Ms reach -(2^30 + 2 |K|max s); the magic-number range
    // reduction reads their integer part from 32 bits, so 2 |K|max s must stay below 2^30.
    const smallest = (kernelBound * Math.LOG2E) / 2 ** 29;
    throw new InvalidArgumentError({
      functionName,
      argumentName: 'epsilon',
      message: `is below the smallest epsilon the wasm kernels resolve for these clouds (${smallest.toPrecision(3)} = max ||x|| ||y|| log2(e) / 2^29); use a larger epsilon, or the float64 'js' backend`,
      value: epsilon,
    });
  }
  if (epsilon > LARGEST_EPSILON) {
    throw new InvalidArgumentError({
      functionName,
      argumentName: 'epsilon',
      message: `is above the largest epsilon the wasm kernels represent (2^96 = 7.9e28: the clamped offsets -2^30 eps / log2(e) must stay finite in float32); the coupling is the independent one to float64 precision long before: use a smaller epsilon, or the float64 'js' backend`,
      value: epsilon,
    });
  }
  return shifted;
}

/**
 * Writes potentials padded with -inf (zero mass) as float64 at `offset`.
 *
 * @example
 * ```ts
 * writePadded(context, plan.rowPotentials, f, plan.nPad);
 * ```
 * @internal
 */
export function writePadded(
  context: KernelContext,
  offset: number,
  values: Float64Array,
  padded: number,
): void {
  const target = new Float64Array(context.buffer, offset, padded);
  target.set(values);
  target.fill(Number.NEGATIVE_INFINITY, values.length);
}
