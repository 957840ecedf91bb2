import {
  InvalidArgumentError,
  type PointCloud,
  requireOneOf,
  requirePositiveNumber,
} from '@sinkflow/core';
import type { SinkhornBackendProvider } from '../backend/backend-provider.js';
import { defaultBackend } from '../backend/default-backend.js';
import { type BackendChoice, resolveBackend } from '../backend/resolve-backend.js';
import type { KeptKernelReport, KernelMode, SinkhornBackend } from '../backend/sinkhorn-backend.js';
import {
  createGeometry,
  type Geometry,
  type GeometryOptions,
} from '../geometry/point-cloud-geometry.js';
import { barycentricProjectionPrepared } from '../sampling/barycentric-projection.js';
import {
  type SampledPairs,
  sampleColumnsForRowsPrepared,
  samplePairsPrepared,
} from '../sampling/sample-pairs.js';
import type { SinkhornSolveOptions } from '../solver/sinkhorn-options.js';
import type { CouplingPotentials, SinkhornSolution } from '../solver/sinkhorn-solution.js';
import {
  type EntropySolveResult,
  type SolveForEntropyOptions,
  solveForEntropyPrepared,
} from '../solver/solve-for-entropy.js';
import { solvePrepared } from '../solver/solve-prepared.js';
import { type CouplingSummary, summarizeCoupling } from './coupling-summary.js';
import { defaultMemoryBudget, type KernelModeChoice, kernelModeChoice } from './memory-budget.js';
import { type PreparedProblem, reducePotentials } from './prepared-problem.js';

/** Options of {@link createSinkhornProblem}: the geometry, and where and how the kernel runs. */
export interface SinkhornProblemOptions extends Omit<GeometryOptions, 'functionName'> {
  /** Row cloud (the source, weights `a`). */
  readonly x: PointCloud;
  /** Column cloud (the target, weights `b`). */
  readonly y: PointCloud;
  /**
   * The backend that runs the kernels: a backend value; `'auto'` to calibrate the available
   * backends on first use and take the fastest (see {@link resolveBackend}); or a name (`'js'`,
   * `'wasm'`, `'tfjs'`, `'gpujs'`) to force one.
   * @default defaultBackend() (wasm where supported, else js; no calibration)
   */
  readonly backend?: SinkhornBackend | 'auto' | (string & {});
  /**
   * The candidates of `backend: 'auto'` or a name. @default js, wasm and the installed optional
   * backend packages
   */
  readonly backendProviders?: readonly SinkhornBackendProvider[];
  /**
   * `dense` keeps K and K^T in float32, `dense16` one half-precision anchored kernel (backends
   * that offer it: wasm), `online` recomputes K; `auto` picks by memory budget (see
   * {@link kernelModeChoice}; the reason is `modeReason`). @default 'auto'
   */
  readonly mode?: KernelMode | 'auto';
  /** Bytes the kept kernel may use in `auto` mode. @default a quarter of the RAM */
  readonly memoryBudgetBytes?: number;
}

/**
 * An entropic OT problem between two point clouds, prepared on a backend (OTT-JAX's
 * `LinearProblem` [cuturi2022ott] plus the backend's resources): solve it, search the epsilon of a
 * target entropy, sample pairs, project; then `dispose()` it.
 */
export interface SinkhornProblem {
  readonly geometry: Geometry;
  /** The backend's name. */
  readonly backend: string;
  /** The backend, and why it was chosen (with the calibration run behind `backend: 'auto'`). */
  readonly backendChoice: BackendChoice;
  readonly mode: KernelMode;
  /** Why this mode: what `auto` weighed (memory needed against the budget), or that it was asked. */
  readonly modeReason: string;
  /** `dense16`: builds of the kept matrix and passes read from it so far (undefined otherwise). */
  keptKernelReport(): KeptKernelReport | undefined;
  /** Log-domain Sinkhorn (see {@link SinkhornSolveOptions}). */
  solve(options?: SinkhornSolveOptions): Promise<SinkhornSolution>;
  /** The relative epsilon that reaches a renormalized entropy (see {@link SolveForEntropyOptions}). */
  solveForEntropy(options: SolveForEntropyOptions): Promise<EntropySolveResult>;
  /** `count` exact pairs `(i, j) ~ P` (Gumbel-max; independent of blocks and threads). */
  samplePairs(options: {
    readonly potentials: CouplingPotentials;
    readonly count: number;
    readonly seed: number;
  }): Promise<SampledPairs>;
  /** `samplesPerRow` columns `j ~ P_i. / a_i` for each given row; `rows.length x samplesPerRow`. */
  sampleColumnsForRows(options: {
    readonly potentials: CouplingPotentials;
    readonly rows: Int32Array;
    readonly samplesPerRow?: number;
    readonly seed: number;
  }): Promise<Int32Array>;
  /** `sum_j P_ij y_j / sum_j P_ij` for the given rows (all by default), `rows x d`. */
  barycentricProjection(options: {
    readonly potentials: CouplingPotentials;
    readonly rows?: Int32Array;
  }): Promise<Float64Array>;
  /** Costs, entropy and marginal errors of the coupling of any potentials (one streaming pass). */
  summarize(potentials: CouplingPotentials): Promise<CouplingSummary>;
  /** Frees the backend's resources. */
  dispose(): Promise<void>;
}

/**
 * Validates the clouds, builds the {@link Geometry} and prepares the backend's kernel.
 *
 * @throws {@link InvalidArgumentError} naming the bad argument.
 * @example
 * ```ts
 * const problem = await createSinkhornProblem({ x, y, cost: 'dot' });
 * const solution = await problem.solve({ epsilon: relativeEpsilon(0.01) });
 * const pairs = await problem.samplePairs({ potentials: solution, count: 1024, seed: 0 });
 * await problem.dispose();
 * ```
 */
export async function createSinkhornProblem(
  options: SinkhornProblemOptions,
): Promise<SinkhornProblem> {
  const functionName = 'createSinkhornProblem';
  if (typeof options !== 'object' || options === null) {
    throw new InvalidArgumentError({
      functionName,
      argumentName: 'options',
      message: 'must be an options object',
      value: options,
    });
  }
  const {
    x,
    y,
    backend: backendOption,
    backendProviders,
    mode = 'auto',
    memoryBudgetBytes,
    ...geometryOptions
  } = options;
  requireOneOf(mode, ['auto', 'dense', 'dense16', 'online'], {
    functionName,
    argumentName: 'mode',
  });
  if (
    typeof backendOption !== 'string' &&
    backendOption !== undefined &&
    (typeof backendOption !== 'object' ||
      backendOption === null ||
      backendOption.specificationVersion !== 'v1')
  ) {
    throw new InvalidArgumentError({
      functionName,
      argumentName: 'backend',
      message:
        "must be 'auto', a backend name, or a Sinkhorn backend with specificationVersion 'v1'",
      value: backendOption,
    });
  }
  const geometry = createGeometry(x, y, geometryOptions, functionName);
  const budget = memoryBudgetBytes ?? (await defaultMemoryBudget());
  requirePositiveNumber(budget, { functionName, argumentName: 'memoryBudgetBytes' });
  const choiceFor = (backend: SinkhornBackend | undefined): KernelModeChoice =>
    mode === 'auto'
      ? kernelModeChoice({
          n: geometry.n,
          m: geometry.m,
          memoryBudgetBytes: budget,
          bytesPerEntry: backend?.denseBytesPerEntry,
          d: geometry.d,
          modes: backend?.kernelModes,
          maxDenseEntries: backend?.maxDenseEntries,
        })
      : { mode, reason: `mode '${mode}' was asked for` };
  const backendChoice: BackendChoice =
    backendOption === undefined
      ? defaultBackendChoice()
      : await resolveBackend({
          backend: backendOption,
          providers: backendProviders,
          shape: { n: geometry.n, m: geometry.m, d: geometry.d, mode: choiceFor(undefined).mode },
        });
  const backend = backendChoice.backend;
  const modeChoice = choiceFor(backend);
  const kernelMode = modeChoice.mode;
  if (!(backend.kernelModes ?? ['dense', 'online']).includes(kernelMode)) {
    throw new InvalidArgumentError({
      functionName,
      argumentName: 'mode',
      message: `backend '${backend.name}' offers the modes ${(backend.kernelModes ?? ['dense', 'online']).join(', ')}`,
      value: kernelMode,
    });
  }
  const kernel = await backend.prepare({
    x: geometry.x,
    y: geometry.y,
    n: geometry.n,
    m: geometry.m,
    d: geometry.d,
    mode: kernelMode,
  });
  const prepared: PreparedProblem = {
    geometry,
    kernel,
    backendName: backend.name,
    mode: kernelMode,
    y,
  };
  return {
    geometry,
    backend: backend.name,
    backendChoice,
    mode: kernelMode,
    modeReason: modeChoice.reason,
    keptKernelReport: () => kernel.keptKernelReport?.(),
    solve: (solveOptions = {}) => solvePrepared(prepared, solveOptions, 'SinkhornProblem.solve'),
    solveForEntropy: (entropyOptions) =>
      solveForEntropyPrepared(prepared, entropyOptions, 'SinkhornProblem.solveForEntropy'),
    samplePairs: (sampleOptions) =>
      samplePairsPrepared(prepared, sampleOptions, 'SinkhornProblem.samplePairs'),
    sampleColumnsForRows: (sampleOptions) =>
      sampleColumnsForRowsPrepared(prepared, sampleOptions, 'SinkhornProblem.sampleColumnsForRows'),
    barycentricProjection: (projectionOptions) =>
      barycentricProjectionPrepared(
        prepared,
        projectionOptions,
        'SinkhornProblem.barycentricProjection',
      ),
    summarize: async (potentials) => {
      const reduced = reducePotentials(prepared, potentials, 'SinkhornProblem.summarize');
      const statistics = await kernel.statistics({
        rowPotentials: reduced.f,
        columnPotentials: reduced.g,
        epsilon: reduced.epsilon,
      });
      return summarizeCoupling({
        geometry,
        statistics,
        reducedF: reduced.f,
        reducedG: reduced.g,
        epsilon: reduced.epsilon,
      });
    },
    dispose: () => kernel.dispose(),
  };
}

/**
 * Solves entropic OT between two point clouds in one call: prepares the problem, runs
 * log-domain Sinkhorn [cuturi2013] with the paper's defaults [klein2025], and frees the backend.
 *
 *   min_P <P, C> - eps H(P)  s.t.  P 1 = a, P^T 1 = b,   eps = relativeEpsilon * std(C) by default.
 *
 * @example
 * ```ts
 * const solution = await solveSinkhorn({ x, y, epsilon: relativeEpsilon(0.05) });
 * solution.converged; // true
 * solution.renormalizedEntropy; // e.g. 0.21
 * ```
 */
export async function solveSinkhorn(
  options: SinkhornProblemOptions & SinkhornSolveOptions,
): Promise<SinkhornSolution> {
  const {
    x,
    y,
    backend,
    backendProviders,
    mode,
    memoryBudgetBytes,
    cost,
    pcaComponents,
    seed,
    ...solveOptions
  } = options;
  const problem = await createSinkhornProblem({
    x,
    y,
    backend,
    backendProviders,
    mode,
    memoryBudgetBytes,
    cost,
    pcaComponents,
    seed,
  });
  try {
    return await problem.solve(solveOptions);
  } finally {
    await problem.dispose();
  }
}

function defaultBackendChoice(): BackendChoice {
  const backend = defaultBackend();
  return { backend, reason: `${backend.name}: the default backend`, calibration: [] };
}
