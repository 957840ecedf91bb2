export type {
  GpujsBackend,
  GpujsBackendOptions,
  GpujsSkippedMode,
} from './create-gpujs-backend.js';
export { createGpujsBackend } from './create-gpujs-backend.js';
export type { GpujsMode, GpujsModeProbe } from './gpujs-mode.js';
export { GPUJS_MODES } from './gpujs-mode.js';
export type { ProbeGpujsModeOptions } from './probe-gpujs-mode.js';
export { probeGpujsMode } from './probe-gpujs-mode.js';
export { sinkhornBackendProvider } from './sinkhorn-backend-provider.js';
