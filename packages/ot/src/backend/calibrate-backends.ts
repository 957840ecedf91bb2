import { BackendUnavailableError, createRandomGenerator } from '@sinkflow/core';
import type { SinkhornBackendProvider } from './backend-provider.js';
import type { KernelMode, SinkhornBackend } from './sinkhorn-backend.js';

/** The shape of the problem a calibration run times. */
export interface CalibrationShape {
  readonly n: number;
  readonly m: number;
  readonly d: number;
  readonly mode: KernelMode;
}

/** One candidate's result in a calibration run. */
export interface BackendCalibration {
  /** The provider's name. */
  readonly name: string;
  /** The created backend, when it could be created. */
  readonly backend?: SinkhornBackend;
  /** Best seconds per Sinkhorn iteration (a rows pass and a columns pass); absent when unavailable. */
  readonly secondsPerIteration?: number;
  /** Why the candidate was not timed (not installed, no device, failed), absent when it was. */
  readonly unavailable?: string;
}

/**
 * A calibration run as kept between processes (see {@link CalibrationStore}): what each
 * candidate measured, without the backends themselves. JSON-serialisable.
 */
export interface StoredCalibration {
  /** The shape the candidates were timed on. */
  readonly shape: CalibrationShape;
  /** Each candidate's seconds per iteration, or why it was not timed. */
  readonly results: readonly {
    readonly name: string;
    readonly secondsPerIteration?: number;
    readonly unavailable?: string;
  }[];
  /** When the run happened (ISO 8601). */
  readonly measuredAt: string;
}

/**
 * Where `backend: 'auto'` keeps its calibration runs between processes, keyed by the candidates
 * and the calibration shape (`'wasm,tfjs,gpujs|{"n":2048,...}'`). The store decides what else a
 * result depends on (the machine, the package versions) and where it lives: the `sinkflow`
 * command line keeps one JSON file per machine and versions in the user's cache directory. Both
 * methods may reject; a failed read counts as a miss and a failed write is ignored.
 *
 * @example
 * ```ts
 * const memory = new Map<string, StoredCalibration>();
 * const store: CalibrationStore = {
 *   read: async (key) => memory.get(key),
 *   write: async (key, value) => void memory.set(key, value),
 * };
 * await resolveBackend({ backend: 'auto', shape, calibrationStore: store }); // calibrates, stores
 * ```
 */
export interface CalibrationStore {
  /** The stored run for `key`, or undefined. */
  read(key: string): Promise<StoredCalibration | undefined>;
  /** Keeps `value` for `key`. */
  write(key: string, value: StoredCalibration): Promise<void>;
}

/** Iterations timed per candidate after one warm-up iteration (kernel compilation, uploads). */
const TIMED_ITERATIONS = 3;
/** A candidate slower than this factor times the best so far is not timed further. */
const GIVE_UP_FACTOR = 8;

/**
 * Times each provider's backend on one small problem of the caller's shape: one warm-up
 * iteration (which absorbs kernel compilation and uploads), then up to three Sinkhorn iterations
 * of `logSumExp` on both sides, keeping the fastest. A provider that rejects (not installed, no
 * device) or fails is reported with its reason instead of a time; a candidate whose warm-up is
 * more than 8 times slower than the best time so far is not timed further. Once `wasm` has been
 * timed, a gpu.js or TensorFlow.js backend that runs on the CPU (gpu.js `cpu` or `webasm` mode,
 * tfjs on its `cpu` or `wasm` backend) is not timed at all: it cannot win (docs/performance.md
 * measures it 5x to 100x slower than wasm) and is reported with that reason.
 *
 * The points are standard normal divided by `sqrt(d)` (so `K_ij` is of order 1) and epsilon is
 * 0.1: the time of a pass does not depend on the values.
 *
 * @example
 * ```ts
 * const results = await calibrateBackends([jsBackendProvider, wasmBackendProvider], {
 *   n: 1024, m: 1024, d: 16, mode: 'online',
 * });
 * results.map((r) => [r.name, r.secondsPerIteration]); // [['js', 0.05], ['wasm', 0.004]]
 * ```
 */
export async function calibrateBackends(
  providers: readonly SinkhornBackendProvider[],
  shape: CalibrationShape,
): Promise<readonly BackendCalibration[]> {
  const { n, m, d, mode } = shape;
  const random = createRandomGenerator({ seed: 0 });
  const scale = 1 / Math.sqrt(d);
  const x = new Float32Array(n * d).map(() => scale * random.normal());
  const y = new Float32Array(m * d).map(() => scale * random.normal());
  const results: BackendCalibration[] = [];
  let best = Number.POSITIVE_INFINITY;
  for (const provider of providers) {
    let backend: SinkhornBackend;
    try {
      backend = await provider.create();
    } catch (error) {
      results.push({ name: provider.name, unavailable: describeFailure(error) });
      continue;
    }
    const cpuMode = cpuFallbackOf(backend);
    if (cpuMode !== undefined && results.some((entry) => isTimedWasm(entry))) {
      results.push({
        name: provider.name,
        backend,
        unavailable: `not timed: ${cpuMode} runs on the CPU, where wasm is faster`,
      });
      continue;
    }
    try {
      const seconds = await timeIterations(backend, { x, y, n, m, d, mode }, best);
      best = Math.min(best, seconds);
      results.push({ name: provider.name, backend, secondsPerIteration: seconds });
    } catch (error) {
      results.push({ name: provider.name, backend, unavailable: describeFailure(error) });
    }
  }
  return results;
}

async function timeIterations(
  backend: SinkhornBackend,
  problem: { x: Float32Array; y: Float32Array } & CalibrationShape,
  bestSoFar: number,
): Promise<number> {
  const kernel = await backend.prepare(problem);
  try {
    const rows = new Float64Array(problem.n);
    const columns = new Float64Array(problem.m);
    const iterate = async (): Promise<number> => {
      const start = performance.now();
      await kernel.logSumExp({ side: 'rows', offsets: columns, epsilon: 0.1, out: rows });
      await kernel.logSumExp({ side: 'columns', offsets: rows, epsilon: 0.1, out: columns });
      // Keep the offsets bounded from one iteration to the next.
      rows.fill(0);
      columns.fill(0);
      return (performance.now() - start) / 1000;
    };
    let best = await iterate();
    if (best > GIVE_UP_FACTOR * bestSoFar) return best;
    for (let iteration = 0; iteration < TIMED_ITERATIONS; iteration += 1) {
      best = Math.min(best, await iterate());
    }
    return best;
  } finally {
    await kernel.dispose();
  }
}

/**
 * What a gpu.js or TensorFlow.js backend runs on when that is the CPU (`'gpu.js webasm mode'`,
 * `'tfjs on cpu'`), read from the fields those backends expose; undefined for any other backend.
 */
function cpuFallbackOf(backend: SinkhornBackend): string | undefined {
  const fields = backend as { readonly mode?: unknown; readonly tfjsBackend?: unknown };
  if (backend.name === 'gpujs' && (fields.mode === 'cpu' || fields.mode === 'webasm'))
    return `gpu.js ${fields.mode} mode`;
  if (backend.name === 'tfjs' && (fields.tfjsBackend === 'cpu' || fields.tfjsBackend === 'wasm'))
    return `tfjs on ${fields.tfjsBackend}`;
  return undefined;
}

function isTimedWasm(entry: BackendCalibration): boolean {
  return entry.name === 'wasm' && entry.secondsPerIteration !== undefined;
}

function describeFailure(error: unknown): string {
  if (BackendUnavailableError.isInstance(error)) return error.message;
  return `failed during calibration: ${error instanceof Error ? error.message : String(error)}`;
}
