import {
  type ScoreKernelProvider,
  type ScoreTargets,
  typescriptScoreKernel,
} from './semidiscrete-score-pass.js';
import { prepareWasmScoreKernel, wasmScoreKernelSupported } from './wasm-score-kernel.js';

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
