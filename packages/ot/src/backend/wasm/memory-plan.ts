import { InvalidArgumentError } from '@sinkflow/core';
import type { KernelMode } from '../sinkhorn-backend.js';
import { KERNEL_CONSTANTS } from './generated/kernels-wasm.js';

/** WebAssembly page size (64 KiB). */
export const PAGE_BYTES = 65536;
/** The largest wasm32 memory: 65536 pages = 4 GiB. */
export const MAXIMUM_PAGES = 65536;
/** Points per panel of the tile kernel (see scripts/wasm/tile-kernel.mjs). */
export const PANEL_WIDTH: number = KERNEL_CONSTANTS.panelWidth;
/** Both clouds are padded to, and column blocks are, multiples of this (panels and groups of 8). */
export const PADDING_UNIT: number = KERNEL_CONSTANTS.paddingUnit;

/** Where everything of one prepared problem lives in its shared memory (byte offsets). */
export interface MemoryPlan {
  readonly n: number;
  readonly m: number;
  readonly d: number;
  /** n and m rounded up to a multiple of 24 (padded rows / columns are zeros, with -inf offsets). */
  readonly nPad: number;
  readonly mPad: number;
  readonly threads: number;
  /** Column block B of the passes (a multiple of 24). */
  readonly columnBlock: number;
  /** The work counter the threads increment (4 bytes). */
  readonly counter: number;
  /** x and y row-major (nPad x d, mPad x d float32). */
  readonly xRows: number;
  readonly yRows: number;
  /** x and y as panels of 8 points (nPad d, mPad d float32). */
  readonly xPanels: number;
  readonly yPanels: number;
  /** Dense mode: K (nPad x mPad) and K^T (mPad x nPad), float32; 0 in online mode. */
  readonly kernel: number;
  readonly kernelTransposed: number;
  /** Dense16 mode: the anchored kernel in half precision (nPad x mPad, 2 bytes); 0 otherwise. */
  readonly half: number;
  /** Dense16 mode: per thread, 4 rows of K (4 x mPad float32) for its one-sweep build; 0 otherwise. */
  readonly rowBuffer: number;
  /** Offsets h' (float64), their float32 rounding, and per-row outputs (shift, sum), length max(nPad, mPad). */
  readonly offsets: number;
  readonly offsets32: number;
  readonly outShift: number;
  readonly outSum: number;
  /** Statistics: f (nPad), g (mPad), row sums (nPad), per-thread column sums (threads x mPad), moments (threads). */
  readonly rowPotentials: number;
  readonly columnPotentials: number;
  readonly rowSums: number;
  readonly columnSums: number;
  readonly moments: number;
  /** Per-thread scratch (tile, states), `scratchStride` bytes each. */
  readonly scratch: number;
  readonly scratchStride: number;
  /** First byte of the per-call region (sampling lists, values of a conditional expectation). */
  readonly dynamic: number;
}

/** Rounds up to a multiple of `unit`. */
export const roundUp = (value: number, unit: number): number => Math.ceil(value / unit) * unit;

/**
 * Lays out one prepared problem: every region 64-byte aligned (cache lines), float32 clouds in
 * both layouts, the dense kernel and its transpose when `mode` is `dense` (the half-precision
 * anchored kernel, one matrix, in `dense16`), the float64 vectors of
 * the passes and one scratch area per thread.
 *
 * @throws {@link InvalidArgumentError} naming `problem.mode` (dense) or `problem` (online) when
 * the layout does not fit in the 4 GiB of a wasm32 memory.
 * @example
 * ```ts
 * planMemory({ n: 1000, m: 1000, d: 2, mode: 'online', threads: 2, columnBlock: 1032 }).nPad; // 1008
 * ```
 * @internal
 */
export function planMemory({
  n,
  m,
  d,
  mode,
  threads,
  columnBlock,
}: {
  readonly n: number;
  readonly m: number;
  readonly d: number;
  readonly mode: KernelMode;
  readonly threads: number;
  readonly columnBlock: number;
}): MemoryPlan {
  const nPad = roundUp(n, PADDING_UNIT);
  const mPad = roundUp(m, PADDING_UNIT);
  const longest = Math.max(nPad, mPad);
  let top = 0;
  const take = (bytes: number): number => {
    const start = top;
    top += roundUp(bytes, 64);
    return start;
  };
  const counter = take(64);
  const xRows = take(4 * nPad * d);
  const yRows = take(4 * mPad * d);
  const xPanels = take(4 * nPad * d);
  const yPanels = take(4 * mPad * d);
  const kernel = mode === 'dense' ? take(4 * nPad * mPad) : 0;
  const kernelTransposed = mode === 'dense' ? take(4 * nPad * mPad) : 0;
  const half = mode === 'dense16' ? take(2 * nPad * mPad) : 0;
  const rowBuffer = mode === 'dense16' ? take(16 * mPad * threads) : 0;
  const offsets = take(8 * longest);
  const offsets32 = take(4 * longest);
  const outShift = take(8 * longest);
  const outSum = take(8 * longest);
  const rowPotentials = take(8 * nPad);
  const columnPotentials = take(8 * mPad);
  const rowSums = take(8 * nPad);
  const columnSums = take(8 * mPad * threads);
  const moments = take(8 * threads);
  // Tile (4 rows, float32) and the stored weights E (1 row, float64) of the conditional expectation.
  const scratchStride = roundUp(KERNEL_CONSTANTS.scratchTileOffset + 24 * columnBlock, 64);
  const scratch = take(scratchStride * threads);
  const dynamic = top;
  if (dynamic > MAXIMUM_PAGES * PAGE_BYTES - 16 * PAGE_BYTES) {
    const gib = (dynamic / 2 ** 30).toFixed(1);
    throw new InvalidArgumentError({
      functionName: 'createWasmBackend.prepare',
      argumentName: mode === 'online' ? 'problem' : 'problem.mode',
      message: `needs ${gib} GiB of WebAssembly memory, more than the 4 GiB of wasm32${mode === 'online' ? '' : "; use mode 'online'"}`,
      value: mode,
    });
  }
  return {
    n,
    m,
    d,
    nPad,
    mPad,
    threads,
    columnBlock,
    counter,
    xRows,
    yRows,
    xPanels,
    yPanels,
    kernel,
    kernelTransposed,
    half,
    rowBuffer,
    offsets,
    offsets32,
    outShift,
    outSum,
    rowPotentials,
    columnPotentials,
    rowSums,
    columnSums,
    moments,
    scratch,
    scratchStride,
    dynamic,
  };
}

/** Pages needed to hold `bytes`. */
export const pagesFor = (bytes: number): number => Math.ceil(bytes / PAGE_BYTES);
