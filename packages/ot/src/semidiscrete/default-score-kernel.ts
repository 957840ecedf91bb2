import {
  type ScoreKernel,
  type ScoreKernelProvider,
  type ScoreTargets,
  typescriptScoreKernel,
} from './semidiscrete-score-pass.js';
import {
  prepareWasmScoreKernel,
  prepareWasmScoreKernelSync,
  wasmScoreKernelSupported,
} from './wasm-score-kernel.js';

/**
 * The default score kernel of the semidiscrete solver [mousavi2025semidiscrete]: the WebAssembly
 * SIMD kernels on all available threads where this host has WebAssembly and shared memory
 * (`prepareWasmScoreKernel`), else the float64 TypeScript reference.
 *
 * @example
 * ```ts
 * const prepared = await defaultScoreKernel.prepare(target, 4096);
 * ```
 */
export const defaultScoreKernel: ScoreKernelProvider = {
  prepare: async (targets: ScoreTargets, capacity: number) =>
    wasmScoreKernelSupported()
      ? prepareWasmScoreKernel(targets, { capacity })
      : { kernel: typescriptScoreKernel, dispose: async () => {} },
};

/** The synchronous kernels of {@link synchronousScoreKernel}, per targets (freed with them). */
const synchronousKernels = new WeakMap<ScoreTargets, ScoreKernel>();

/** Rows per batch of the synchronous kernel. */
const SYNCHRONOUS_CAPACITY = 4096;
/**
 * Below this many `rows x N x (d + 16)` the reference is faster than preparing a wasm memory
 * (about a millisecond: the memory, the copy of the points, the instance), as for the backend's
 * threads.
 */
const SYNCHRONOUS_THRESHOLD = 2 ** 21;

/**
 * The default {@link ScoreKernel} of synchronous callers (`samplePartners`): the wasm SIMD kernels
 * on the calling thread (no workers: starting them is asynchronous), prepared at the first pass
 * over a set of targets and kept for it; the float64 TypeScript reference for small passes (below
 * 2^21 rows x N x (d + 16)) and where the host has no WebAssembly with shared memory or refuses to
 * compile it synchronously.
 *
 * @example
 * ```ts
 * synchronousScoreKernel(target, { x, count, offsets, mode: 'argmax', epsilon: 0, index });
 * ```
 */
export const synchronousScoreKernel: ScoreKernel = (targets, request) => {
  let kernel = synchronousKernels.get(targets);
  if (kernel === undefined) {
    const capacity = Math.min(Math.max(request.count, 1), SYNCHRONOUS_CAPACITY);
    const large = request.count * targets.count * (targets.d + 16) >= SYNCHRONOUS_THRESHOLD;
    kernel =
      (large && wasmScoreKernelSupported()
        ? prepareWasmScoreKernelSync(targets, { capacity })?.kernel
        : undefined) ?? typescriptScoreKernel;
    synchronousKernels.set(targets, kernel);
  }
  kernel(targets, request);
};
