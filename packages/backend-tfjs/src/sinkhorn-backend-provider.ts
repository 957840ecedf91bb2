import type { SinkhornBackendProvider } from '@sinkflow/ot';
import { createTfjsBackend, type TfjsSinkhornBackend } from './create-tfjs-backend.js';

/**
 * A {@link SinkhornBackendProvider} whose backends carry the tfjs details (`tfjsBackend`,
 * `variant`, `skipped`).
 *
 * @example
 * ```ts
 * const provider: TfjsBackendProvider = sinkhornBackendProvider;
 * (await provider.create()).skipped; // [{ variant: 'tfjs-node-gpu', reason: '...' }, ...]
 * ```
 */
export interface TfjsBackendProvider extends SinkhornBackendProvider {
  readonly name: 'tfjs';
  create(): Promise<TfjsSinkhornBackend>;
}

/**
 * The provider of the `tfjs` backend for the automatic backend choice (`backend: 'auto'` of the
 * engine): `create()` resolves with `createTfjsBackend({ backend: 'auto' })`, the best TensorFlow.js
 * variant that works here (tfjs-node-gpu, tfjs-node, WebGPU, wasm, cpu, in that order; the
 * returned backend's `skipped` and `description` say why faster ones were passed over), or
 * rejects with a `BackendUnavailableError` naming each variant's reason. It never throws
 * synchronously and leaves no rejection unhandled.
 *
 * @example
 * ```ts
 * const backend = await sinkhornBackendProvider.create();
 * backend.name; // 'tfjs'
 * backend.description; // "tfjs on wasm (XNNPACK, 1 thread, SIMD); skipped tfjs-node-gpu: ..."
 * ```
 */
export const sinkhornBackendProvider: TfjsBackendProvider = {
  name: 'tfjs',
  create: () => createTfjsBackend(),
};
