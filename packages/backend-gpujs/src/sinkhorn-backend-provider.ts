import type { SinkhornBackendProvider } from '@sinkflow/ot';
import { createGpujsBackend } from './create-gpujs-backend.js';

/**
 * The provider that `backend: 'auto'` of `@sinkflow/ot` loads from this package: `create()`
 * resolves with {@link createGpujsBackend} in its best working mode (webgpu, then headless GL,
 * then webasm, then cpu; the modes passed over and why are in `backend.skipped`), or rejects with
 * a `BackendUnavailableError` when gpu.js (a peer dependency) is not installed.
 *
 * @example
 * ```ts
 * const backend = await sinkhornBackendProvider.create();
 * backend.name; // 'gpujs'
 * ```
 */
export const sinkhornBackendProvider: SinkhornBackendProvider = {
  name: 'gpujs',
  create: () => createGpujsBackend(),
};
