import { BackendUnavailableError } from '@sinkflow/core';
import { firstLine, isModuleNotFound } from './tfjs-module.js';

/** The part of WebGPU's `GPU` object used here. */
interface GpuLike {
  requestAdapter(options?: object): Promise<unknown>;
}

/** The exports of the `webgpu` npm package (Dawn for Node). */
interface WebGpuPackage {
  create(options: string[]): GpuLike;
  globals: Record<string, unknown>;
}

/** `globalThis` as seen by TensorFlow.js's WebGPU backend. */
type GlobalWithNavigator = typeof globalThis & { navigator?: { gpu?: GpuLike } };

/**
 * Makes `navigator.gpu` available, which `@tensorflow/tfjs-backend-webgpu` requires (it registers
 * itself only when `navigator.gpu` exists at import time). Browsers and Deno already have it; in
 * Node it comes from `create([])` of the `webgpu` package (Dawn), whose `globals`
 * (`GPUBufferUsage`, `GPUMapMode`, ...) are copied to `globalThis` where missing. This global
 * installation is the one side effect of the package, and TensorFlow.js demands it.
 *
 * Rejects with an `Error` whose message is the reason WebGPU cannot run here (the `webgpu`
 * package is missing, its native binary does not load, no adapter answers).
 */
export async function provideNavigatorGpu(): Promise<void> {
  const global = globalThis as GlobalWithNavigator;
  const existing = global.navigator?.gpu;
  if (existing !== undefined) {
    await requireAdapter(existing);
    return;
  }
  if (typeof process === 'undefined' || process.versions?.node === undefined) {
    throw new BackendUnavailableError({
      backend: 'tfjs:webgpu',
      message: 'this runtime has no navigator.gpu (WebGPU is not supported or not enabled)',
    });
  }
  let webgpu: WebGpuPackage;
  try {
    // A non-literal specifier: `webgpu` is an optional peer that bundlers must not resolve.
    const specifier: string = 'webgpu';
    webgpu = (await import(specifier)) as WebGpuPackage;
  } catch (error) {
    throw new BackendUnavailableError({
      backend: 'tfjs:webgpu',
      message: describeWebGpuLoadFailure(error),
      cause: error,
    });
  }
  let gpu: GpuLike;
  try {
    gpu = webgpu.create([]);
  } catch (error) {
    throw new BackendUnavailableError({
      backend: 'tfjs:webgpu',
      message: `the 'webgpu' package could not create a GPU instance: ${firstLine(error)}`,
      cause: error,
    });
  }
  await requireAdapter(gpu);
  for (const [name, value] of Object.entries(webgpu.globals ?? {})) {
    if (!(name in globalThis)) {
      Object.defineProperty(globalThis, name, { value, configurable: true, writable: true });
    }
  }
  if (global.navigator === undefined) {
    Object.defineProperty(globalThis, 'navigator', {
      value: { gpu },
      configurable: true,
      writable: true,
    });
  } else {
    Object.defineProperty(global.navigator, 'gpu', { value: gpu, configurable: true });
  }
}

async function requireAdapter(gpu: GpuLike): Promise<void> {
  let adapter: unknown;
  try {
    adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  } catch (error) {
    throw new BackendUnavailableError({
      backend: 'tfjs:webgpu',
      message: `navigator.gpu.requestAdapter() failed: ${firstLine(error)}`,
      cause: error,
    });
  }
  if (adapter === null || adapter === undefined) {
    throw new BackendUnavailableError({
      backend: 'tfjs:webgpu',
      message:
        'navigator.gpu.requestAdapter() found no adapter (no GPU, or no Vulkan / Metal / D3D12 driver)',
    });
  }
}

/**
 * Why `import('webgpu')` failed, in words. The common case on Linux: the prebuilt Dawn binary
 * (`dist/linux-x64.dawn.node`) was linked against a newer libstdc++ than the system's, and
 * `dlopen` reports "version `GLIBCXX_3.4.32' not found (required by ...dawn.node)".
 *
 * @example
 * ```ts
 * describeWebGpuLoadFailure(new Error(
 *   "/lib/x86_64-linux-gnu/libstdc++.so.6: version `GLIBCXX_3.4.32' not found (required by /x/linux-x64.dawn.node)",
 * ));
 * // "the 'webgpu' package's native Dawn binary needs GLIBCXX_3.4.32, which the system's
 * //  libstdc++ (/lib/x86_64-linux-gnu/libstdc++.so.6) lacks: it is too old (...)"
 * ```
 */
export function describeWebGpuLoadFailure(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown } | null)?.code;
  const glibcxx = /^(\S+): version `(GLIBCXX_[0-9.]+)' not found/.exec(message);
  if (glibcxx !== null) {
    return (
      `the 'webgpu' package's native Dawn binary needs ${glibcxx[2]}, which the system's ` +
      `libstdc++ (${glibcxx[1]}) lacks: it is too old (install the libstdc++ of a newer GCC, ` +
      'or use another backend)'
    );
  }
  if (isModuleNotFound(error, 'webgpu')) {
    return "the optional peer 'webgpu' is not installed (npm install webgpu@0.2.9 @tensorflow/tfjs-backend-webgpu@4.22.0)";
  }
  if (code === 'ERR_DLOPEN_FAILED') {
    return `the 'webgpu' package's native Dawn binary did not load: ${firstLine(error)}`;
  }
  return `the 'webgpu' package did not load: ${firstLine(error)}`;
}
