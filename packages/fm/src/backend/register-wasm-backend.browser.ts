import * as tf from '@tensorflow/tfjs';

/**
 * @internal In a browser the page registers TensorFlow.js's WebAssembly backend itself (an
 * optional peer must not be a bundling requirement): `import '@tensorflow/tfjs-backend-wasm'` and
 * call its `setWasmPaths` where the page serves the `.wasm` files. Throws, with that advice, when
 * it has not.
 */
export async function registerWasmBackend(): Promise<void> {
  if (tf.findBackendFactory('wasm') === undefined) {
    throw new Error(
      "not registered: import '@tensorflow/tfjs-backend-wasm' in the page (and call its setWasmPaths)",
    );
  }
}
