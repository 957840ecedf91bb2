import { sinkhornBackendProvider as gpujsBackendProvider } from '@sinkflow/backend-gpujs';
import { sinkhornBackendProvider as tfjsBackendProvider } from '@sinkflow/backend-tfjs';
import { createJsBackend, type SinkhornBackendProvider, wasmBackendProvider } from '@sinkflow/ot';
import { memoryBudget } from './memory-budget.js';

/**
 * The float64 reference backend with the lab's memory budget (half of the RAM, or
 * `SINKFLOW_MEMORY_BUDGET`): `--mode dense` beyond it is refused before the kernel is allocated.
 */
const labJsBackendProvider: SinkhornBackendProvider = {
  name: 'js',
  create: async () => createJsBackend({ memoryBudgetBytes: memoryBudget().bytes }),
};

/** The values `--backend` accepts. */
export const BACKEND_NAMES = ['auto', 'js', 'wasm', 'gpujs', 'tfjs'] as const;

/**
 * Every backend the lab can run, for `--backend auto` (calibrated: the fastest on this machine)
 * and for names. The lab depends on both backend packages, so it passes their providers
 * explicitly rather than relying on the engine's optional-package discovery.
 */
export const LAB_BACKEND_PROVIDERS: readonly SinkhornBackendProvider[] = [
  wasmBackendProvider,
  tfjsBackendProvider,
  gpujsBackendProvider,
  labJsBackendProvider,
];

/**
 * Turns `--backend NAME` into the engine's backend options: `auto` calibrates wasm, tfjs and
 * gpu.js on first use and takes the fastest (the float64 `js` reference is never the faster one,
 * so it runs only when named); a name forces that backend, and the engine explains why it
 * cannot run when it cannot (a `BackendUnavailableError`).
 */
export function backendOptionsFromFlag(name: (typeof BACKEND_NAMES)[number]): {
  readonly backend: string;
  readonly backendProviders: readonly SinkhornBackendProvider[];
} {
  return {
    backend: name,
    backendProviders:
      name === 'auto'
        ? LAB_BACKEND_PROVIDERS.filter((provider) => provider !== labJsBackendProvider)
        : LAB_BACKEND_PROVIDERS,
  };
}
