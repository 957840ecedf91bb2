import { DisposedError, InvalidArgumentError } from '@sinkflow/core';
import type { KernelProblem } from '../backend/sinkhorn-backend.js';
import { compileKernels, instantiateKernels } from '../backend/wasm/compile-kernels.js';
import { runConditionalExpectation } from '../backend/wasm/conditional-expectation-pass.js';
import { KERNELS_WASM_BASE64 } from '../backend/wasm/generated/kernels-wasm.js';
import { hostThreads } from '../backend/wasm/host-threads.js';
import { KernelContext, type KernelTuning } from '../backend/wasm/kernel-context.js';
import { type CloudSummary, loadClouds } from '../backend/wasm/load-clouds.js';
import { runLogSumExp } from '../backend/wasm/log-sum-exp-pass.js';
import {
  MAXIMUM_PAGES,
  type MemoryPlan,
  PADDING_UNIT,
  pagesFor,
  planMemory,
  roundUp,
} from '../backend/wasm/memory-plan.js';
import { tileIndex } from '../backend/wasm/pass-inputs.js';
import { runSampleColumns } from '../backend/wasm/sample-columns-pass.js';
import { runStatistics } from '../backend/wasm/statistics-pass.js';
import { ThreadPool } from '../backend/wasm/thread-pool.js';
import { type WasmMemory, type WasmModule, webAssembly } from '../backend/wasm/webassembly-api.js';
import {
  type PreparedScoreKernel,
  type ScoreKernel,
  type ScorePassRequest,
  type ScoreTargets,
  typescriptScoreKernel,
} from './semidiscrete-score-pass.js';

/** The tuning of the Sinkhorn passes (`createWasmBackend`'s defaults). */
const TUNING: KernelTuning = { columnBlock: 1032, rowGroup: 16, parallelThreshold: 2 ** 21 };

/** A {@link PreparedScoreKernel} on the wasm kernels. */
export interface PreparedWasmScoreKernel extends PreparedScoreKernel {
  /** Threads a large pass runs on (1: the calling thread alone). */
  readonly threads: number;
}

/** Whether this host runs the wasm kernels (WebAssembly with a shared memory). */
export function wasmScoreKernelSupported(): boolean {
  return typeof webAssembly === 'object' && typeof SharedArrayBuffer === 'function';
}

/**
 * The score pass of semidiscrete OT [mousavi2025semidiscrete] on the WebAssembly SIMD kernels of
 * the Sinkhorn backend, on threads. The N targets are copied once into one shared memory (row
 * major and in panels of 8, as `createWasmBackend` loads a cloud); each batch of at most
 * `capacity` rows is written into the row region of the same memory, and the passes run over it
 * with `K_ij = <x_i, y_j>` in float32 from the 4 x 8 register tile:
 * - argmax: the `row_argmax` pass (block maxima from the tile, a rescan of a block only when it
 *   beats the row's best), then `value_i = h_j + <x_i, y_j>` recomputed in float64 for the chosen
 *   `j`; Gumbel-max by the exact sampling pass (the keyed noise of `@sinkflow/core`, bit for bit);
 * - softmax: `value_i = eps LSE_j(s_ij / eps)` by the soft-max pass, `sum_i pi_ij` as the column
 *   sums of the statistics pass at `f_i = -value_i` and `sum_i pi_ij^2` as those at `eps / 2`
 *   (`pi^2 = exp(2 (f_i + h_j + K_ij) / eps)`), `sum_j pi_ij y_j` by the conditional-expectation
 *   pass.
 * Indices equal the float64 reference's up to float32 ties; sums agree to float32 accuracy of
 * the scores (`|dK| / eps`). A request the kernels cannot resolve (epsilon below
 * `max ||x|| ||y|| log2(e) / 2^29`) falls back to {@link typescriptScoreKernel}.
 *
 * @example
 * ```ts
 * const prepared = await prepareWasmScoreKernel(target, { capacity: 4096 });
 * prepared.kernel(target, { x, count, offsets, mode: 'argmax', epsilon: 0, index });
 * await prepared.dispose();
 * ```
 */
export async function prepareWasmScoreKernel(
  targets: ScoreTargets,
  {
    capacity,
    threads = hostThreads().threads,
  }: { readonly capacity: number; readonly threads?: number | undefined },
): Promise<PreparedWasmScoreKernel> {
  const { count: m, d } = targets;
  const module = await compileKernels();
  const rows = roundUp(Math.max(1, capacity), PADDING_UNIT);
  const parallel = threads > 1 && rows * m * (d + 16) >= TUNING.parallelThreshold;
  const pool = parallel ? await ThreadPool.start(threads - 1) : undefined;
  return assembleScoreKernel(targets, module, rows, pool);
}

let synchronousModule: WasmModule | null | undefined;

/**
 * {@link prepareWasmScoreKernel} synchronously, on the calling thread alone (no workers), or
 * undefined where the module cannot be compiled synchronously (a browser's main thread limits
 * synchronous compilation): for synchronous callers such as `samplePartners`.
 *
 * @example
 * ```ts
 * const prepared = prepareWasmScoreKernelSync(target, { capacity: 256 }); // undefined: use the reference
 * ```
 */
export function prepareWasmScoreKernelSync(
  targets: ScoreTargets,
  { capacity }: { readonly capacity: number },
): PreparedWasmScoreKernel | undefined {
  if (synchronousModule === undefined) {
    try {
      const api = globalThis as unknown as {
        readonly WebAssembly: { readonly Module: new (bytes: Uint8Array) => WasmModule };
      };
      synchronousModule = new api.WebAssembly.Module(decodeBase64(KERNELS_WASM_BASE64));
    } catch {
      synchronousModule = null;
    }
  }
  if (synchronousModule === null) return undefined;
  const rows = roundUp(Math.max(1, capacity), PADDING_UNIT);
  return assembleScoreKernel(targets, synchronousModule, rows, undefined);
}

/** Base64 to bytes with `atob` (as `compileKernels` decodes the module). */
function decodeBase64(text: string): Uint8Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let index = 0; index < binary.length; index += 1) bytes[index] = binary.charCodeAt(index);
  return bytes;
}

/** Memory, the points, the main thread's instance and the pool's (when given), and the kernel. */
function assembleScoreKernel(
  targets: ScoreTargets,
  module: WasmModule,
  rows: number,
  pool: ThreadPool | undefined,
): PreparedWasmScoreKernel {
  const { count: m, d } = targets;
  const threadCount = 1 + (pool?.workerCount ?? 0);
  const plan = planMemory({
    n: rows,
    m,
    d,
    mode: 'online',
    threads: threadCount,
    columnBlock: TUNING.columnBlock,
  });
  const memory = new webAssembly.Memory({
    initial: pagesFor(plan.dynamic) + 1,
    maximum: MAXIMUM_PAGES,
    shared: true,
  });
  const y32 = Float32Array.from(targets.y);
  const problem = { x: new Float32Array(rows * d), y: y32, n: rows, m, d, mode: 'online' as const };
  const loaded = loadClouds(memory.buffer, plan, problem);
  const main = instantiateKernels(module, memory);
  pool?.acquire();
  const kernelId = pool === undefined ? 0 : pool.attach(module, memory);
  const state = { alive: true, values: undefined as Float64Array | undefined };
  const base = { plan, loaded, memory, main, pool, kernelId, y32, capacity: rows };
  const kernel: ScoreKernel = (given, request) => {
    if (!state.alive) {
      throw new DisposedError({
        functionName: 'prepareWasmScoreKernel',
        resource: 'score kernel',
        operation: 'score pass',
      });
    }
    if (given !== targets) {
      throw new InvalidArgumentError({
        functionName: 'prepareWasmScoreKernel',
        argumentName: 'targets',
        message: 'must be the targets the kernel was prepared for',
        value: given.count,
      });
    }
    runInChunks(targets, request, base, state);
  };
  return {
    kernel,
    threads: threadCount,
    async dispose() {
      if (!state.alive) return;
      state.alive = false;
      if (pool !== undefined) {
        pool.detach(kernelId);
        pool.release();
        await pool.terminate();
      }
    },
  };
}

interface Base {
  readonly plan: MemoryPlan;
  readonly loaded: CloudSummary;
  readonly memory: WasmMemory;
  readonly main: ReturnType<typeof instantiateKernels>;
  readonly pool: ThreadPool | undefined;
  readonly kernelId: number;
  readonly y32: Float32Array;
  readonly capacity: number;
}

/** Splits a request into batches of at most `capacity` rows (each a view of the request). */
function runInChunks(
  targets: ScoreTargets,
  request: ScorePassRequest,
  base: Base,
  state: { values: Float64Array | undefined },
): void {
  const { d } = targets;
  for (let start = 0; start < request.count; start += base.capacity) {
    const count = Math.min(base.capacity, request.count - start);
    const part = (array: Float64Array | Int32Array | undefined, width: number) =>
      array?.subarray(start * width, (start + count) * width);
    const chunk: ScorePassRequest = {
      ...request,
      x: request.x.subarray(start * d, (start + count) * d),
      count,
      value: part(request.value, 1) as Float64Array | undefined,
      index: part(request.index, 1) as Int32Array | undefined,
      expectations: part(request.expectations, d) as Float64Array | undefined,
      gumbel:
        request.gumbel === undefined
          ? undefined
          : { ...request.gumbel, rowStart: request.gumbel.rowStart + start },
    };
    try {
      runBatch(targets, chunk, base, state);
    } catch (error) {
      // Epsilon too small for the kernels' 32-bit range reduction: the float64 reference.
      if (!InvalidArgumentError.isInstance(error) || error.argumentName !== 'epsilon') throw error;
      typescriptScoreKernel(targets, chunk);
    }
  }
}

/** One batch of at most `capacity` rows. */
function runBatch(
  targets: ScoreTargets,
  request: ScorePassRequest,
  base: Base,
  state: { values: Float64Array | undefined },
): void {
  const { count: m, d } = targets;
  const { x, count, offsets, mode, epsilon } = request;
  const rowsPadded = roundUp(count, PADDING_UNIT);
  const plan: MemoryPlan = { ...base.plan, n: count, nPad: rowsPadded };
  const buffer = base.memory.buffer;
  // The batch into the row region, padded with zero rows; its norms bound |K_ij| for the passes.
  const rows = new Float32Array(buffer, plan.xRows, rowsPadded * d);
  rows.set(x);
  rows.fill(0, count * d);
  let maximumNormX = 0;
  const badRows: number[] = [];
  for (let i = 0; i < count; i += 1) {
    let squared = 0;
    for (let k = i * d; k < (i + 1) * d; k += 1) squared += (rows[k] as number) ** 2;
    if (Number.isFinite(squared)) maximumNormX = Math.max(maximumNormX, Math.sqrt(squared));
    else badRows.push(i);
  }
  const clouds: CloudSummary = { ...base.loaded, badRows, maximumNormX };
  const contextFor = (layout: MemoryPlan) =>
    new KernelContext({
      mode: 'online',
      plan: layout,
      clouds,
      tuning: TUNING,
      memory: base.memory,
      main: base.main,
      pool: base.pool,
      kernelId: base.kernelId,
    });
  const context = contextFor(plan);
  const problem: KernelProblem = {
    x,
    y: base.y32,
    n: count,
    m,
    d,
    mode: 'online',
  } as KernelProblem;
  if (mode === 'argmax') {
    const { value, index, assignmentSums, gumbel } = request;
    const best = new Int32Array(count);
    if (gumbel === undefined || value !== undefined) rowArgmax(context, offsets, best);
    if (value !== undefined) {
      for (let i = 0; i < count; i += 1)
        value[i] = score(targets, x, offsets, i, best[i] as number);
    }
    if (gumbel !== undefined) sampleGumbel(contextFor, plan, problem, request, best);
    if (index !== undefined) index.set(best);
    if (assignmentSums !== undefined) {
      for (let i = 0; i < count; i += 1) {
        const j = best[i] as number;
        assignmentSums[j] = (assignmentSums[j] as number) + 1;
      }
    }
    return;
  }
  const { value, assignmentSums, assignmentSquares, expectations } = request;
  const lse = new Float64Array(count);
  runLogSumExp(context, problem, { side: 'rows', offsets, epsilon, out: lse });
  if (value !== undefined) value.set(lse);
  const negated = lse.map((entry) => -entry);
  const addColumns = (sums: Float64Array, temperature: number) => {
    const { columnSums } = runStatistics(context, problem, {
      rowPotentials: negated,
      columnPotentials: offsets,
      epsilon: temperature,
    });
    for (let j = 0; j < m; j += 1) sums[j] = (sums[j] as number) + (columnSums[j] as number);
  };
  if (assignmentSums !== undefined) addColumns(assignmentSums, epsilon);
  // pi^2 = exp(2 (h_j + K_ij - value_i) / eps): the statistics pass at eps / 2.
  if (assignmentSquares !== undefined) addColumns(assignmentSquares, epsilon / 2);
  if (expectations !== undefined) {
    state.values ??= Float64Array.from(targets.y);
    runConditionalExpectation(context, problem, {
      rows: Int32Array.from({ length: count }, (_, i) => i),
      columnPotentials: offsets,
      epsilon,
      values: state.values,
      width: d,
      out: expectations,
    });
  }
}

/** `row_argmax` over the batch: `out_i = argmax_j (h_j + K_ij)` in float32. */
function rowArgmax(context: KernelContext, offsets: Float64Array, out: Int32Array): void {
  const { plan } = context;
  let top = Number.NEGATIVE_INFINITY;
  for (const entry of offsets) top = Math.max(top, entry);
  // h - max h keeps the float32 offsets small near the maximum (they locate it to float32 accuracy).
  const h32 = new Float32Array(context.buffer, plan.offsets32, plan.mPad);
  for (let j = 0; j < offsets.length; j += 1) h32[j] = (offsets[j] as number) - top;
  h32.fill(Number.NEGATIVE_INFINITY, offsets.length);
  context.run(
    'row_argmax',
    [
      plan.xRows,
      4 * plan.d,
      plan.d,
      plan.yPanels,
      plan.nPad,
      plan.mPad,
      plan.offsets32,
      plan.outShift,
      plan.outSum,
      plan.counter,
      context.tuning.rowGroup,
      context.tuning.columnBlock,
      tileIndex(plan.d),
    ],
    plan.nPad * plan.mPad * (plan.d + 16),
  );
  out.set(new Int32Array(context.buffer, plan.outSum, out.length));
}

/**
 * Gumbel-max by the sampling pass: `argmax_j s_ij / eps + G(seed, rowStart + i, j, draw)`. The
 * pass keys the noise by the row index it also reads the row at, so the row region's base is
 * moved back by `rowStart` rows (i32 arithmetic wraps: `base + (rowStart + i) stride` is row i).
 */
function sampleGumbel(
  contextFor: (layout: MemoryPlan) => KernelContext,
  plan: MemoryPlan,
  problem: KernelProblem,
  request: ScorePassRequest,
  out: Int32Array,
): void {
  const { count, offsets, epsilon } = request;
  const { seed, rowStart, draw } = request.gumbel as NonNullable<ScorePassRequest['gumbel']>;
  const rowBytes = 4 * plan.d;
  const xRows = (((plan.xRows - rowStart * rowBytes) % 2 ** 32) + 2 ** 32) % 2 ** 32;
  runSampleColumns(
    contextFor({ ...plan, xRows }),
    { ...problem, n: rowStart + count },
    {
      rows: Int32Array.from({ length: count }, (_, i) => rowStart + i),
      draws: new Uint32Array(count).fill(draw),
      columnPotentials: offsets,
      epsilon,
      seed,
      out,
    },
  );
}

/** `h_j + <x_i, y_j>` in float64. */
function score(
  targets: ScoreTargets,
  x: Float32Array | Float64Array,
  offsets: Float64Array,
  i: number,
  j: number,
): number {
  const { y, d } = targets;
  let dot = 0;
  for (let k = 0; k < d; k += 1) dot += (x[i * d + k] as number) * (y[j * d + k] as number);
  return (offsets[j] as number) + dot;
}
