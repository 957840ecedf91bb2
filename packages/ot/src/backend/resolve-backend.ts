import { BackendUnavailableError, InvalidArgumentError } from '@sinkflow/core';
import type { SinkhornBackendProvider } from './backend-provider.js';
import { jsBackendProvider, wasmBackendProvider } from './builtin-providers.js';
import {
  type BackendCalibration,
  type CalibrationShape,
  type CalibrationStore,
  calibrateBackends,
  type StoredCalibration,
} from './calibrate-backends.js';
import { wasmBackendSupported } from './default-backend.js';
import { loadOptionalBackendProviders } from './optional-providers.js';
import type { SinkhornBackend } from './sinkhorn-backend.js';

/** What the engine runs on, and why. */
export interface BackendChoice {
  readonly backend: SinkhornBackend;
  /** One sentence for people: which backend, and why it was chosen. */
  readonly reason: string;
  /**
   * The calibration run behind an `'auto'` choice (empty otherwise); when it came from the
   * `calibrationStore`, only the winner carries its backend.
   */
  readonly calibration: readonly BackendCalibration[];
  /** The stored run an `'auto'` choice reused, absent when it calibrated in this process. */
  readonly storedCalibration?: StoredCalibration;
}

/** Options of {@link resolveBackend}. */
export interface ResolveBackendOptions {
  /**
   * `'auto'` calibrates every available backend and takes the fastest; a name (`'js'`,
   * `'wasm'`, `'tfjs'`, `'gpujs'`) forces that backend; a backend value is used as given.
   * @default 'auto'
   */
  readonly backend?: SinkhornBackend | string;
  /**
   * The candidates. @default the `wasm` provider of `@sinkflow/ot` (`js` where wasm cannot run:
   * the float64 reference is never the faster one), then those of the optional backend packages
   * that are installed (see {@link loadOptionalBackendProviders}); every name can be forced
   */
  readonly providers?: readonly SinkhornBackendProvider[];
  /** The shape and mode to calibrate on (capped at 2048 points per side). */
  readonly shape: CalibrationShape;
  /**
   * Where `'auto'` keeps its calibration between processes: a stored run for the same candidates
   * and shape is reused (only its winner is created), a fresh run is written back.
   * @default none (calibrate once per process)
   */
  readonly calibrationStore?: CalibrationStore;
  /**
   * Calibrate again even when this process or the `calibrationStore` holds a run (the new run
   * replaces the stored one).
   * @default false
   */
  readonly recalibrate?: boolean;
}

/** Points per side of the calibration problem: short, yet long enough to amortise launches. */
const CALIBRATION_POINTS = 2048;

/** Calibration results by candidates and shape: the run happens once per process ("first use"). */
const calibrationCache = new Map<string, Promise<BackendChoice>>();

/**
 * Turns the engine's `backend` option into a backend.
 *
 * `'auto'` runs a short calibration on first use (per set of candidates and problem shape, then
 * cached for the process, and in `calibrationStore` when one is given): each available backend
 * times a few Sinkhorn iterations on a random problem of the caller's dimension and mode with at
 * most 2048 points per side (see {@link calibrateBackends}; CPU modes of gpu.js and tfjs are not
 * timed once wasm is), and the fastest wins; `reason` gives the times and why others were
 * skipped. A stored run for the same candidates and shape is reused without timing anything: only
 * its winner is created (if that fails, the calibration runs again); `recalibrate` redoes it. A name forces that backend, and fails with a `BackendUnavailableError` that
 * says why when it cannot run here.
 *
 * @throws {@link InvalidArgumentError} for an unknown name; `BackendUnavailableError` when the
 *   named backend cannot run (or no candidate can).
 * @example
 * ```ts
 * const choice = await resolveBackend({ backend: 'auto', shape: { n: 65536, m: 65536, d: 64, mode: 'online' } });
 * choice.reason;
 * // "auto: wasm (WebAssembly SIMD128 ...) at 21.4 ms per iteration, 3.1x faster than gpujs (...); skipped tfjs (...)"
 * ```
 */
export async function resolveBackend({
  backend = 'auto',
  providers,
  shape,
  calibrationStore,
  recalibrate = false,
}: ResolveBackendOptions): Promise<BackendChoice> {
  if (typeof backend === 'object' && backend !== null) {
    return { backend, reason: `${backend.name}: given by the caller`, calibration: [] };
  }
  const { candidates, forcible, missing } = await candidateProviders(providers);
  if (backend === 'auto') {
    const calibrationShape = {
      ...shape,
      n: Math.min(shape.n, CALIBRATION_POINTS),
      m: Math.min(shape.m, CALIBRATION_POINTS),
    };
    const key = `${candidates.map((provider) => provider.name).join(',')}|${JSON.stringify(calibrationShape)}`;
    let choice = recalibrate ? undefined : calibrationCache.get(key);
    if (choice === undefined) {
      choice = chooseFastest(candidates, missing, calibrationShape, {
        key,
        store: calibrationStore,
        recalibrate,
      });
      calibrationCache.set(key, choice);
      // A failed calibration is not cached: the next call tries again.
      choice.catch(() => calibrationCache.delete(key));
    }
    return choice;
  }
  const provider = forcible.find((candidate) => candidate.name === backend);
  if (provider === undefined) {
    if (typeof backend === 'string' && missing[backend] !== undefined) {
      throw new BackendUnavailableError({ backend, message: missing[backend] });
    }
    throw new InvalidArgumentError({
      functionName: 'resolveBackend',
      argumentName: 'backend',
      message: `must be 'auto', a backend, or one of ${[...forcible.map((c) => c.name), ...Object.keys(missing)].map((name) => `'${name}'`).join(', ')}`,
      value: backend,
    });
  }
  const created = await provider.create();
  return { backend: created, reason: `${created.name}: asked for by name`, calibration: [] };
}

async function candidateProviders(
  providers: readonly SinkhornBackendProvider[] | undefined,
): Promise<{
  candidates: readonly SinkhornBackendProvider[];
  forcible: readonly SinkhornBackendProvider[];
  missing: Readonly<Record<string, string>>;
}> {
  if (providers !== undefined) return { candidates: providers, forcible: providers, missing: {} };
  const optional = await loadOptionalBackendProviders();
  // The float64 reference is never faster than wasm: it runs only where wasm cannot (a name
  // still forces it).
  const cpu = wasmBackendSupported() ? wasmBackendProvider : jsBackendProvider;
  const named = wasmBackendSupported() ? [jsBackendProvider] : [wasmBackendProvider];
  return {
    candidates: [cpu, ...optional.providers],
    forcible: [cpu, ...optional.providers, ...named],
    missing: optional.missing,
  };
}

async function chooseFastest(
  candidates: readonly SinkhornBackendProvider[],
  missing: Readonly<Record<string, string>>,
  shape: CalibrationShape,
  {
    key,
    store,
    recalibrate,
  }: {
    readonly key: string;
    readonly store: CalibrationStore | undefined;
    readonly recalibrate: boolean;
  },
): Promise<BackendChoice> {
  if (store !== undefined && !recalibrate) {
    const stored = await store.read(key).catch(() => undefined);
    const reused =
      stored === undefined ? undefined : await reuseStored(stored, candidates, missing);
    if (reused !== undefined) return reused;
  }
  const calibration = await calibrateBackends(candidates, shape);
  const choice = describeChoice(calibration, missing, shape);
  if (store !== undefined) {
    const record: StoredCalibration = {
      shape,
      results: calibration.map(({ name, secondsPerIteration, unavailable }) => ({
        name,
        ...(secondsPerIteration === undefined ? {} : { secondsPerIteration }),
        ...(unavailable === undefined ? {} : { unavailable }),
      })),
      measuredAt: new Date().toISOString(),
    };
    await store.write(key, record).catch(() => undefined);
  }
  return choice;
}

/**
 * The choice a stored run makes, creating only its winner; undefined (calibrate again) when the
 * record is malformed, names no timed candidate, or its winner cannot be created any more.
 */
async function reuseStored(
  stored: StoredCalibration,
  candidates: readonly SinkhornBackendProvider[],
  missing: Readonly<Record<string, string>>,
): Promise<BackendChoice | undefined> {
  if (!Array.isArray(stored?.results)) return undefined;
  const timed = stored.results
    .filter(
      (entry) =>
        typeof entry?.name === 'string' &&
        typeof entry.secondsPerIteration === 'number' &&
        Number.isFinite(entry.secondsPerIteration),
    )
    .sort((a, b) => (a.secondsPerIteration as number) - (b.secondsPerIteration as number));
  const provider = candidates.find((candidate) => candidate.name === timed[0]?.name);
  if (provider === undefined) return undefined;
  let backend: SinkhornBackend;
  try {
    backend = await provider.create();
  } catch {
    return undefined;
  }
  const calibration: BackendCalibration[] = stored.results.map((entry) =>
    entry.name === provider.name ? { ...entry, backend } : { ...entry },
  );
  const choice = describeChoice(calibration, missing, stored.shape);
  return {
    ...choice,
    reason: `${choice.reason}; calibration of ${stored.measuredAt} reused (recalibrate to redo it)`,
    storedCalibration: stored,
  };
}

function describeChoice(
  calibration: readonly BackendCalibration[],
  missing: Readonly<Record<string, string>>,
  shape: CalibrationShape,
): BackendChoice {
  const timed = calibration
    .filter((entry) => entry.secondsPerIteration !== undefined)
    .sort((a, b) => (a.secondsPerIteration as number) - (b.secondsPerIteration as number));
  const skipped = [
    ...calibration.flatMap((entry) =>
      entry.unavailable === undefined ? [] : [`${entry.name} (${entry.unavailable})`],
    ),
    ...Object.entries(missing).map(([name, why]) => `${name} (${why})`),
  ];
  const winner = timed[0];
  if (winner?.backend === undefined) {
    throw new BackendUnavailableError({
      backend: 'auto',
      message: `no backend could run: ${skipped.join('; ')}`,
    });
  }
  const milliseconds = (entry: BackendCalibration): string =>
    `${((entry.secondsPerIteration as number) * 1000).toPrecision(3)} ms`;
  const others = timed
    .slice(1)
    .map(
      (entry) =>
        `${((entry.secondsPerIteration as number) / (winner.secondsPerIteration as number)).toFixed(1)}x faster than ${entry.name} (${milliseconds(entry)})`,
    );
  const where = winner.backend.description === undefined ? '' : ` (${winner.backend.description})`;
  const reason =
    `auto: ${winner.name}${where} at ${milliseconds(winner)} per iteration on a ` +
    `${shape.n} x ${shape.m} x ${shape.d} ${shape.mode} calibration problem` +
    (others.length > 0 ? `, ${others.join(', ')}` : '') +
    (skipped.length > 0 ? `; skipped ${skipped.join('; ')}` : '');
  return { backend: winner.backend, reason, calibration };
}
