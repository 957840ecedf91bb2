export type { TfjsBackendOptions, TfjsSinkhornBackend } from './create-tfjs-backend.js';
export { createTfjsBackend } from './create-tfjs-backend.js';
export type { TfjsBackendProvider } from './sinkhorn-backend-provider.js';
export { sinkhornBackendProvider } from './sinkhorn-backend-provider.js';
export type { TfjsBackendName, TfjsSkippedVariant, TfjsVariant } from './tfjs-variant.js';
