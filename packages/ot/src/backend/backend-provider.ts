import type { SinkhornBackend } from './sinkhorn-backend.js';

/**
 * A way to create one kind of {@link SinkhornBackend}, for the automatic backend choice
 * (`backend: 'auto'`). Backend packages (`@sinkflow/backend-tfjs`, `@sinkflow/backend-gpujs`)
 * export one as `sinkhornBackendProvider`; `@sinkflow/ot` has providers for its `js` and `wasm`
 * backends.
 *
 * `create` resolves with a ready backend (its best mode on this machine: CUDA before WebGPU
 * before wasm before cpu, say) or rejects with a `BackendUnavailableError` (from
 * `@sinkflow/core`) that says what is missing. It may be slow (it can load native bindings or
 * ask for a GPU adapter) but it must not throw synchronously.
 *
 * @example
 * ```ts
 * export const sinkhornBackendProvider: SinkhornBackendProvider = {
 *   name: 'tfjs',
 *   create: async () => createTfjsBackend(),
 * };
 * ```
 */
export interface SinkhornBackendProvider {
  /** The name of the backends it creates (`backend.name`), used by `backend: 'name'`. */
  readonly name: string;
  /** Creates the backend, or rejects with a `BackendUnavailableError` explaining why it cannot. */
  create(): Promise<SinkhornBackend>;
}
