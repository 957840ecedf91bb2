/**
 * The part of gpu.js (a CommonJS peer dependency) that this package uses, typed here so that the
 * public types never mention gpu.js and the package can be imported where it is not installed.
 */

/** Settings of `gpu.createKernel` that the backend sets. */
export interface GpujsKernelSettings {
  readonly output: readonly number[];
  readonly argumentTypes: Readonly<Record<string, 'Array' | 'Integer' | 'Float'>>;
  readonly loopMaxIterations: number;
  readonly precision: 'single';
  readonly tactic: 'precision';
  readonly asyncMode: boolean;
  readonly poolSize?: number;
}

/** A value a kernel returns: one float per cell, nested by output dimension (z, y, x). */
export type GpujsOutput =
  | Float32Array
  | readonly Float32Array[]
  | readonly (readonly Float32Array[])[];

/** The callable a kernel is (`kernel(...args)`), with the kernel that actually runs. */
export interface GpujsKernelRun {
  (...args: readonly unknown[]): GpujsOutput | Promise<GpujsOutput>;
  /** The backend kernel that ran last; gpu.js swaps it for a cpu one when it falls back. */
  readonly kernel: {
    readonly constructor: { readonly mode: string };
    readonly fallbackReason?: string;
  };
}

/** A gpu.js `GPU` instance. */
export interface GpujsInstance {
  createKernel(source: string, settings: GpujsKernelSettings): GpujsKernelRun;
  destroy(): Promise<void>;
}

/** The `GPU` class with the feature checks the probes read. */
export interface GpujsConstructor {
  new (settings: { readonly mode: string }): GpujsInstance;
  readonly isHeadlessGLSupported: boolean;
  readonly isWebAssemblySupported: boolean;
  readonly isWebGPUSupported: boolean;
  isWebGPUAvailable(): Promise<boolean>;
}

/** The gpu.js module. */
export interface GpujsModule {
  readonly GPU: GpujsConstructor;
}

let loading: Promise<GpujsModule | string> | undefined;

/**
 * Imports gpu.js once. Resolves with the module, or with the reason it could not be imported
 * (never rejects). A dynamic import keeps gpu.js out of the bundle (it is a peer dependency) and
 * lets `@sinkflow/backend-gpujs` load where gpu.js is missing; gpu.js is CommonJS, so its exports
 * are the `default` export of the namespace in Node (and, depending on the bundler, also named).
 */
export function loadGpujs(): Promise<GpujsModule | string> {
  loading ??= import('gpu.js').then(
    (namespace: unknown) => {
      const exports = namespace as { GPU?: unknown; default?: { GPU?: unknown } };
      const GPU = exports.GPU ?? exports.default?.GPU;
      if (typeof GPU !== 'function') return "the module 'gpu.js' has no GPU export";
      return { GPU: GPU as GpujsConstructor };
    },
    (error: unknown) =>
      `the peer dependency 'gpu.js' (2.24.1) could not be imported: ${firstLine(error)}`,
  );
  return loading;
}

/** The first line of an error's message: native loaders print long lists of tried paths. */
export function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0]?.trim() ?? message;
}
