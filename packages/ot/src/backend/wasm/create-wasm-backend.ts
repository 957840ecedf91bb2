import { InvalidArgumentError } from '@sinkflow/core';
import type { SinkhornBackend } from '../sinkhorn-backend.js';
import { hostThreads } from './host-threads.js';
import type { KernelTuning } from './kernel-context.js';
import { MAXIMUM_PAGES, PADDING_UNIT, PAGE_BYTES, roundUp } from './memory-plan.js';
import { type PoolLease, prepareWasmKernel } from './prepare-wasm-kernel.js';
import { ThreadPool } from './thread-pool.js';

/** Options of {@link createWasmBackend}. */
export interface WasmBackendOptions {
  /**
   * Threads that run a pass: the calling thread plus `threads - 1` workers (`worker_threads` in
   * Node, Web Workers in browsers), started at the first large enough `prepare` and stopped when
   * its last kernel is disposed. Browsers share the kernel's memory with workers only on a
   * cross-origin isolated page: elsewhere the backend runs on one thread.
   * @default os.availableParallelism() in Node; navigator.hardwareConcurrency on a cross-origin isolated page, else 1
   */
  readonly threads?: number;
  /** Performance knobs (results do not depend on them, except for float64 rounding of sums). */
  readonly tuning?: Partial<KernelTuning>;
}

/** Default tuning, measured on an AMD EPYC (Zen 5) core: see bench/sinkhorn-kernels.bench.ts. */
const DEFAULT_TUNING: KernelTuning = {
  columnBlock: 1032,
  rowGroup: 16,
  parallelThreshold: 2 ** 21,
};

/**
 * The default CPU backend: WebAssembly SIMD128 kernels generated at build time, run on
 * `worker_threads` over one shared memory per prepared problem.
 *
 * Every pass streams over row groups of `K_ij = <x_i, y_j>` (float32; recomputed from the clouds
 * by a 4 x 8 register tile in `online` mode, read from the kept K and K^T in `dense` mode, both
 * bit-identical) and folds each block of columns into a per-row log-sum-exp state [klein2025]
 * [cuturi2013]:
 *
 *   eps log sum_j exp((h_j + K_ij) / eps) = max h + eps (Ms_i ln 2 + ln S_i),
 *   S_i = sum_j 2^((h_j - max h + K_ij) log2(e) / eps - Ms_i),
 *
 * with Ms_i an integer shift near the row maximum (so a new maximum rescales S by an exact power
 * of two). The exponent is formed in float64 (no cancellation when |h| >> eps) and split exactly
 * into k + r, r in [-1/2, 1/2]; 2^r is a float32 polynomial: each term has a relative error below
 * 2.5e-7 (about 2 float32 ulps) whatever |h| / eps, and sums accumulate in float64. Statistics and
 * conditional expectations use a float64 exponential (4e-11). Sampling is exact Gumbel-max
 * [gumbel1954] with the keyed Philox noise of `@sinkflow/core` [salmon2011philox], bit for bit
 * (`Math.log` itself is imported), independent of threads and blocks.
 *
 * Threads take row groups from an atomic counter; the main thread computes too, so a pass blocks
 * the event loop for its duration. Problems below ~2^21 kernel operations run on the main thread
 * alone. Needs WebAssembly SIMD128 and a shared memory with atomics: Node 20+, and browsers
 * (Web Workers over shared memory on a cross-origin isolated page, one thread elsewhere).
 *
 * @throws {@link InvalidArgumentError} naming `options.threads` or `options.tuning.*`.
 * @example
 * ```ts
 * const backend = createWasmBackend({ threads: 2 });
 * const kernel = await backend.prepare({ x, y, n, m, d, mode: 'online' });
 * const lse = new Float64Array(n);
 * await kernel.logSumExp({ side: 'rows', offsets: g, epsilon: 0.05, out: lse });
 * await kernel.dispose(); // stops the workers when it was the last kernel
 * ```
 */
export function createWasmBackend({
  threads,
  tuning = {},
}: WasmBackendOptions = {}): SinkhornBackend {
  const functionName = 'createWasmBackend';
  if (threads !== undefined && (!Number.isSafeInteger(threads) || threads < 1 || threads > 256)) {
    throw new InvalidArgumentError({
      functionName,
      argumentName: 'options.threads',
      message: 'must be an integer in [1, 256]',
      value: threads,
    });
  }
  const resolved = checkTuning({ ...DEFAULT_TUNING, ...tuning }, functionName);
  const host = hostThreads();
  // Without shared memory between workers (a browser page that is not cross-origin isolated)
  // every pass runs on the calling thread, whatever was asked.
  const count = host.limit === null ? threads : 1;
  const lease = createPoolLease(count ?? host.threads);
  const on = `${count ?? 'all available'} thread${count === 1 ? '' : 's'}`;
  return {
    specificationVersion: 'v1',
    name: 'wasm',
    description: `WebAssembly SIMD128 on ${on}${host.limit === null ? '' : `: ${host.limit}`}`,
    kernelModes: ['dense', 'dense16', 'online'],
    // K and K^T (8 bytes an entry) in one wasm32 memory, with room for the clouds.
    maxDenseEntries: Math.floor((0.9 * MAXIMUM_PAGES * PAGE_BYTES) / 8),
    prepare: (problem) => prepareWasmKernel(problem, resolved, lease),
  };
}

function checkTuning(tuning: KernelTuning, functionName: string): KernelTuning {
  const { columnBlock, rowGroup, parallelThreshold } = tuning;
  if (!Number.isSafeInteger(columnBlock) || columnBlock < 1 || columnBlock > 65536) {
    throw new InvalidArgumentError({
      functionName,
      argumentName: 'options.tuning.columnBlock',
      message: 'must be an integer in [1, 65536]',
      value: columnBlock,
    });
  }
  if (!Number.isSafeInteger(rowGroup) || rowGroup < 4 || rowGroup % 4 !== 0 || rowGroup > 32) {
    throw new InvalidArgumentError({
      functionName,
      argumentName: 'options.tuning.rowGroup',
      message: 'must be a multiple of 4 in [4, 32]',
      value: rowGroup,
    });
  }
  if (typeof parallelThreshold !== 'number' || !(parallelThreshold >= 0)) {
    throw new InvalidArgumentError({
      functionName,
      argumentName: 'options.tuning.parallelThreshold',
      message: 'must be a number >= 0',
      value: parallelThreshold,
    });
  }
  // Blocks are whole panels and exponential groups: round up to the padding unit (24).
  return { columnBlock: roundUp(columnBlock, PADDING_UNIT), rowGroup, parallelThreshold };
}

/**
 * The backend's pool, started on demand and shared by its kernels; terminated when the last
 * kernel that uses it is disposed (so tests and scripts exit cleanly).
 */
function createPoolLease(threads: number): PoolLease {
  let pool: Promise<ThreadPool | undefined> | undefined;
  return {
    async acquire() {
      pool ??= threads > 1 ? ThreadPool.start(threads - 1) : Promise.resolve(undefined);
      const started = await pool;
      started?.acquire();
      return started;
    },
    async release(started) {
      if (started.release()) {
        pool = undefined;
        await started.terminate();
      }
    },
  };
}
