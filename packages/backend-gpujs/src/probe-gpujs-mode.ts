import { InvalidArgumentError } from '@sinkflow/core';
import { GPUJS_MODES, type GpujsMode, type GpujsModeProbe } from './gpujs-mode.js';
import { firstLine, type GpujsConstructor, loadGpujs } from './internal/gpujs-module.js';
import { smokeKernel } from './internal/kernel-functions.js';
import { kernelClassMode } from './internal/kernel-set.js';
import { installNavigatorGpu } from './internal/webgpu-binding.js';
import { withTimeout } from './internal/with-timeout.js';

/** Options of {@link probeGpujsMode}. */
export interface ProbeGpujsModeOptions {
  /** The gpu.js mode to try. */
  readonly mode: GpujsMode;
  /**
   * Milliseconds to wait for an answer (loading a native binary, asking for a WebGPU adapter,
   * compiling and running a test kernel) before the mode counts as unavailable.
   * @default 10000
   */
  readonly timeout?: number;
}

/**
 * Finds out whether gpu.js [gpujs2016] can run kernels in one mode here: the mode's own check
 * (`webgpu`: the `webgpu` package's Dawn binary loads and `navigator.gpu.requestAdapter()`
 * answers; `headlessgl`: the optional `gl` package creates a context; `webasm`: WebAssembly
 * exists), then a test kernel that must run in that very mode (gpu.js silently falls back to
 * `cpu` for what a mode cannot run) and return `2 v + exp(0)` for a few `v`.
 *
 * Safe to call anywhere: it never throws for an unavailable mode, never leaves an unhandled
 * rejection and gives up after `timeout` ms. Probing `webgpu` in Node installs `navigator.gpu`
 * from the `webgpu` package when its binary loads (a global side effect gpu.js needs).
 *
 * @throws {@link InvalidArgumentError} naming `options.mode` or `options.timeout` (as a rejection).
 * @example
 * ```ts
 * await probeGpujsMode({ mode: 'webasm' }); // { mode: 'webasm', available: true }
 * await probeGpujsMode({ mode: 'webgpu' });
 * // on a system with an old libstdc++: { mode: 'webgpu', available: false,
 * //   reason: "the 'webgpu' package's Dawn binary needs GLIBCXX_3.4.32, which this system's libstdc++ ... lacks: ..." }
 * ```
 */
export async function probeGpujsMode({
  mode,
  timeout = 10_000,
}: ProbeGpujsModeOptions): Promise<GpujsModeProbe> {
  const functionName = 'probeGpujsMode';
  if (!GPUJS_MODES.includes(mode)) {
    throw new InvalidArgumentError({
      functionName,
      argumentName: 'options.mode',
      message: `must be one of ${GPUJS_MODES.map((name) => `'${name}'`).join(', ')}`,
      value: mode,
    });
  }
  if (!(timeout > 0)) {
    throw new InvalidArgumentError({
      functionName,
      argumentName: 'options.timeout',
      message: 'must be a positive number of milliseconds',
      value: timeout,
    });
  }
  let reason: string | undefined;
  try {
    reason = await withTimeout(
      checkMode(mode),
      timeout,
      `no answer within ${timeout} ms (raise options.timeout if the machine is slow)`,
    );
  } catch (error) {
    reason = firstLine(error);
  }
  return reason === undefined ? { mode, available: true } : { mode, available: false, reason };
}

/** Resolves with the reason `mode` cannot run, or `undefined` when it can. */
async function checkMode(mode: GpujsMode): Promise<string | undefined> {
  const gpujs = await loadGpujs();
  if (typeof gpujs === 'string') return gpujs;
  const { GPU } = gpujs;
  switch (mode) {
    case 'webgpu': {
      const missing = await installNavigatorGpu();
      if (missing !== undefined) return missing;
      if (!(await GPU.isWebGPUAvailable())) {
        return 'navigator.gpu is there but no WebGPU adapter answered (no usable GPU or driver)';
      }
      break;
    }
    case 'headlessgl':
      if (!GPU.isHeadlessGLSupported) return await diagnoseHeadlessGl();
      break;
    case 'webasm':
      if (!GPU.isWebAssemblySupported) return 'this runtime has no WebAssembly';
      break;
    case 'cpu':
      break;
  }
  return runSmokeKernel(GPU, mode);
}

/** Runs {@link smokeKernel} in `mode` and checks where and what it computed. */
async function runSmokeKernel(GPU: GpujsConstructor, mode: GpujsMode): Promise<string | undefined> {
  const gpu = new GPU({ mode });
  try {
    const kernel = gpu.createKernel(smokeKernel.toString(), {
      output: [4],
      argumentTypes: { values: 'Array' },
      loopMaxIterations: 1,
      precision: 'single',
      tactic: 'precision',
      asyncMode: mode === 'webgpu',
    });
    const result = (await kernel(Float32Array.of(1, 2, 3, 4))) as Float32Array;
    const ran = kernel.kernel.constructor.mode;
    if (ran !== kernelClassMode(mode)) {
      return `gpu.js ran a test kernel in mode '${ran}' instead (${kernel.kernel.fallbackReason ?? 'no reason given'})`;
    }
    const expected = [3, 5, 7, 9];
    if (!expected.every((value, index) => Math.abs((result[index] ?? Number.NaN) - value) < 1e-5)) {
      return `a test kernel returned [${Array.from(result).join(', ')}] instead of [3, 5, 7, 9]`;
    }
    return undefined;
  } finally {
    await gpu.destroy().catch(() => undefined);
  }
}

/** Why gpu.js's headless GL check failed: usually the `gl` package's native addon is not built. */
async function diagnoseHeadlessGl(): Promise<string> {
  try {
    const { createRequire } = await import('node:module');
    const require = createRequire(import.meta.url);
    createRequire(require.resolve('gpu.js'))('gl');
  } catch (error) {
    const message = firstLine(error);
    if (/Could not locate the bindings file/.test(message)) {
      return (
        "the optional 'gl' package (headless WebGL, a dependency of gpu.js) has no native addon: " +
        "its install script never built it (pnpm runs dependencies' build scripts only when " +
        'allowed, e.g. by onlyBuiltDependencies; node-gyp then needs python3, make, g++ and the ' +
        'X11/GL headers)'
      );
    }
    return `the optional 'gl' package (headless WebGL, a dependency of gpu.js) did not load: ${message}`;
  }
  return "the 'gl' package loaded but created no WebGL context with float textures (no display or GL driver)";
}
