import type { KernelProblem, KernelSide } from '@sinkflow/ot/backend';
import type { Tensor1D, Tensor2D } from '@tensorflow/tfjs-core';
import type { TfModule } from './tfjs-module.js';

/**
 * One side of the kernel as the passes see it: the rows kept (`left`, the points of this side)
 * and the points reduced over (`rightTransposed`, the other side's points, transposed and
 * zero-padded to a whole number of column blocks). For side 'rows', `left` is X (n x d) and
 * `rightTransposed` is Y^T (d x m_pad); for side 'columns' the roles swap.
 */
export interface SideTensors {
  /** Rows kept: n for 'rows', m for 'columns'. */
  readonly count: number;
  /** Entries reduced over: m for 'rows', n for 'columns'. */
  readonly length: number;
  /** Entries per column block, `min(columnBlock, length)`. */
  readonly columnBlock: number;
  /** Column blocks per row, `ceil(length / columnBlock)`. */
  readonly blockCount: number;
  /** `blockCount * columnBlock`: the padding columns have K = 0 and offset -Infinity. */
  readonly paddedLength: number;
  /** The points of this side, count x d. */
  readonly left: Tensor2D;
  /** The other side's points, d x paddedLength (a plain matMul: XNNPACK's fast path on wasm). */
  readonly rightTransposed: Tensor2D;
  /** Dense mode only: the kernel rows of this side, count x paddedLength (K, or K^T). */
  readonly dense: Tensor2D | undefined;
}

/** Which rows of a side a block covers: a contiguous range, or an int32 index vector. */
export type RowSelection = { readonly start: number; readonly size: number } | Tensor1D;

/** The device copies of one prepared problem. */
export interface KernelTensors {
  readonly sides: Readonly<Record<KernelSide, SideTensors>>;
  /** Every tensor held (for dispose and leak accounting). */
  readonly all: readonly Tensor2D[];
}

/**
 * Uploads X and Y (and their transposed, padded copies) and, in dense mode, computes
 * `K = X Y^T` once (n x m_pad) and `K^T` (m x n_pad, the transpose of the same float32 values,
 * so that both sides see identical entries). Memory: `8 n m` bytes for the dense kernel, as the
 * interface's default `denseBytesPerEntry`.
 */
export function uploadKernelTensors(
  tf: TfModule,
  problem: KernelProblem,
  columnBlock: number,
): KernelTensors {
  const { x, y, n, m, d } = problem;
  const all: Tensor2D[] = [];
  const keep = (tensor: Tensor2D): Tensor2D => {
    all.push(tensor);
    return tensor;
  };
  try {
    const xTensor = keep(tf.tensor2d(x, [n, d], 'float32'));
    const yTensor = keep(tf.tensor2d(y, [m, d], 'float32'));
    const side = (left: Tensor2D, count: number, points: Float32Array, length: number) => {
      const block = Math.min(columnBlock, length);
      const blockCount = Math.ceil(length / block);
      const paddedLength = blockCount * block;
      return {
        count,
        length,
        columnBlock: block,
        blockCount,
        paddedLength,
        left,
        rightTransposed: keep(transposedPadded(tf, points, length, d, paddedLength)),
        dense: undefined as Tensor2D | undefined,
      };
    };
    const rows = side(xTensor, n, y, m);
    const columns = side(yTensor, m, x, n);
    if (problem.mode === 'dense') {
      rows.dense = keep(tf.matMul(xTensor, rows.rightTransposed));
      columns.dense = keep(
        tf.tidy(() => {
          const kernel = tf.slice(rows.dense as Tensor2D, [0, 0], [n, m]);
          return tf.pad(tf.transpose(kernel), [
            [0, 0],
            [0, columns.paddedLength - n],
          ]);
        }),
      );
    }
    return { sides: { rows, columns }, all };
  } catch (error) {
    for (const tensor of all) tensor.dispose();
    throw error;
  }
}

/** `points` (length x d, row-major) as a d x paddedLength tensor, zero beyond `length`. */
function transposedPadded(
  tf: TfModule,
  points: Float32Array,
  length: number,
  d: number,
  paddedLength: number,
): Tensor2D {
  const values = new Float32Array(d * paddedLength);
  for (let j = 0; j < length; j += 1) {
    for (let c = 0; c < d; c += 1) values[c * paddedLength + j] = points[j * d + c] as number;
  }
  return tf.tensor2d(values, [d, paddedLength], 'float32');
}

/** The selected rows of `tensor` (no copy for the whole tensor). Call inside `tf.tidy`. */
export function selectRows(tf: TfModule, tensor: Tensor2D, selection: RowSelection): Tensor2D {
  if (!('start' in selection)) return tf.gather(tensor, selection);
  if (selection.start === 0 && selection.size === tensor.shape[0]) return tensor;
  return tf.slice(tensor, [selection.start, 0], [selection.size, tensor.shape[1]]);
}

/** Rows of `K` (unscaled) for one side: recomputed by matMul, or read from the dense copy. */
export function kernelRows(tf: TfModule, side: SideTensors, selection: RowSelection): Tensor2D {
  if (side.dense !== undefined) return selectRows(tf, side.dense, selection);
  return tf.matMul(selectRows(tf, side.left, selection), side.rightTransposed);
}

/**
 * The scores `z_ij = (h~_j + K_ij) / eps` of a block (float32, in units of eps), where
 * `scaledOffsets` holds `h~ / eps` (already shifted, -Infinity on padding). Online mode fuses
 * the bias into the matMul against `scaledRight = rightTransposed / eps`. Call inside `tf.tidy`.
 */
export function scoreRows(
  tf: TfModule,
  side: SideTensors,
  selection: RowSelection,
  scaledOffsets: Tensor1D,
  scaledRight: Tensor2D | undefined,
  epsilon: number,
): Tensor2D {
  if (side.dense !== undefined || scaledRight === undefined) {
    return tf.add(tf.mul(kernelRows(tf, side, selection), 1 / epsilon), scaledOffsets);
  }
  return tf.fused.matMul({
    a: selectRows(tf, side.left, selection),
    b: scaledRight,
    bias: scaledOffsets,
  }) as Tensor2D;
}

/** `rightTransposed / eps` for an online pass (undefined in dense mode); the caller disposes it. */
export function scaleRight(tf: TfModule, side: SideTensors, epsilon: number): Tensor2D | undefined {
  return side.dense === undefined
    ? (tf.mul(side.rightTransposed, 1 / epsilon) as Tensor2D)
    : undefined;
}
