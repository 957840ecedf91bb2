import { createJsBackend } from './js/create-js-backend.js';
import type { SinkhornBackend } from './sinkhorn-backend.js';
import { createWasmBackend } from './wasm/create-wasm-backend.js';

/**
 * The backend used when none is given: the WebAssembly SIMD backend where the runtime has what it
 * needs (a shared WebAssembly memory, SIMD128 and atomics: Node 20+ and current browsers; threads
 * in Node, and in browsers on a cross-origin isolated page), else the TypeScript reference backend.
 *
 * @example
 * ```ts
 * defaultBackend().name; // 'wasm' in Node 20+ and current browsers, 'js' elsewhere
 * ```
 */
export function defaultBackend(): SinkhornBackend {
  return wasmBackendSupported() ? createWasmBackend() : createJsBackend();
}

/**
 * True when WebAssembly accepts a module that uses SIMD128 and a shared memory with atomics (the
 * features of the wasm kernels) and can create such a memory: Node 20+, and browsers with
 * WebAssembly SIMD (Chrome 91, Firefox 89, Safari 16.4), cross-origin isolated or not (the
 * kernels then run on one thread).
 *
 * @example
 * ```ts
 * wasmBackendSupported(); // true in Node 20+
 * ```
 */
export function wasmBackendSupported(): boolean {
  // lib ES2023 does not declare WebAssembly: reach it through globalThis with the members used.
  const wasm = (
    globalThis as {
      WebAssembly?: {
        validate(bytes: Uint8Array): boolean;
        Memory: new (descriptor: { initial: number; maximum: number; shared: boolean }) => unknown;
      };
    }
  ).WebAssembly;
  if (wasm === undefined) return false;
  try {
    new wasm.Memory({ initial: 1, maximum: 1, shared: true });
    // (module (memory 1 1 shared) (func (result v128) v128.const i32x4 0 0 0 0)
    //   (func (result i32) i32.const 0 i32.atomic.load))
    // Assembled with wabt (parseWat with simd and threads enabled).
    const probe = new Uint8Array([
      0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x09, 0x02, 0x60, 0x00, 0x01, 0x7b,
      0x60, 0x00, 0x01, 0x7f, 0x03, 0x03, 0x02, 0x00, 0x01, 0x05, 0x04, 0x01, 0x03, 0x01, 0x01,
      0x0a, 0x1f, 0x02, 0x14, 0x00, 0xfd, 0x0c, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
      0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x0b, 0x08, 0x00, 0x41, 0x00, 0xfe, 0x10,
      0x02, 0x00, 0x0b,
    ]);
    return wasm.validate(probe);
  } catch {
    return false;
  }
}
