import { BackendUnavailableError, DisposedError } from '@sinkflow/core';
import type { KernelMode } from '../sinkhorn-backend.js';
import type { KernelExports } from './compile-kernels.js';
import type { CloudSummary } from './load-clouds.js';
import type { MemoryPlan } from './memory-plan.js';
import { MAXIMUM_PAGES, PAGE_BYTES, pagesFor, roundUp } from './memory-plan.js';
import type { Operation, ThreadPool } from './thread-pool.js';
import { callExport } from './thread-pool.js';
import type { WasmMemory } from './webassembly-api.js';

/** Tuning of the passes (see `WasmBackendOptions.tuning`). @internal */
export interface KernelTuning {
  /** Columns per block (rounded up to a multiple of 24 by the backend). */
  readonly columnBlock: number;
  /** Rows per work item of the soft-max and statistics passes, a multiple of 4 (at most 32). */
  readonly rowGroup: number;
  /** Jobs below this many kernel entries times (d + 16) run on the main thread alone. */
  readonly parallelThreshold: number;
}

/**
 * Everything a pass needs about one prepared problem: the memory and its plan, the main thread's
 * instance, the pool (when the problem is large enough to use it) and the cloud summary.
 *
 * @internal
 */
export class KernelContext {
  readonly mode: KernelMode;
  readonly plan: MemoryPlan;
  readonly clouds: CloudSummary;
  readonly tuning: KernelTuning;
  /** The memory and the main thread's instance; dropped at dispose (a dense K can be GiBs). */
  private resources: { readonly memory: WasmMemory; readonly main: KernelExports } | undefined;
  private readonly pool: ThreadPool | undefined;
  private readonly kernelId: number;

  constructor(options: {
    readonly mode: KernelMode;
    readonly plan: MemoryPlan;
    readonly clouds: CloudSummary;
    readonly tuning: KernelTuning;
    readonly memory: WasmMemory;
    readonly main: KernelExports;
    readonly pool: ThreadPool | undefined;
    readonly kernelId: number;
  }) {
    this.mode = options.mode;
    this.plan = options.plan;
    this.clouds = options.clouds;
    this.tuning = options.tuning;
    this.resources = { memory: options.memory, main: options.main };
    this.pool = options.pool;
    this.kernelId = options.kernelId;
  }

  /** The current buffer of the shared memory (re-read after every growth). */
  get buffer(): SharedArrayBuffer {
    return this.live('buffer').memory.buffer;
  }

  /** Number of threads a parallel job uses (main + workers). */
  get threads(): number {
    return 1 + (this.pool?.workerCount ?? 0);
  }

  /**
   * Zeroes the per-thread column sums (`plan.columnSums`: one float64 row of mPad per thread) before
   * a pass whose threads each add their rows into their own row (no atomics on the hot path).
   */
  clearColumnSums(): void {
    new Float64Array(this.buffer, this.plan.columnSums, this.threads * this.plan.mPad).fill(0);
  }

  /** The column sums of the last such pass: the threads' rows added, `m` values. */
  columnSums(): Float64Array {
    const { columnSums, mPad, m } = this.plan;
    const sums = new Float64Array(m);
    // Threads that took no rows left their row at zero.
    for (let t = 0; t < this.threads; t += 1) {
      const partial = new Float64Array(this.buffer, columnSums + 8 * t * mPad, m);
      for (let j = 0; j < m; j += 1) sums[j] = (sums[j] as number) + (partial[j] as number);
    }
    return sums;
  }

  /** Throws the error of a request on a disposed kernel. */
  checkAlive(method: string): void {
    this.live(method);
  }

  private live(method: string): { readonly memory: WasmMemory; readonly main: KernelExports } {
    if (this.resources === undefined) {
      throw new DisposedError({
        functionName: 'createWasmBackend',
        resource: 'kernel',
        operation: method,
      });
    }
    return this.resources;
  }

  /**
   * Per-call memory: returns byte offsets of regions of the given sizes after `plan.dynamic`,
   * growing the memory when needed (workers see the growth: the memory is shared).
   */
  reserve(sizes: readonly number[]): number[] {
    let top = this.plan.dynamic;
    const offsets = sizes.map((bytes) => {
      const offset = top;
      top += roundUp(Math.max(bytes, 16), 64);
      return offset;
    });
    const needed = pagesFor(top);
    const { memory } = this.live('reserve');
    const current = memory.buffer.byteLength / PAGE_BYTES;
    if (needed > MAXIMUM_PAGES)
      throw new BackendUnavailableError({
        backend: 'wasm',
        message: `a request needs ${top} bytes of memory, more than the 4 GiB of a wasm32 memory`,
      });
    if (needed > current) memory.grow(needed - current);
    return offsets;
  }

  /**
   * Runs a kernel export on all threads when `work` (kernel entries x (d + 16)) reaches the
   * parallel threshold, else on the main thread; the export's trailing arguments are
   * `(scratchBase, scratchStride, tid)`, the first two appended here.
   */
  run(operation: Operation, args: readonly number[], work: number): void {
    const { plan } = this;
    const { main } = this.live(operation);
    Atomics.store(new Int32Array(this.buffer, plan.counter, 1), 0, 0);
    const full = [...args, plan.scratch, plan.scratchStride];
    if (this.pool !== undefined && work >= this.tuning.parallelThreshold) {
      this.pool.run(this.kernelId, main, operation, full);
    } else {
      callExport(main, operation, full, 0);
    }
  }

  /** Marks the kernel disposed; returns false when it already was. */
  markDisposed(): boolean {
    if (this.resources === undefined) return false;
    this.resources = undefined;
    return true;
  }

  /** The pool and this kernel's id in it (for detaching). */
  get attachment(): { readonly pool: ThreadPool; readonly kernelId: number } | undefined {
    return this.pool === undefined ? undefined : { pool: this.pool, kernelId: this.kernelId };
  }
}
