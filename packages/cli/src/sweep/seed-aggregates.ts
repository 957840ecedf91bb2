import type { RunRecord } from './results-store.js';

/** Mean and spread of one metric over the seeds of a group of runs. */
export interface MetricSummary {
  /** Runs of the group with a finite value of the metric (the `k` below). */
  readonly count: number;
  readonly mean: number;
  /** Sample standard deviation `s` (divisor k - 1); null for one run. */
  readonly standardDeviation: number | null;
  /** Standard error of the mean `s / sqrt(k)`; null for one run. */
  readonly standardError: number | null;
  readonly minimum: number;
  readonly maximum: number;
}

/** Finished runs that differ only by their seed, and their metrics over the seeds. */
export interface SeedAggregate {
  /** The sweeps the group's runs come from, sorted (runs of equal settings join across sweeps). */
  readonly sweeps: readonly string[];
  readonly kind: string;
  readonly benchmark: string;
  readonly d: number;
  readonly n: number;
  /**
   * The pairing of a `train` run (`options.coupling`, default `ot`); `coupling` for the runs of a
   * `coupling` sweep.
   */
  readonly coupling: string;
  readonly targetEntropy: number | null;
  readonly relativeEpsilon: number | null;
  /** The runs' options (steps, model, ...) as the sweep gave them, without `checkpointEvery`. */
  readonly options: Readonly<Record<string, unknown>>;
  /** The runs' `name` metric where a caller named them (the quickstart's records); null in sweeps. */
  readonly name: string | null;
  /** The seeds of the group's finished runs, ascending. */
  readonly seeds: readonly number[];
  /** Every numeric metric of the group (booleans and strings are left out). */
  readonly metrics: Readonly<Record<string, MetricSummary>>;
}

/**
 * The pairing of a run as the aggregates name it: `options.coupling` of a `train` run (or the
 * `coupling` of its config, as the quickstart records it; default `ot`); for any other kind the
 * `coupling` of its config where it has one (an `images` run's flow: `independent`, `sinkhorn`,
 * `batch-ot`, `semidiscrete`), else the kind (`coupling` for a coupling sweep's runs).
 */
export function runCoupling(run: Pick<RunRecord, 'kind' | 'config'>): string {
  const ownCoupling = typeof run.config.coupling === 'string' ? run.config.coupling : undefined;
  if (run.kind !== 'train') return ownCoupling ?? run.kind;
  const options = (run.config.options ?? {}) as Record<string, unknown>;
  if (typeof options.coupling === 'string') return options.coupling;
  return ownCoupling ?? 'ot';
}

/** The config fields that are grouping keys of their own (or the seed), never "options". */
const KEY_FIELDS = [
  'seed',
  'benchmark',
  'dataset',
  'd',
  'n',
  'coupling',
  'targetEntropy',
  'relativeEpsilon',
] as const;

/**
 * The options of a run that define what it computes, without `checkpointEvery` (which changes when
 * checkpoints are written, not the result): its config's `options` (a sweep's runs), or, for a
 * run recorded without them (`images`, `scones`), every other field of its config but the seed
 * and the grouping keys, so that runs of two budgets never share a group.
 */
export function resultOptions(
  config: Readonly<Record<string, unknown>>,
): Readonly<Record<string, unknown>> {
  const source =
    typeof config.options === 'object' && config.options !== null
      ? (config.options as Record<string, unknown>)
      : Object.fromEntries(
          Object.entries(config).filter(
            ([name]) => !(KEY_FIELDS as readonly string[]).includes(name),
          ),
        );
  const { checkpointEvery: _checkpointEvery, ...options } = source;
  return options;
}

/**
 * Groups the finished runs of one or more sweeps by everything but their seed (kind, benchmark, d,
 * n, coupling, target entropy or relative epsilon, and the options but `checkpointEvery`: runs of
 * equal settings from two sweeps join, e.g. more seeds added by a second config; runs a caller
 * named, the quickstart's, also by their name) and summarises
 * every numeric metric over the group's k runs [klein2025, Sec. 5]:
 *
 *     mean = (1/k) sum_s x_s,   s = sqrt(sum_s (x_s - mean)^2 / (k - 1)),   SE = s / sqrt(k).
 *
 * The same numbers as the `seed_aggregates` view of the results database
 * (`openResultsStore(...).aggregates()`), computed here for records that are not in a database
 * (the quickstart). Groups come out sorted by kind, benchmark, d, coupling, n, E, options.
 *
 * @example
 * ```ts
 * const [group] = aggregateSeeds(await store.list('piecewise-affine-d16'));
 * group.metrics.reconstruction; // { count: 3, mean: 1.31, standardError: 0.04, ... }
 * ```
 */
export function aggregateSeeds(runs: readonly RunRecord[]): SeedAggregate[] {
  const groups = new Map<
    string,
    { key: Omit<SeedAggregate, 'sweeps' | 'seeds' | 'metrics'>; runs: RunRecord[] }
  >();
  for (const run of runs) {
    if (run.status !== 'done' || run.metrics === null) continue;
    const config = run.config as Record<string, unknown>;
    const key = {
      kind: run.kind,
      benchmark: String(config.benchmark ?? config.dataset),
      d: Number(config.d),
      n: Number(config.n),
      coupling: runCoupling(run),
      targetEntropy: typeof config.targetEntropy === 'number' ? config.targetEntropy : null,
      relativeEpsilon: typeof config.relativeEpsilon === 'number' ? config.relativeEpsilon : null,
      options: resultOptions(config),
      name: typeof run.metrics.name === 'string' ? run.metrics.name : null,
    };
    const id = JSON.stringify(Object.values(key));
    const group = groups.get(id) ?? { key, runs: [] };
    group.runs.push(run);
    groups.set(id, group);
  }
  const aggregates = [...groups.values()].map(({ key, runs: members }): SeedAggregate => {
    const values = new Map<string, number[]>();
    for (const run of members) {
      for (const [metric, value] of Object.entries(run.metrics ?? {})) {
        if (typeof value !== 'number' || !Number.isFinite(value)) continue;
        values.set(metric, [...(values.get(metric) ?? []), value]);
      }
    }
    const metrics: Record<string, MetricSummary> = {};
    for (const [metric, list] of values) metrics[metric] = summarize(list);
    const seeds = members
      .map((run) => (run.config as Record<string, unknown>).seed)
      .filter((seed): seed is number => typeof seed === 'number')
      .sort((a, b) => a - b);
    const sweeps = [...new Set(members.map((run) => run.sweep))].sort();
    return { sweeps, ...key, seeds, metrics };
  });
  const order = (value: number | null) => value ?? Number.POSITIVE_INFINITY;
  return aggregates.sort(
    (a, b) =>
      a.kind.localeCompare(b.kind) ||
      a.benchmark.localeCompare(b.benchmark) ||
      a.d - b.d ||
      a.coupling.localeCompare(b.coupling) ||
      a.n - b.n ||
      order(a.targetEntropy) - order(b.targetEntropy) ||
      order(a.relativeEpsilon) - order(b.relativeEpsilon) ||
      JSON.stringify(a.options).localeCompare(JSON.stringify(b.options)) ||
      (a.name ?? '').localeCompare(b.name ?? ''),
  );
}

/** Mean, sample standard deviation and standard error of the mean of k >= 1 values. */
export function summarize(values: readonly number[]): MetricSummary {
  const count = values.length;
  let sum = 0;
  for (const value of values) sum += value;
  const mean = sum / count;
  let squares = 0;
  for (const value of values) squares += (value - mean) ** 2;
  const standardDeviation = count > 1 ? Math.sqrt(squares / (count - 1)) : null;
  return {
    count,
    mean,
    standardDeviation,
    standardError: standardDeviation === null ? null : standardDeviation / Math.sqrt(count),
    minimum: Math.min(...values),
    maximum: Math.max(...values),
  };
}
