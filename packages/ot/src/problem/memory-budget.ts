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

/** What `auto` picked and why, in words (shown by the lab and kept on the problem). */
export interface KernelModeChoice {
  readonly mode: KernelMode;
  readonly reason: string;
}

/** Bytes of a kept half-precision anchored kernel (`dense16`) per entry. */
export const HALF_BYTES_PER_ENTRY = 2;

const gib = (bytes: number): string =>
  bytes >= 2 ** 30 ? `${(bytes / 2 ** 30).toFixed(1)} GiB` : `${(bytes / 2 ** 20).toFixed(0)} MiB`;

/**
 * The kernel mode of `auto` [klein2025], first that applies:
 *
 * 1. `online` when d < 4 (a short dot product costs less than reading its result back);
 * 2. `dense` when K and K^T in float32 (`bytesPerEntry n m` bytes, 8 by default) fit the budget
 *    and the backend's `maxDenseEntries`;
 * 3. `dense16` when the backend offers it and the half-precision anchored kernel (2 n m bytes,
 *    one matrix read both ways; matrix-vector passes, entries within 2^-11) fits the budget;
 * 4. `online` (the cost recomputed block by block, memory O((n + m) d)).
 *
 * @example
 * ```ts
 * kernelModeChoice({ n: 65536, m: 65536, d: 64, memoryBudgetBytes: 12 * 2 ** 30, modes: ['dense', 'dense16', 'online'] });
 * // { mode: 'dense16', reason: 'float32 K and K^T need 32.0 GiB, more than the budget of 12.0 GiB; the half-precision kernel needs 8.0 GiB' }
 * ```
 */
export function kernelModeChoice({
  n,
  m,
  memoryBudgetBytes,
  bytesPerEntry = 8,
  d,
  modes = ['dense', 'online'],
  maxDenseEntries = Number.POSITIVE_INFINITY,
}: {
  readonly n: number;
  readonly m: number;
  readonly memoryBudgetBytes: number;
  /** Bytes a `dense` kernel keeps per entry. @default 8 */
  readonly bytesPerEntry?: number | undefined;
  /** The kernel's dimension: below 4, recomputing `<x, y>` is cheaper than reading it back. */
  readonly d?: number | undefined;
  /** The modes the backend offers. @default ['dense', 'online'] */
  readonly modes?: readonly KernelMode[] | undefined;
  /** The most entries n m a `dense` kernel of the backend can keep. @default Infinity */
  readonly maxDenseEntries?: number | undefined;
}): KernelModeChoice {
  if (d !== undefined && d < DENSE_MINIMUM_DIMENSION) {
    return {
      mode: 'online',
      reason: `d = ${d} < 4: recomputing <x, y> costs less than reading it`,
    };
  }
  const denseBytes = bytesPerEntry * n * m;
  const budget = `the budget of ${gib(memoryBudgetBytes)}`;
  const withinBackend = n * m <= maxDenseEntries;
  if (modes.includes('dense') && denseBytes <= memoryBudgetBytes && withinBackend) {
    return { mode: 'dense', reason: `float32 K and K^T (${gib(denseBytes)}) fit ${budget}` };
  }
  const why = withinBackend
    ? `float32 K and K^T need ${gib(denseBytes)}, more than ${budget}`
    : `float32 K and K^T (${gib(denseBytes)}) exceed what the backend keeps in one memory`;
  const halfBytes = HALF_BYTES_PER_ENTRY * n * m;
  if (modes.includes('dense16') && halfBytes <= memoryBudgetBytes) {
    return { mode: 'dense16', reason: `${why}; the half-precision kernel needs ${gib(halfBytes)}` };
  }
  const halfWhy = modes.includes('dense16')
    ? `; the half-precision kernel too (${gib(halfBytes)})`
    : '';
  return { mode: 'online', reason: `${why}${halfWhy}: K is recomputed on every pass` };
}

/**
 * The mode of {@link kernelModeChoice} alone.
 *
 * @example
 * ```ts
 * chooseKernelMode({ n: 4096, m: 4096, memoryBudgetBytes: 2 ** 30 }); // 'dense' (256 MiB)
 * chooseKernelMode({ n: 65536, m: 65536, memoryBudgetBytes: 2 ** 30 }); // 'online' (32 GiB needed)
 * ```
 */
export function chooseKernelMode(options: Parameters<typeof kernelModeChoice>[0]): KernelMode {
  return kernelModeChoice(options).mode;
}
