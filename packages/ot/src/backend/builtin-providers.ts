import { BackendUnavailableError } from '@sinkflow/core';
import type { SinkhornBackendProvider } from './backend-provider.js';
import { wasmBackendSupported } from './default-backend.js';
import { createJsBackend } from './js/create-js-backend.js';
import { createWasmBackend } from './wasm/create-wasm-backend.js';

/**
 * The provider of the float64 TypeScript reference backend (`'js'`): available everywhere.
 *
 * @example
 * ```ts
 * (await jsBackendProvider.create()).name; // 'js'
 * ```
 */
export const jsBackendProvider: SinkhornBackendProvider = {
  name: 'js',
  create: async () => createJsBackend(),
};

/**
 * The provider of the WebAssembly SIMD backend (`'wasm'`); rejects with a
 * `BackendUnavailableError` where the runtime lacks WebAssembly SIMD128 or shared memory.
 *
 * @example
 * ```ts
 * (await wasmBackendProvider.create()).name; // 'wasm' in Node 20+ and current browsers
 * ```
 */
export const wasmBackendProvider: SinkhornBackendProvider = {
  name: 'wasm',
  create: async () => {
    if (!wasmBackendSupported()) {
      throw new BackendUnavailableError({
        backend: 'wasm',
        message:
          'this runtime lacks WebAssembly SIMD128 or shared memory with atomics (Node 20+ and current browsers have them)',
      });
    }
    return createWasmBackend();
  },
};
