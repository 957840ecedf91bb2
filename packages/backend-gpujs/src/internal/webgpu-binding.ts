import { firstLine } from './gpujs-module.js';

/** The part of the `webgpu` package (Dawn for Node) that is used: `create` and its globals. */
interface DawnBinding {
  create(flags: readonly string[]): unknown;
  globals: Record<string, unknown>;
}

let installing: Promise<string | undefined> | undefined;

/**
 * Makes `navigator.gpu` available for gpu.js's `webgpu` mode. Browsers (and Deno) have it; in
 * Node it comes from the `webgpu` package (a dependency of gpu.js): its Dawn binary is loaded,
 * its globals (`GPUBufferUsage`, ...) are copied onto `globalThis` where absent and
 * `navigator.gpu = create([])` is installed. This global side effect happens only when the
 * `webgpu` mode is probed, never on import.
 *
 * Resolves with `undefined` when `navigator.gpu` is there, else with the reason it is not
 * (never rejects). The usual reason on older Linux distributions: the prebuilt Dawn binary needs
 * a newer libstdc++ (`GLIBCXX_3.4.32`, GCC 13) than the system has.
 */
export function installNavigatorGpu(): Promise<string | undefined> {
  installing ??= install().catch((error: unknown) => `WebGPU setup failed: ${firstLine(error)}`);
  return installing;
}

async function install(): Promise<string | undefined> {
  if (navigatorGpu() !== undefined) return undefined;
  const node = (globalThis as { process?: { versions?: { node?: string } } }).process?.versions
    ?.node;
  if (node === undefined) return 'this runtime has no navigator.gpu (WebGPU)';
  const path = await resolveWebgpuPackage();
  if (path === undefined) {
    return "the 'webgpu' package (Dawn for Node, a dependency of gpu.js) is not installed";
  }
  let binding: DawnBinding;
  try {
    const { pathToFileURL } = await import('node:url');
    binding = (await import(/* @vite-ignore */ pathToFileURL(path).href)) as DawnBinding;
  } catch (error) {
    return describeDawnLoadError(error);
  }
  for (const [name, value] of Object.entries(binding.globals)) {
    if (!(name in globalThis)) (globalThis as Record<string, unknown>)[name] = value;
  }
  const gpu = binding.create([]);
  const scope = globalThis as { navigator?: object };
  if (scope.navigator === undefined) {
    Object.defineProperty(globalThis, 'navigator', {
      value: { gpu },
      configurable: true,
      writable: true,
    });
  } else {
    Object.defineProperty(scope.navigator, 'gpu', { value: gpu, configurable: true });
  }
  return undefined;
}

function navigatorGpu(): unknown {
  return (globalThis as { navigator?: { gpu?: unknown } }).navigator?.gpu;
}

/** The `webgpu` package's entry, resolved beside gpu.js (its dependency), else beside us. */
async function resolveWebgpuPackage(): Promise<string | undefined> {
  try {
    const { createRequire } = await import('node:module');
    const require = createRequire(import.meta.url);
    try {
      return createRequire(require.resolve('gpu.js')).resolve('webgpu');
    } catch {
      return require.resolve('webgpu');
    }
  } catch {
    return undefined;
  }
}

/**
 * Turns the loader's error into advice. A missing versioned symbol reads
 * `/lib/x86_64-linux-gnu/libstdc++.so.6: version 'GLIBCXX_3.4.32' not found (required by .../linux-x64.dawn.node)`.
 */
export function describeDawnLoadError(error: unknown): string {
  const message = firstLine(error);
  const symbol = /GLIBCXX_[0-9.]+/.exec(message)?.[0];
  if (symbol !== undefined) {
    const library = /^([^:]*libstdc\+\+[^:]*):/.exec(message)?.[1] ?? 'libstdc++';
    return (
      `the 'webgpu' package's Dawn binary needs ${symbol}, which this system's libstdc++ ` +
      `(${library}) lacks: install a newer libstdc++ (GCC 13 or later) or put one on LD_LIBRARY_PATH`
    );
  }
  return `the 'webgpu' package's Dawn binary did not load: ${message}`;
}
