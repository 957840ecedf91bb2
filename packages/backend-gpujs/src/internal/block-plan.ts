import type { GpujsMode } from '../gpujs-mode.js';

/** Size caps of one kernel call in one gpu.js mode. */
export interface KernelLimits {
  /** Most output cells of one call (the output is read back to the host after every call). */
  readonly maxCells: number;
  /** Most cells along one output dimension (GL textures and WebGPU dispatches are bounded). */
  readonly maxDimension: number;
  /** Most floats of one array argument (a dense block of kernel rows, weights). */
  readonly maxArgumentLength: number;
}

/**
 * The caps per mode. GPU modes take larger calls (fewer uploads of the reduced cloud, more
 * threads in flight) but at most 16384 cells along a dimension (the usual maximum texture size of
 * WebGL; WebGPU dispatches stay well below their workgroup limits). On the CPU modes a call's
 * output stays at 4 MiB. Array arguments stay at 64 MiB (the webasm backend copies them into a
 * WebAssembly memory of at most 256 MiB).
 */
export function kernelLimits(mode: GpujsMode): KernelLimits {
  const gpu = mode === 'webgpu' || mode === 'headlessgl';
  return {
    maxCells: gpu ? 2 ** 22 : 2 ** 20,
    maxDimension: gpu ? 2 ** 14 : 2 ** 24,
    maxArgumentLength: 2 ** 24,
  };
}

/** How one side of a pass is cut: rows of kept points in blocks, reduced points in tiles. */
export interface BlockPlan {
  /** Points that keep one output each (n for side 'rows', m for 'columns'). */
  readonly keptCount: number;
  /** Points that are summed over (m for side 'rows', n for 'columns'). */
  readonly reducedCount: number;
  /** Reduced points per tile: the inner loop's length. */
  readonly tile: number;
  /** Tiles per kept point: `ceil(reducedCount / tile)`. */
  readonly tiles: number;
  /** Kept points per kernel call (a multiple of 4 where possible: webasm runs quads of cells). */
  readonly blockRows: number;
  /** Calls per pass: `ceil(keptCount / blockRows)`; the last block is padded with zeros. */
  readonly blockCount: number;
}

/**
 * Cuts a pass into kernel calls of output `[blockRows, tiles]`. The tile grows past the asked
 * length only when the tiles would not fit along one output dimension; a dense pass also keeps a
 * block of `blockRows * reducedCount` kernel entries under the argument cap.
 */
export function planBlocks({
  keptCount,
  reducedCount,
  tile,
  limits,
  dense,
}: {
  keptCount: number;
  reducedCount: number;
  tile: number;
  limits: KernelLimits;
  dense: boolean;
}): BlockPlan {
  let tileLength = Math.min(tile, reducedCount);
  if (Math.ceil(reducedCount / tileLength) > limits.maxDimension) {
    tileLength = Math.ceil(reducedCount / limits.maxDimension);
  }
  const tiles = Math.ceil(reducedCount / tileLength);
  let rowCap = Math.min(limits.maxDimension, Math.floor(limits.maxCells / tiles));
  if (dense) rowCap = Math.min(rowCap, Math.floor(limits.maxArgumentLength / reducedCount));
  rowCap = Math.max(1, rowCap);
  const blockCount = Math.ceil(keptCount / Math.min(keptCount, rowCap));
  const balanced = Math.ceil(keptCount / blockCount);
  const quads = Math.ceil(balanced / 4) * 4;
  const blockRows = quads <= rowCap ? quads : balanced;
  return { keptCount, reducedCount, tile: tileLength, tiles, blockRows, blockCount };
}
