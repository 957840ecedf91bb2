import { createHash } from 'node:crypto';
import { InvalidArgumentError } from '@sinkflow/core';
import { relativeEpsilon as relativeEpsilonOf } from '@sinkflow/entropy';
import { type SinkhornSettings, validateSinkhornSettings } from '@sinkflow/ot';
import { parse as parseYaml } from 'yaml';
import { renameArgument } from '../cli/sinkhorn-flags.js';
import { checkSweepMemory } from './sweep-memory.js';

/** What a sweep's runs do: solve couplings only, or train flow models. */
export type RunKind = 'coupling' | 'train';

/** A validated sweep configuration: the paper's grid [klein2025, Sec. 5]. */
export interface SweepConfig {
  /** Name of the sweep (letters, digits, `-`, `_`); runs are grouped by it in the database. */
  readonly name: string;
  readonly kind: RunKind;
  readonly benchmarks: readonly string[];
  readonly dimensions: readonly number[];
  /** OT batch sizes n (for `coupling` runs, the size of both clouds). */
  readonly otBatchSizes: readonly number[];
  /** Either target renormalized entropies in (0, 1) ... */
  readonly targetEntropies: readonly number[];
  /**
   * ... or relative epsilons (> 0); exactly one of the two lists is non-empty, except in a `train`
   * sweep of an {@link UNREGULARIZED_COUPLINGS} coupling, where both are empty.
   */
  readonly relativeEpsilons: readonly number[];
  readonly seeds: readonly number[];
  /** Extra options passed to every run as is (e.g. training steps). */
  readonly options: Readonly<Record<string, unknown>>;
}

/** One point of the grid. */
export interface RunSpec {
  /** A stable id: a hash of the run's canonical config, so re-expanding a sweep finds the same runs. */
  readonly id: string;
  readonly sweep: string;
  readonly kind: RunKind;
  readonly config: {
    readonly benchmark: string;
    readonly d: number;
    readonly n: number;
    readonly targetEntropy: number | null;
    readonly relativeEpsilon: number | null;
    readonly seed: number;
    readonly options: Readonly<Record<string, unknown>>;
  };
}

const functionName = 'sinkflow sweep';

/**
 * The `options.coupling` values of a `train` sweep that solve no entropic coupling: I-FM
 * (`independent`), `supervised` (pairs `(x, T0(x))`) and `exact` (the optimal assignment). Their
 * sweeps give neither `targetEntropies` nor `relativeEpsilons`, and their runs record both as
 * null: one run per benchmark, dimension, OT batch size and seed.
 */
export const UNREGULARIZED_COUPLINGS = ['independent', 'supervised', 'exact'] as const;

/**
 * Parses a sweep configuration from YAML or JSON text (JSON is YAML) and validates every field,
 * naming the bad one (`config.dimensions[1]`).
 *
 * @example
 * ```yaml
 * name: entropy-grid
 * kind: coupling
 * benchmarks: [piecewise-affine]
 * dimensions: [16, 32]
 * otBatchSizes: [1024, 4096]
 * targetEntropies: [0.05, 0.1, 0.2]
 * seeds: [0, 1]
 * ```
 */
export function parseSweepConfig(text: string, source: string): SweepConfig {
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (error) {
    throw new InvalidArgumentError({
      functionName,
      argumentName: 'CONFIG',
      message: `${source} is not valid YAML or JSON: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`,
    });
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new InvalidArgumentError({
      functionName,
      argumentName: 'CONFIG',
      message: `${source} must hold a mapping (name, kind, benchmarks, ...)`,
    });
  }
  const config = raw as Record<string, unknown>;
  const known = [
    'name',
    'kind',
    'benchmarks',
    'dimensions',
    'otBatchSizes',
    'targetEntropies',
    'relativeEpsilons',
    'seeds',
    'options',
  ];
  for (const key of Object.keys(config)) {
    if (!known.includes(key)) fail(key, `is not a sweep field (known: ${known.join(', ')})`);
  }
  const name = config.name;
  if (typeof name !== 'string' || !/^[\w-]{1,64}$/.test(name))
    fail('name', 'must be 1-64 letters, digits, - or _', name);
  const kind = config.kind ?? 'coupling';
  if (kind !== 'coupling' && kind !== 'train') fail('kind', "must be 'coupling' or 'train'", kind);
  const benchmarks = list(config, 'benchmarks', (value, path) => {
    if (typeof value !== 'string' || value.length === 0)
      fail(path, 'must be a benchmark name', value);
    return value as string;
  });
  const integers = (key: string, minimum: number) =>
    list(config, key, (value, path) => {
      if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < minimum)
        fail(path, `must be an integer >= ${minimum}`, value);
      return value as number;
    });
  const dimensions = integers('dimensions', 1);
  const otBatchSizes = integers('otBatchSizes', 2);
  const seeds = integers('seeds', 0);
  // Checked by ot's validation of its settings, here, so that a bad value fails before any run.
  const targetEntropies =
    config.targetEntropies === undefined
      ? []
      : list(config, 'targetEntropies', (value, path) => {
          checkedByOt(path, () => ({ targetEntropy: value as number }));
          return value as number;
        });
  const relativeEpsilons =
    config.relativeEpsilons === undefined
      ? []
      : list(config, 'relativeEpsilons', (value, path) => {
          checkedByOt(path, () => ({ epsilon: relativeEpsilonOf(value as number) }));
          return value as number;
        });
  const options = config.options ?? {};
  if (typeof options !== 'object' || options === null || Array.isArray(options))
    fail('options', 'must be a mapping', options);
  const coupling = (options as Record<string, unknown>).coupling;
  const unregularized =
    kind === 'train' && (UNREGULARIZED_COUPLINGS as readonly unknown[]).includes(coupling);
  if (unregularized) {
    // I-FM and supervised runs (the figures' reference lines) have no entropy to vary.
    if (targetEntropies.length > 0 || relativeEpsilons.length > 0) {
      fail(
        targetEntropies.length > 0 ? 'targetEntropies' : 'relativeEpsilons',
        `does not apply to options.coupling '${String(coupling)}' (no Sinkhorn coupling): leave it out`,
      );
    }
  } else if (kind === 'train' && coupling === 'semidiscrete') {
    // One dual over the data set: hard without epsilon, entropic at each relative epsilon; no E.
    if (targetEntropies.length > 0) {
      fail(
        'targetEntropies',
        "does not apply to options.coupling 'semidiscrete' (no n x n coupling): give relativeEpsilons, or neither for the hard coupling",
      );
    }
  } else if (targetEntropies.length > 0 === relativeEpsilons.length > 0) {
    fail('targetEntropies', 'give exactly one of targetEntropies and relativeEpsilons');
  }
  checkSweepMemory({
    kind: kind as RunKind,
    dimensions,
    otBatchSizes,
    options: options as Record<string, unknown>,
  });
  return {
    name: name as string,
    kind: kind as RunKind,
    benchmarks,
    dimensions,
    otBatchSizes,
    targetEntropies,
    relativeEpsilons,
    seeds,
    options: options as Record<string, unknown>,
  };
}

/**
 * ot's Sinkhorn settings of a run, from the names a sweep config and a training run's metadata keep
 * on disk (`targetEntropy`, `relativeEpsilon`; at most one of them set): `{ targetEntropy }`,
 * `{ epsilon: relativeEpsilon(r) }`, or `{}` (ot's default epsilon, `SINKHORN_DEFAULTS.epsilon`).
 * The one place where the lab's records meet ot's `SinkhornSettings`.
 *
 * @param run - The run's `targetEntropy` and `relativeEpsilon` (null where unused).
 * @example
 * ```ts
 * sinkhornSettingsOfRun({ targetEntropy: null, relativeEpsilon: 0.1 }); // { epsilon: relativeEpsilon(0.1) }
 * ```
 */
export function sinkhornSettingsOfRun(run: {
  readonly targetEntropy: number | null;
  readonly relativeEpsilon: number | null;
}): Pick<SinkhornSettings, 'epsilon' | 'targetEntropy'> {
  if (run.targetEntropy !== null) return { targetEntropy: run.targetEntropy };
  if (run.relativeEpsilon !== null) return { epsilon: relativeEpsilonOf(run.relativeEpsilon) };
  return {};
}

/**
 * Expands a sweep into its runs (benchmark x d x n x E or epsilon x seed, seeds innermost), in a
 * stable order; a sweep of an unregularized coupling has one run per benchmark x d x n x seed.
 */
export function expandSweep(config: SweepConfig): RunSpec[] {
  const runs: RunSpec[] = [];
  const regularizations: { targetEntropy: number | null; relativeEpsilon: number | null }[] = [
    ...config.targetEntropies.map((targetEntropy) => ({ targetEntropy, relativeEpsilon: null })),
    ...config.relativeEpsilons.map((relativeEpsilon) => ({ targetEntropy: null, relativeEpsilon })),
  ];
  // A sweep of an unregularized coupling (I-FM, supervised): one run per point of the rest of the grid.
  if (regularizations.length === 0)
    regularizations.push({ targetEntropy: null, relativeEpsilon: null });
  for (const benchmark of config.benchmarks) {
    for (const d of config.dimensions) {
      for (const n of config.otBatchSizes) {
        for (const regularization of regularizations) {
          for (const seed of config.seeds) {
            const runConfig = { benchmark, d, n, ...regularization, seed, options: config.options };
            const id = createHash('sha256')
              .update(JSON.stringify([config.name, config.kind, runConfig]))
              .digest('hex')
              .slice(0, 16);
            runs.push({ id, sweep: config.name, kind: config.kind, config: runConfig });
          }
        }
      }
    }
  }
  return runs;
}

function list<T>(
  config: Record<string, unknown>,
  key: string,
  check: (value: unknown, path: string) => T,
): T[] {
  const value = config[key];
  if (!Array.isArray(value) || value.length === 0) fail(key, 'must be a non-empty list', value);
  return (value as unknown[]).map((item, index) => check(item, `${key}[${index}]`));
}

/** The settings `build` makes, checked by ot; an `InvalidArgumentError` names `config.<path>`. */
function checkedByOt(path: string, build: () => SinkhornSettings): void {
  try {
    validateSinkhornSettings(build(), functionName);
  } catch (error) {
    if (!InvalidArgumentError.isInstance(error)) throw error;
    throw renameArgument(error, functionName, `config.${path}`);
  }
}

function fail(path: string, message: string, value?: unknown): never {
  throw new InvalidArgumentError({ functionName, argumentName: `config.${path}`, message, value });
}
