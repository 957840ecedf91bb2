import { BackendUnavailableError } from '@sinkflow/core';
import type { TfjsBackendName, TfjsVariant } from '../tfjs-variant.js';
import { firstLine, isModuleNotFound, type TfModule } from './tfjs-module.js';
import { provideNavigatorGpu } from './webgpu-for-node.js';

/** The TensorFlow.js backend that each variant sets. */
export const variantBackendName: Readonly<Record<TfjsVariant, TfjsBackendName>> = {
  'tfjs-node-gpu': 'tensorflow',
  'tfjs-node': 'tensorflow',
  webgpu: 'webgpu',
  wasm: 'wasm',
  cpu: 'cpu',
};

/** A variant that is now the active TensorFlow.js backend. */
export interface ActiveVariant {
  readonly variant: TfjsVariant;
  readonly backendName: TfjsBackendName;
  /** What it runs on, for the description: `'CUDA'`, `'1 thread, SIMD'`, ... */
  readonly detail: string;
  /**
   * Scores per device block when `rowBlock` is 'auto': cache-sized (2^20, 4 MiB) where tfjs runs
   * on the CPU, 2^24 on a GPU, where each block costs a dozen kernel launches and one download.
   */
  readonly blockEntries: number;
}

/**
 * Loads the packages of one variant and makes its backend the active one (`tf.setBackend`).
 * Rejects with an `Error` whose message is the reason it cannot run; never exits the process
 * and leaves no rejection unobserved.
 */
export async function activateVariant(tf: TfModule, variant: TfjsVariant): Promise<ActiveVariant> {
  const backendName = variantBackendName[variant];
  switch (variant) {
    case 'tfjs-node-gpu':
    case 'tfjs-node': {
      await importOptionalPeer(
        `@tensorflow/${variant}`,
        variant === 'tfjs-node-gpu' ? 'it needs CUDA 11.2 and cuDNN 8.1' : undefined,
      );
      if (!hasFactory(tf, backendName)) {
        throw new BackendUnavailableError({
          backend: `tfjs:${backendName}`,
          message: `'@tensorflow/${variant}' registered no 'tensorflow' backend with this copy of @tensorflow/tfjs-core (pass its tf module as the 'tf' option)`,
        });
      }
      await setBackendQuietly(tf, backendName);
      const usingGpu = (tf.backend() as { isUsingGpuDevice?: boolean }).isUsingGpuDevice === true;
      return {
        variant,
        backendName,
        detail: `${variant}, ${usingGpu ? 'CUDA' : 'TensorFlow on the CPU'}`,
        blockEntries: usingGpu ? 2 ** 24 : 2 ** 22,
      };
    }
    case 'webgpu': {
      // navigator.gpu must exist before the tfjs WebGPU package is imported: it registers its
      // backend only then (and a factory is added below if it was imported earlier).
      await provideNavigatorGpu();
      const webgpu = await importPeer(
        () => import('@tensorflow/tfjs-backend-webgpu'),
        '@tensorflow/tfjs-backend-webgpu',
      );
      if (!hasFactory(tf, backendName)) registerWebGpuFactory(tf, webgpu.WebGPUBackend);
      await setBackendQuietly(tf, backendName);
      const info = (tf.backend() as { adapterInfo?: { vendor?: string; architecture?: string } })
        .adapterInfo;
      const adapter = [info?.vendor, info?.architecture].filter(Boolean).join(' ');
      return {
        variant,
        backendName,
        detail: adapter === '' ? 'WebGPU' : `WebGPU, ${adapter}`,
        blockEntries: 2 ** 24,
      };
    }
    case 'wasm': {
      const wasm = await importPeer(
        () => import('@tensorflow/tfjs-backend-wasm'),
        '@tensorflow/tfjs-backend-wasm',
      );
      const directory = await wasmDirectory();
      if (directory !== undefined) {
        try {
          wasm.setWasmPaths(directory);
        } catch {
          // Throws only once an initialisation was aborted; setBackend below reports it.
        }
      }
      await setBackendQuietly(tf, backendName);
      const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
      const threads = wasm.getThreadsCount();
      return {
        variant,
        backendName,
        detail: `XNNPACK, ${threads} thread${threads === 1 ? '' : 's'}${simd === true ? ', SIMD' : ''}`,
        blockEntries: 2 ** 20,
      };
    }
    case 'cpu': {
      await importPeer(
        () => import('@tensorflow/tfjs-backend-cpu'),
        '@tensorflow/tfjs-backend-cpu',
      );
      await setBackendQuietly(tf, backendName);
      return { variant, backendName, detail: 'plain JavaScript', blockEntries: 2 ** 20 };
    }
  }
}

function hasFactory(tf: TfModule, name: string): boolean {
  return (tf.findBackendFactory(name) as unknown) != null;
}

/**
 * `tf.setBackend(name)` with TensorFlow.js's production mode held for the call, so that a failed
 * initialisation (and the cpu backend's "looks like you are running TensorFlow.js in Node" notice,
 * shown at its first tensor) are not printed; the failure becomes the rejection's reason.
 */
async function setBackendQuietly(tf: TfModule, name: TfjsBackendName): Promise<void> {
  const environment = tf.env();
  const production = environment.getBool('PROD');
  environment.set('PROD', true);
  try {
    let ready: boolean;
    try {
      ready = await tf.setBackend(name);
    } catch (error) {
      throw new BackendUnavailableError({
        backend: `tfjs:${name}`,
        message: `tf.setBackend('${name}') failed: ${reasonOf(error)}`,
        cause: error,
      });
    }
    if (!ready) {
      throw new BackendUnavailableError({
        backend: `tfjs:${name}`,
        message: `tf.setBackend('${name}') could not initialise the backend`,
      });
    }
    tf.dispose(tf.scalar(0));
  } finally {
    environment.set('PROD', production);
  }
}

/** Imports an optional peer by a non-literal specifier (bundlers and tsc must not resolve it). */
async function importOptionalPeer(specifier: string, note: string | undefined): Promise<void> {
  try {
    await import(specifier);
  } catch (error) {
    throw new BackendUnavailableError({
      backend: 'tfjs',
      message: describeImportFailure(error, specifier, note),
      cause: error,
    });
  }
}

async function importPeer<T>(load: () => Promise<T>, name: string): Promise<T> {
  try {
    return await load();
  } catch (error) {
    throw new BackendUnavailableError({
      backend: 'tfjs',
      message: describeImportFailure(error, name, undefined),
      cause: error,
    });
  }
}

function describeImportFailure(error: unknown, name: string, note: string | undefined): string {
  const message = firstLine(error);
  if (isModuleNotFound(error, name)) {
    const extra = note === undefined ? '' : `; ${note}`;
    return `'${name}' is not installed (an optional peer: npm install ${name}@4.22.0${extra})`;
  }
  return `'${name}' did not load: ${message}`;
}

/** The `dist/` folder of `@tensorflow/tfjs-backend-wasm` in Node (its `.wasm` files), else undefined. */
async function wasmDirectory(): Promise<string | undefined> {
  if (typeof process === 'undefined' || process.versions?.node === undefined) return undefined;
  const { createRequire } = await import('node:module');
  const { dirname, join, sep } = await import('node:path');
  const manifest = createRequire(import.meta.url).resolve(
    '@tensorflow/tfjs-backend-wasm/package.json',
  );
  return `${join(dirname(manifest), 'dist')}${sep}`;
}

/** What the WebGPU backend factory needs of `navigator.gpu`. */
interface GpuAdapterLike {
  readonly limits: Record<string, number>;
  readonly info?: unknown;
  requestDevice(descriptor: object): Promise<unknown>;
}

/**
 * Registers the `webgpu` factory as `@tensorflow/tfjs-backend-webgpu` does at import time (for
 * when it was imported before `navigator.gpu` existed): the high-performance adapter, a device
 * with the adapter's buffer and workgroup limits.
 */
function registerWebGpuFactory(tf: TfModule, WebGpuBackend: unknown): void {
  const Backend = WebGpuBackend as new (device: unknown, adapterInfo?: unknown) => unknown;
  const navigatorGpu = (
    globalThis as { navigator?: { gpu?: { requestAdapter(o: object): Promise<unknown> } } }
  ).navigator?.gpu;
  tf.registerBackend(
    'webgpu',
    async () => {
      const adapter = (await navigatorGpu?.requestAdapter({
        powerPreference: 'high-performance',
      })) as GpuAdapterLike | null | undefined;
      if (adapter == null) {
        throw new BackendUnavailableError({ backend: 'tfjs:webgpu', message: 'no WebGPU adapter' });
      }
      const limit = (name: string) => adapter.limits[name];
      const device = await adapter.requestDevice({
        requiredLimits: Object.fromEntries(
          [
            'maxComputeWorkgroupStorageSize',
            'maxComputeWorkgroupsPerDimension',
            'maxStorageBufferBindingSize',
            'maxBufferSize',
            'maxComputeWorkgroupSizeX',
            'maxComputeInvocationsPerWorkgroup',
          ].map((name) => [name, limit(name)]),
        ),
      });
      return new Backend(device, adapter.info) as ReturnType<
        Parameters<TfModule['registerBackend']>[1]
      >;
    },
    3,
  );
}

/** The first line of a failure, without a `BackendUnavailableError`'s backend prefix. */
function reasonOf(error: unknown): string {
  return BackendUnavailableError.isInstance(error) ? firstLine(error.reason) : firstLine(error);
}
