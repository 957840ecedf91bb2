import { checkKernelProblem } from '../check-requests.js';
import { HALF_ENTRY_PRECISION } from '../half-precision.js';
import type { KernelProblem, PreparedKernel } from '../sinkhorn-backend.js';
import { compileKernels, instantiateKernels } from './compile-kernels.js';
import { runConditionalExpectation } from './conditional-expectation-pass.js';
import { HalfKernelAnchor, runHalfLogSumExp } from './half-kernel-pass.js';
import { KernelContext, type KernelTuning } from './kernel-context.js';
import { loadClouds } from './load-clouds.js';
import { runLogSumExp } from './log-sum-exp-pass.js';
import { MAXIMUM_PAGES, pagesFor, planMemory } from './memory-plan.js';
import { tileIndex } from './pass-inputs.js';
import { prepareRowChunkedKernel, rowChunksFor } from './row-chunked-kernel.js';
import { runSampleColumns } from './sample-columns-pass.js';
import { runStatistics } from './statistics-pass.js';
import type { ThreadPool } from './thread-pool.js';
import { webAssembly } from './webassembly-api.js';

/** Lends the backend's thread pool to a kernel (undefined: run on the main thread only). @internal */
export interface PoolLease {
  acquire(): Promise<ThreadPool | undefined>;
  release(pool: ThreadPool): Promise<void>;
}

/**
 * Prepares a problem on the WebAssembly kernels: plans and creates the shared memory, copies the
 * clouds (row-major and panel layouts), instantiates the kernels on the main thread and, when the
 * problem is large enough to split, in the pool's workers; in dense mode computes K and K^T once
 * (the same tile as the online passes, so dense and online agree bit for bit). In dense16 mode
 * the half-precision anchored kernel is built by the first soft-max pass and rebuilt whenever
 * its anchor goes stale (see `runHalfLogSumExp`); the other passes run online.
 *
 * @example
 * ```ts
 * const kernel = await prepareWasmKernel({ x, y, n, m, d, mode: 'dense' }, tuning, lease);
 * ```
 * @internal
 */
export async function prepareWasmKernel(
  problem: KernelProblem,
  tuning: KernelTuning,
  lease: PoolLease,
): Promise<PreparedKernel> {
  checkKernelProblem('createWasmBackend.prepare', problem, ['dense', 'dense16', 'online']);
  const { n, m, d, mode } = problem;
  if (mode === 'dense16') {
    // A kept kernel beyond one wasm32 memory: row blocks, each in its own memory.
    const fits = (rows: number) => fitsOneMemory({ ...problem, n: rows }, tuning);
    if (!fits(n)) {
      const chunks = rowChunksFor(n, fits);
      return prepareRowChunkedKernel(problem, chunks, (part) =>
        prepareWasmKernel(part, tuning, lease),
      );
    }
  }
  const module = await compileKernels();
  const parallel = n * m * (d + 16) >= tuning.parallelThreshold;
  const pool = parallel ? await lease.acquire() : undefined;
  let kernelId = 0;
  try {
    const threads = 1 + (pool?.workerCount ?? 0);
    const plan = planMemory({ n, m, d, mode, threads, columnBlock: tuning.columnBlock });
    const pages = pagesFor(plan.dynamic) + 1;
    const memory = new webAssembly.Memory({ initial: pages, maximum: MAXIMUM_PAGES, shared: true });
    const clouds = loadClouds(memory.buffer, plan, problem);
    const main = instantiateKernels(module, memory);
    if (pool !== undefined) kernelId = pool.attach(module, memory);
    const context = new KernelContext({ mode, plan, clouds, tuning, memory, main, pool, kernelId });
    if (mode === 'dense') buildDense(context);
    // dense16 builds its matrix at the first pass, around that pass's offsets and epsilon.
    return wrapKernel(context, problem, lease);
  } catch (error) {
    if (pool !== undefined) {
      if (kernelId !== 0) pool.detach(kernelId);
      await lease.release(pool);
    }
    throw error;
  }
}

/** Whether the memory plan of `problem` fits in one wasm32 memory (with any thread count). */
function fitsOneMemory(problem: KernelProblem, tuning: KernelTuning): boolean {
  try {
    const { n, m, d, mode } = problem;
    planMemory({ n, m, d, mode, threads: 64, columnBlock: tuning.columnBlock });
    return true;
  } catch {
    return false;
  }
}

/** K = X Y^T and K^T = Y X^T, float32, with the tile of the passes. */
function buildDense(context: KernelContext): void {
  const { plan, tuning } = context;
  const sides = [
    {
      rowPoints: plan.xRows,
      columnPanels: plan.yPanels,
      kernel: plan.kernel,
      rows: plan.nPad,
      columns: plan.mPad,
    },
    {
      rowPoints: plan.yRows,
      columnPanels: plan.xPanels,
      kernel: plan.kernelTransposed,
      rows: plan.mPad,
      columns: plan.nPad,
    },
  ];
  for (const side of sides) {
    context.run(
      'build_dense',
      [
        side.rowPoints,
        4 * plan.d,
        plan.d,
        side.columnPanels,
        side.rows,
        side.columns,
        side.kernel,
        4 * side.columns,
        plan.counter,
        tuning.rowGroup,
        tuning.columnBlock,
        tileIndex(plan.d),
      ],
      plan.nPad * plan.mPad * plan.d,
    );
  }
}

/** The PreparedKernel object over a context. */
function wrapKernel(
  context: KernelContext,
  problem: KernelProblem,
  lease: PoolLease,
): PreparedKernel {
  const anchor = problem.mode === 'dense16' ? new HalfKernelAnchor() : undefined;
  return {
    mode: problem.mode,
    ...(anchor === undefined
      ? {}
      : {
          entryPrecision: HALF_ENTRY_PRECISION,
          keptKernelReport: () => ({
            builds: anchor.builds,
            keptPasses: anchor.keptPasses,
            exactPasses: anchor.exactPasses,
          }),
        }),
    async logSumExp(request) {
      context.checkAlive('logSumExp');
      if (anchor === undefined) runLogSumExp(context, problem, request);
      else runHalfLogSumExp(context, problem, anchor, request);
    },
    async statistics(request) {
      context.checkAlive('statistics');
      return runStatistics(context, problem, request);
    },
    async sampleColumns(request) {
      context.checkAlive('sampleColumns');
      runSampleColumns(context, problem, request);
    },
    async conditionalExpectation(request) {
      context.checkAlive('conditionalExpectation');
      runConditionalExpectation(context, problem, request);
    },
    async dispose() {
      if (!context.markDisposed()) return;
      const attachment = context.attachment;
      if (attachment !== undefined) {
        attachment.pool.detach(attachment.kernelId);
        await lease.release(attachment.pool);
      }
    },
  };
}
