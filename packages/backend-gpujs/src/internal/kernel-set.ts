import { BackendUnavailableError, DisposedError } from '@sinkflow/core';
import type { GpujsMode } from '../gpujs-mode.js';
import type {
  GpujsInstance,
  GpujsKernelRun,
  GpujsKernelSettings,
  GpujsModule,
  GpujsOutput,
} from './gpujs-module.js';

/** One call of a kernel function: its output shape, argument types and values. */
export interface KernelCall {
  /** Names the kernel in errors and, with the sizes, in the cache of compiled kernels. */
  readonly name: string;
  readonly source: { toString(): string };
  /** `[x]`, `[x, y]` or `[x, y, z]`; the result nests as `[z][y][x]`. */
  readonly output: readonly number[];
  readonly argumentTypes: GpujsKernelSettings['argumentTypes'];
  /** The longest loop of the kernel: gpu.js stops loops silently after this many iterations. */
  readonly loopMaxIterations: number;
  readonly args: readonly (Float32Array | number)[];
}

/** The kernels of one prepared problem, on one gpu.js `GPU` instance. */
export interface KernelSet {
  /** Runs a kernel (compiled on first use for its sizes) and resolves with its output. */
  run(call: KernelCall): Promise<GpujsOutput>;
  /** Destroys the kernels and the `GPU` instance (worker pools, GL contexts, GPU buffers). */
  destroy(): Promise<void>;
}

/**
 * Creates the kernel set of one prepared problem. Kernels are created lazily and cached by name,
 * output shape and argument sizes (gpu.js compiles one program per size signature; callers pad
 * their blocks so that a pass reuses one). After every call the set checks that gpu.js really ran
 * the kernel in `mode`: gpu.js silently swaps in a cpu kernel for what a mode cannot compile.
 *
 * `threads` sizes the webasm worker pool: 1 runs synchronously on the calling thread; more runs
 * gpu.js's asynchronous contract, which splits outputs of 4096 cells or more across workers.
 */
export function createKernelSet({
  gpujs,
  mode,
  threads,
}: {
  gpujs: GpujsModule;
  mode: GpujsMode;
  threads: number | undefined;
}): KernelSet {
  let gpu: GpujsInstance | undefined = new gpujs.GPU({ mode });
  const kernels = new Map<string, GpujsKernelRun>();
  const asyncMode = mode === 'webgpu' || (mode === 'webasm' && threads !== 1);

  const kernelFor = (call: KernelCall): GpujsKernelRun => {
    if (gpu === undefined)
      throw new DisposedError({ functionName: 'createGpujsBackend', resource: 'kernel' });
    const sizes = call.args.map((arg) => (typeof arg === 'number' ? 's' : arg.length)).join(',');
    const key = `${call.name}|${call.output.join('x')}|${call.loopMaxIterations}|${sizes}`;
    let kernel = kernels.get(key);
    if (kernel === undefined) {
      kernel = gpu.createKernel(call.source.toString(), {
        output: call.output,
        argumentTypes: call.argumentTypes,
        loopMaxIterations: call.loopMaxIterations,
        precision: 'single',
        tactic: 'precision',
        asyncMode,
        ...(mode === 'webasm' && threads !== undefined ? { poolSize: threads } : {}),
      });
      kernels.set(key, kernel);
    }
    return kernel;
  };

  return {
    async run(call) {
      const kernel = kernelFor(call);
      const result = await kernel(...call.args);
      const ran = kernel.kernel.constructor.mode;
      if (ran !== kernelClassMode(mode)) {
        throw new BackendUnavailableError({
          backend: `gpujs:${mode}`,
          message:
            `gpu.js ran the '${call.name}' kernel in mode '${ran}' instead of '${mode}'` +
            ` (${kernel.kernel.fallbackReason ?? 'no reason given'})`,
        });
      }
      return result;
    },
    async destroy() {
      const instance = gpu;
      gpu = undefined;
      kernels.clear();
      await instance?.destroy();
    },
  };
}

/** What gpu.js's kernel classes call a mode: its GL kernels (WebGL, headless GL) say `'gpu'`. */
export function kernelClassMode(mode: GpujsMode): string {
  return mode === 'webgpu' || mode === 'webasm' || mode === 'cpu' ? mode : 'gpu';
}
