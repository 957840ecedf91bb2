import type { MetricSummary, SeedAggregate } from '../sweep/seed-aggregates.js';

/** A column of the table: a metric of the training runs and its heading. */
interface Column {
  readonly metric: string;
  readonly heading: string;
}

/** The columns of {@link seedTableMarkdown}: the paper's metrics [klein2025, Fig. 1], then costs. */
const COLUMNS: readonly Column[] = [
  { metric: 'renormalizedEntropy', heading: 'E reached' },
  { metric: 'curvature', heading: 'curvature' },
  { metric: 'reconstruction', heading: 'reconstruction' },
  { metric: 'l2Uvp', heading: 'L2-UVP (%)' },
  { metric: 'bpd', heading: 'bits/dim' },
  { metric: 'sinkhornSecondsPerExample', heading: 'Sinkhorn s/example' },
  { metric: 'trainSeconds', heading: 'train s' },
  { metric: 'evaluationSeconds', heading: 'evaluation s' },
];

/** How the table names the unregularized couplings. */
const COUPLING_NAMES: Readonly<Record<string, string>> = {
  independent: 'I-FM',
  supervised: 'supervised',
  exact: 'exact',
  ot: 'OT-FM',
  precomputed: 'precomputed',
  semidiscrete: 'semidiscrete',
};

/**
 * `mean ± standard error` with as many decimals as the standard error's first two significant
 * digits need (`1.312 ± 0.041`), in scientific notation below 0.01 (`(1.82 ± 0.05)e-4`); the mean
 * alone, to 4 significant digits, for one seed.
 *
 * @example
 * ```ts
 * formatMeanWithError({ mean: 1.31234, standardError: 0.0412, ... }); // '1.312 ± 0.041'
 * ```
 */
export function formatMeanWithError(
  summary: Pick<MetricSummary, 'mean' | 'standardError'>,
): string {
  const { mean, standardError } = summary;
  const magnitude = Math.abs(mean);
  if (magnitude !== 0 && magnitude < 0.01) {
    const exponent = Math.floor(Math.log10(magnitude));
    const scale = 10 ** exponent;
    const scaled = formatMeanWithError({
      mean: mean / scale,
      standardError: standardError === null ? null : standardError / scale,
    });
    return standardError === null ? `${scaled}e${exponent}` : `(${scaled})e${exponent}`;
  }
  if (standardError === null) return Number(mean.toPrecision(4)).toString();
  if (standardError === 0) return `${Number(mean.toPrecision(4))} ± 0`;
  const decimals = Math.min(12, Math.max(0, 1 - Math.floor(Math.log10(standardError))));
  return `${mean.toFixed(decimals)} ± ${standardError.toFixed(decimals)}`;
}

/**
 * The markdown tables of a training study for docs/benchmarks.md: one table per benchmark, d and
 * options, a row per coupling, n and E (I-FM and supervised first, then OT-FM by n and E), each
 * metric as `mean ± standard error` over the row's seeds ({@link formatMeanWithError}, from
 * {@link aggregateSeeds}), with the seeds and the sweeps that ran them. `coupling` runs are left
 * out (their figures are the report's).
 *
 * @example
 * ```ts
 * seedTableMarkdown(aggregateSeeds(await store.list()));
 * // '### piecewise-affine, d = 16 (steps=600, ...)\n\n| coupling | n | E | seeds | ...'
 * ```
 */
export function seedTableMarkdown(
  groups: readonly SeedAggregate[],
  {
    metrics,
  }: {
    /**
     * The metrics to tabulate, in this order (any numeric metric of the runs); by default E
     * reached, curvature, reconstruction, L2-UVP, bits per dimension, Sinkhorn seconds per example,
     * training and evaluation seconds, each where some run has it.
     */
    readonly metrics?: readonly string[];
  } = {},
): string {
  const chosen =
    metrics === undefined
      ? COLUMNS
      : metrics.map(
          (metric) =>
            COLUMNS.find((column) => column.metric === metric) ?? { metric, heading: metric },
        );
  const training = groups.filter((group) => group.kind === 'train');
  const tables = new Map<string, SeedAggregate[]>();
  for (const group of training) {
    const { coupling: _coupling, ...options } = group.options;
    const key = JSON.stringify([group.benchmark, group.d, options]);
    tables.set(key, [...(tables.get(key) ?? []), group]);
  }
  const sections: string[] = [];
  for (const [key, members] of tables) {
    const [benchmark, d, options] = JSON.parse(key) as [string, number, Record<string, unknown>];
    const columns = chosen.filter((column) =>
      members.some((group) => group.metrics[column.metric] !== undefined),
    );
    const described = Object.entries(options)
      .map(([name, value]) => `${name}=${JSON.stringify(value)}`)
      .join(', ');
    const rank = (group: SeedAggregate) =>
      group.coupling === 'independent' ? 0 : group.coupling === 'supervised' ? 1 : 2;
    const rows = [...members]
      .sort(
        (a, b) =>
          rank(a) - rank(b) ||
          a.coupling.localeCompare(b.coupling) ||
          a.n - b.n ||
          (a.targetEntropy ?? a.relativeEpsilon ?? 0) - (b.targetEntropy ?? b.relativeEpsilon ?? 0),
      )
      .map((group) => {
        const unregularized = group.targetEntropy === null && group.relativeEpsilon === null;
        const regularization =
          group.targetEntropy !== null
            ? String(group.targetEntropy)
            : group.relativeEpsilon !== null
              ? `rel. eps ${group.relativeEpsilon}`
              : '-';
        const cells = columns.map((column) => {
          const summary = group.metrics[column.metric];
          return summary === undefined ? '-' : formatMeanWithError(summary);
        });
        return `| ${COUPLING_NAMES[group.coupling] ?? group.coupling} | ${unregularized && group.coupling !== 'exact' ? '-' : group.n} | ${regularization} | ${group.seeds.join(', ')} | ${cells.join(' | ')} | ${group.sweeps.join(', ')} |`;
      });
    sections.push(
      [
        `### ${benchmark}, d = ${d}${described === '' ? '' : ` (${described})`}`,
        '',
        `| coupling | n | E | seeds | ${columns.map((column) => column.heading).join(' | ')} | sweeps |`,
        `|---|---|---|---|${columns.map(() => '---|').join('')}---|`,
        ...rows,
      ].join('\n'),
    );
  }
  return sections.length === 0
    ? ''
    : `${sections.join('\n\n')}\n\nMean ± standard error over the seeds listed (one seed: the value alone).\n`;
}

/**
 * The metrics {@link seedTableMarkdown} can tabulate for these groups: every metric some training
 * group has a value of, sorted (to check a `--metrics` list before it silently drops a typo).
 */
export function tabulatedMetricNames(groups: readonly SeedAggregate[]): string[] {
  const names = new Set<string>();
  for (const group of groups)
    if (group.kind === 'train') for (const name of Object.keys(group.metrics)) names.add(name);
  return [...names].sort();
}
