/**
 * A TensorFlow.js backend as this package probes it, fastest first: `@tensorflow/tfjs-node-gpu`
 * (TensorFlow's C library with CUDA), `@tensorflow/tfjs-node` (TensorFlow on the CPU), `webgpu`
 * (`@tensorflow/tfjs-backend-webgpu`, in Node on Dawn through the `webgpu` package), `wasm`
 * (`@tensorflow/tfjs-backend-wasm`, XNNPACK) and `cpu` (`@tensorflow/tfjs-backend-cpu`, plain
 * JavaScript) [smilkov2019].
 *
 * @example
 * ```ts
 * const order: TfjsVariant[] = ['tfjs-node-gpu', 'tfjs-node', 'webgpu', 'wasm', 'cpu'];
 * ```
 */
export type TfjsVariant = 'tfjs-node-gpu' | 'tfjs-node' | 'webgpu' | 'wasm' | 'cpu';

/**
 * The name TensorFlow.js gives the active backend (`tf.getBackend()`): both tfjs-node packages
 * register `'tensorflow'`.
 *
 * @example
 * ```ts
 * const name: TfjsBackendName = 'wasm';
 * ```
 */
export type TfjsBackendName = 'tensorflow' | 'webgpu' | 'wasm' | 'cpu';

/**
 * A variant that the automatic choice tried and skipped, with the reason (one line: a missing
 * optional peer, a native binary that does not load, no GPU adapter).
 *
 * @example
 * ```ts
 * const skipped: TfjsSkippedVariant = {
 *   variant: 'tfjs-node',
 *   reason: "'@tensorflow/tfjs-node' is not installed (an optional peer: npm install @tensorflow/tfjs-node@4.22.0)",
 * };
 * ```
 */
export interface TfjsSkippedVariant {
  readonly variant: TfjsVariant;
  readonly reason: string;
}
