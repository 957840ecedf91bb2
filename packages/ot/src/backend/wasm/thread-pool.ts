import { InternalError } from '@sinkflow/core';
import type { KernelExports } from './compile-kernels.js';
import { type PoolWorkers, startPoolWorkers } from './pool-workers.js';
import type { WasmMemory, WasmModule } from './webassembly-api.js';
import {
  ARGUMENTS_OFFSET,
  CONTROL,
  CONTROL_BYTES,
  ERROR_TEXT_BYTES,
  ERROR_TEXT_OFFSET,
  MAXIMUM_ARGUMENTS,
  OPERATION_EXIT,
  OPERATION_RECEIVE,
  SPIN_MILLISECONDS,
} from './worker-source.js';

/** The kernel exports that a job may call (their index is sent to the workers). @internal */
export const OPERATIONS = [
  'lse_online',
  'lse_dense',
  'build_dense',
  'build_half',
  'build_half_exact',
  'half_rows',
  'half_columns',
  'statistics',
  'expectation',
  'sample',
  'row_argmax',
] as const;

/** One of {@link OPERATIONS}. @internal */
export type Operation = (typeof OPERATIONS)[number];

/**
 * A fixed set of worker threads that run kernel exports together with the main thread over a
 * kernel's shared memory. A job is started by writing its arguments into a shared control block
 * and bumping a generation counter (`Atomics.notify`); the main thread computes its share as
 * thread 0, then waits (a short poll, then `Atomics.wait`) until `pending` reaches 0. Work inside
 * a job is split dynamically by the kernels themselves (an atomic item counter), so the join is
 * tight and a slower thread (another process on its core) simply takes fewer items.
 *
 * Workers stay in a synchronous loop: kernels are attached by posting the memory and module and
 * then running a "receive" job, in which a Node worker drains its port synchronously and a Web
 * Worker returns to its event loop for the message (see `pool-workers.ts` and its browser
 * variant). The main thread is blocked while a job runs (the job is its own computation too); a
 * browser's main thread, where `Atomics.wait` is refused, polls instead. Node workers are
 * `unref`ed so that an undisposed kernel never keeps the process alive.
 *
 * @internal
 */
export class ThreadPool {
  readonly workerCount: number;
  private readonly workers: PoolWorkers;
  private readonly control: Int32Array;
  private readonly arguments: Float64Array;
  private readonly errorText: Uint8Array;
  private nextKernel = 1;
  private users = 0;
  private failure: string | undefined;

  private constructor(workers: PoolWorkers, control: SharedArrayBuffer) {
    this.workers = workers;
    this.workerCount = workers.count;
    this.control = new Int32Array(control, 0, 16);
    this.arguments = new Float64Array(control, ARGUMENTS_OFFSET, MAXIMUM_ARGUMENTS);
    this.errorText = new Uint8Array(control, ERROR_TEXT_OFFSET, ERROR_TEXT_BYTES);
    workers.onError((message) => {
      this.failure ??= message;
    });
  }

  /**
   * Starts `workerCount` workers (in Node they boot in the background and the first job waits for
   * them; in browsers this resolves once every Web Worker runs its loop).
   */
  static async start(workerCount: number): Promise<ThreadPool> {
    const control = new SharedArrayBuffer(CONTROL_BYTES);
    const workers = await startPoolWorkers({
      count: workerCount,
      control,
      operations: [...OPERATIONS],
    });
    return new ThreadPool(workers, control);
  }

  /** Registers a user (a prepared kernel); {@link release} undoes it. */
  acquire(): void {
    this.users += 1;
  }

  /** Unregisters a user; returns true when none is left (the caller may then {@link terminate}). */
  release(): boolean {
    this.users -= 1;
    return this.users === 0;
  }

  /** Makes every worker instantiate the kernels on `memory`; returns the kernel's id. Blocks until done. */
  attach(module: WasmModule, memory: WasmMemory): number {
    const kernel = this.nextKernel;
    this.nextKernel += 1;
    this.workers.post({ type: 'attach', kernel, module, memory });
    this.dispatch(OPERATION_RECEIVE, 0, []);
    this.join();
    this.throwIfFailed('attach');
    return kernel;
  }

  /** Drops a kernel's instances in every worker. */
  detach(kernel: number): void {
    this.workers.post({ type: 'detach', kernel });
    this.dispatch(OPERATION_RECEIVE, 0, []);
    this.join();
  }

  /**
   * Runs `operation(...args, tid)` on every thread (main = 0, workers 1..), returning when all
   * are done. Throws when a thread failed.
   */
  run(kernel: number, main: KernelExports, operation: Operation, args: readonly number[]): void {
    if (this.failure !== undefined)
      throw new InternalError({
        where: 'wasm backend',
        message: `a worker failed: ${this.failure}`,
      });
    this.dispatch(OPERATIONS.indexOf(operation), kernel, args);
    try {
      callExport(main, operation, args, 0);
    } finally {
      this.join();
    }
    this.throwIfFailed(operation);
  }

  /** Stops and terminates the workers. */
  async terminate(): Promise<void> {
    this.dispatch(OPERATION_EXIT, 0, []);
    await this.workers.terminate();
  }

  private dispatch(operation: number, kernel: number, args: readonly number[]): void {
    const control = this.control;
    if (args.length > MAXIMUM_ARGUMENTS)
      throw new InternalError({ where: 'wasm backend', message: `${args.length} job arguments` });
    this.arguments.set(args);
    control[CONTROL.operation] = operation;
    control[CONTROL.kernel] = kernel;
    control[CONTROL.argumentCount] = args.length;
    Atomics.store(control, CONTROL.error, 0);
    Atomics.store(control, CONTROL.pending, this.workerCount);
    Atomics.add(control, CONTROL.generation, 1);
    Atomics.notify(control, CONTROL.generation);
  }

  /**
   * Waits until every worker finished the current job (poll briefly, then block; only poll where
   * the thread may not block, a browser's main thread).
   */
  private join(): void {
    const control = this.control;
    const deadline = performance.now() + SPIN_MILLISECONDS;
    let spins = 0;
    for (;;) {
      const pending = Atomics.load(control, CONTROL.pending);
      if (pending === 0) return;
      spins += 1;
      if (this.workers.canWait && (spins & 63) === 0 && performance.now() > deadline)
        Atomics.wait(control, CONTROL.pending, pending);
    }
  }

  private throwIfFailed(operation: string): void {
    const failed = Atomics.load(this.control, CONTROL.error);
    if (failed === 0) return;
    const end = this.errorText.indexOf(0);
    const text = new TextDecoder().decode(this.errorText.slice(0, end < 0 ? undefined : end));
    throw new InternalError({
      where: 'wasm backend',
      message: `worker ${failed - 1} failed in ${operation}: ${text}`,
    });
  }
}

/**
 * Calls a kernel export with the job's arguments and the thread index.
 *
 * @example
 * ```ts
 * callExport(exports, 'lse_online', args, 0); // the main thread's share
 * ```
 * @internal
 */
export function callExport(
  exports: KernelExports,
  operation: Operation,
  args: readonly number[],
  tid: number,
): void {
  const run = exports[operation];
  if (run === undefined) {
    throw new InternalError({
      where: 'wasm backend',
      message: `missing kernel export ${operation}`,
    });
  }
  run(...args, tid);
}
