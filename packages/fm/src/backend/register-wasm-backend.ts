/**
 * @internal Registers TensorFlow.js's WebAssembly backend (`@tensorflow/tfjs-backend-wasm`, an
 * optional peer) and points it at the `.wasm` files of its own `dist/` folder, so Node loads them
 * from disk (no network). The browser build (`register-wasm-backend.browser.ts`) leaves both to
 * the page.
 */
export async function registerWasmBackend(): Promise<void> {
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  wasm.setWasmPaths(await wasmDirectory());
}

/** The `dist/` folder of `@tensorflow/tfjs-backend-wasm`, as a path ending in `/` (Node). */
async function wasmDirectory(): Promise<string> {
  const { createRequire } = await import('node:module');
  const { dirname, join, sep } = await import('node:path');
  const manifest = createRequire(import.meta.url).resolve(
    '@tensorflow/tfjs-backend-wasm/package.json',
  );
  return `${join(dirname(manifest), 'dist')}${sep}`;
}
