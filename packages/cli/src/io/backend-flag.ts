import { sinkhornBackendProvider as gpujsBackendProvider } from '@sinkflow/backend-gpujs';
import { sinkhornBackendProvider as tfjsBackendProvider } from '@sinkflow/backend-tfjs';
import {
  chooseKernelMode,
  createJsBackend,
  defaultMemoryBudget,
  type KernelMode,
  resolveBackend,
  type SinkhornBackend,
  type SinkhornBackendProvider,
  wasmBackendProvider,
} from '@sinkflow/ot';
import { fileCalibrationStore } from './calibration-cache.js';
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

/** What {@link backendFromFlag} hands to `createSinkhornProblem`, and why. */
export interface FlagBackend {
  /** The engine's backend options: a resolved backend under `auto`, else the name. */
  readonly options: {
    readonly backend: SinkhornBackend | string;
    readonly backendProviders: readonly SinkhornBackendProvider[];
  };
  /** Why that backend, for `auto` (the calibration, fresh or reused); undefined for a name. */
  readonly reason: string | undefined;
  /** Seconds spent choosing it (the calibration, or creating the stored winner). */
  readonly seconds: number;
}

/**
 * `--backend NAME` for a problem of `shape`: a name is passed on to the engine as it is; `auto`
 * is resolved here with ot's `resolveBackend`, keeping the calibration between processes in
 * {@link fileCalibrationStore} (per machine and package versions, in the user's cache directory),
 * so only the first solve of a shape on a machine pays for it; `recalibrate` (`--recalibrate`)
 * times the candidates again. The kernel mode of the calibration is the one the engine will take
 * (`--mode`, or ot's `chooseKernelMode` within its default memory budget).
 *
 * @example
 * ```ts
 * const chosen = await backendFromFlag('auto', { n: 2048, m: 2048, d: 64, mode: 'auto' });
 * await createSinkhornProblem({ x, y, ...chosen.options });
 * chosen.reason; // 'auto: wasm (...) at 22.0 ms per iteration ...; calibration of ... reused (...)'
 * ```
 */
export async function backendFromFlag(
  name: (typeof BACKEND_NAMES)[number],
  {
    n,
    m,
    d,
    mode,
    recalibrate = false,
  }: {
    readonly n: number;
    readonly m: number;
    readonly d: number;
    readonly mode: KernelMode | 'auto';
    readonly recalibrate?: boolean;
  },
): Promise<FlagBackend> {
  const options = backendOptionsFromFlag(name);
  if (name !== 'auto') return { options, reason: undefined, seconds: 0 };
  const started = performance.now();
  const kernelMode =
    mode === 'auto'
      ? chooseKernelMode({ n, m, d, memoryBudgetBytes: await defaultMemoryBudget() })
      : mode;
  const choice = await resolveBackend({
    backend: 'auto',
    providers: options.backendProviders,
    shape: { n, m, d, mode: kernelMode },
    calibrationStore: fileCalibrationStore(),
    recalibrate,
  });
  return {
    options: { ...options, backend: choice.backend },
    reason: choice.reason,
    seconds: (performance.now() - started) / 1000,
  };
}
