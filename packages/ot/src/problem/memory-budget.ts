import type { KernelMode } from '../backend/sinkhorn-backend.js';
import { totalMemoryBytes } from './host-memory.js';

/**
 * The default memory budget for a kept kernel: a quarter of the machine's RAM (`os.totalmem() / 4`
 * in Node), or 1 GiB where the amount of memory cannot be read (browsers).
 *
 * @example
 * ```ts
 * await defaultMemoryBudget(); // 6442450944 on a 24 GiB machine
 * ```
 */
export async function defaultMemoryBudget(): Promise<number> {
  const total = totalMemoryBytes();
  return total === undefined ? 2 ** 30 : Math.floor(total / 4);
}

/**
 * Below this dimension `online` beats `dense` even when the kernel fits: a d <= 3 dot product costs
 * less than loading its float32 result (measured with the wasm backend, docs/performance.md).
 */
const DENSE_MINIMUM_DIMENSION = 4;

/**
 * `dense` when the kept kernel (`bytesPerEntry n m` bytes: 8 for `K` and its transpose in float32)
 * fits in the budget and `d >= 4`, else `online` (the cost recomputed block by block, memory O((n + m) d))
 * [klein2025].
 *
 * @example
 * ```ts
 * chooseKernelMode({ n: 4096, m: 4096, memoryBudgetBytes: 2 ** 30 }); // 'dense' (128 MiB)
 * chooseKernelMode({ n: 65536, m: 65536, memoryBudgetBytes: 2 ** 30 }); // 'online' (32 GiB needed)
 * ```
 */
export function chooseKernelMode({
  n,
  m,
  memoryBudgetBytes,
  bytesPerEntry = 8,
  d,
}: {
  readonly n: number;
  readonly m: number;
  readonly memoryBudgetBytes: number;
  /** Bytes kept per kernel entry. @default 8 */
  readonly bytesPerEntry?: number | undefined;
  /** The kernel's dimension: below 4, recomputing `<x, y>` is cheaper than reading it back. */
  readonly d?: number | undefined;
}): KernelMode {
  if (d !== undefined && d < DENSE_MINIMUM_DIMENSION) return 'online';
  return bytesPerEntry * n * m <= memoryBudgetBytes ? 'dense' : 'online';
}
