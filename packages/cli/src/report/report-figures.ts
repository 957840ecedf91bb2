import type { RunRecord } from '../sweep/results-store.js';
import {
  aggregateSeeds,
  type MetricSummary,
  type SeedAggregate,
} from '../sweep/seed-aggregates.js';
import { imageFigures } from './image-figures.js';
import { metricLabel } from './metric-labels.js';
import { sconesFigures } from './scones-figures.js';

/** How the reference lines name the unregularized couplings. */
const COUPLING_LABELS: Readonly<Record<string, string>> = {
  independent: 'I-FM',
  supervised: 'supervised',
  exact: 'exact assignment',
  semidiscrete: 'semidiscrete',
};

/** The couplings of a train sweep with no entropy to vary: reference lines in the figures. */
const REFERENCE_COUPLINGS: readonly string[] = [
  'independent',
  'supervised',
  'exact',
  'semidiscrete',
];

/** A figure of the report: a title, a caption, and the series it draws. */
export interface FigureSpec {
  /** The DOM id of the figure's container (`figure-<id>`). */
  readonly id: string;
  readonly title: string;
  readonly caption: string;
  /** x and y fields of the points, and the field that separates series (one line each). */
  readonly x: string;
  readonly y: string;
  readonly series: string;
  /** Axis labels with units (default: the field names). */
  readonly xLabel?: string;
  readonly yLabel?: string;
  readonly logX: boolean;
  readonly logY: boolean;
  /**
   * Fields of the points that hold the ends of a vertical error bar (mean -/+ one standard error
   * over seeds); points without them (one seed) have no bar.
   */
  readonly interval?: { readonly low: string; readonly high: string };
  /** Horizontal reference lines (I-FM, supervised) with their labels and, over seeds, their bars. */
  readonly references: readonly {
    readonly label: string;
    readonly value: number;
    readonly low?: number;
    readonly high?: number;
  }[];
  readonly points: readonly Readonly<Record<string, number | string>>[];
  /**
   * Points drawn alone, as a diamond in their series' colour (same `x`, `y` and `series` fields),
   * not joined to the line: a different way of reaching the same quantity (an adaptive solver's
   * own number of evaluations next to the Euler line of the same model).
   */
  readonly dots?: readonly Readonly<Record<string, number | string>>[];
}

/** The fields of a figure's points that hold the ends of its error bars. */
const LOW = 'low';
const HIGH = 'high';

/**
 * The figures of the paper's study [klein2025, Figs. 1, 3-6] that a sweep's finished runs support,
 * with axis labels and units ({@link metricLabel}); a figure needs at least two points. Runs that
 * differ only by their seed are averaged first ({@link aggregateSeeds}): each point is the mean
 * over seeds with a bar of one standard error, `mean -/+ s / sqrt(k)` (on a log axis a bar that
 * would reach zero stops at a tenth of the mean). For coupling runs: E reached against relative
 * epsilon, and Sinkhorn time per example and the map errors of the sampled pairs and of the
 * barycentric projection against E (one line per benchmark, d and n) and against n (one line per E
 * or relative epsilon); for training runs, curvature, reconstruction (and L2-UVP), BPD and Sinkhorn
 * time per example against E (one line per n; I-FM and supervised runs as reference lines) and
 * against n (one line per E). Runs of several benchmarks or dimensions get one figure each
 * (`<id>-<benchmark>-d<d>`), and options that differ between the runs of a figure (e.g. `steps`)
 * name their lines. Then, for `sinkflow scones` runs, BW-UVP against d ({@link sconesFigures}); for
 * `sinkflow images` runs, Fréchet distance against steps and E, curvature against E
 * ({@link imageFigures}).
 */
export function reportFigures(runs: readonly RunRecord[]): FigureSpec[] {
  const groups = aggregateSeeds(
    runs.filter((run) => run.kind === 'coupling' || run.kind === 'train'),
  );
  // Options that differ between groups name the lines (`, steps=2400`); the coupling is named otherwise.
  const varying = (members: readonly SeedAggregate[]) => {
    const keys = new Set(members.flatMap((group) => Object.keys(group.options)));
    keys.delete('coupling');
    return [...keys].filter(
      (key) => new Set(members.map((group) => JSON.stringify(group.options[key] ?? null))).size > 1,
    );
  };
  // Only the options a group sets: `pairsPerCoupling=256` names the line that has it, not the others.
  const suffix = (group: SeedAggregate, keys: readonly string[]) =>
    keys
      .filter((key) => group.options[key] !== undefined)
      .map((key) => `, ${key}=${JSON.stringify(group.options[key])}`)
      .join('');
  const bySize = (group: SeedAggregate) => `${group.benchmark} d=${group.d} n=${group.n}`;
  const byRegularization = (group: SeedAggregate) => {
    const regularization =
      group.targetEntropy !== null
        ? `E = ${group.targetEntropy}`
        : `relative epsilon = ${String(group.relativeEpsilon)}`;
    return `${group.benchmark} d=${group.d}, ${regularization}`;
  };
  const value = (group: SeedAggregate, field: string): MetricSummary | undefined => {
    const summary = group.metrics[field];
    if (summary !== undefined) return summary;
    const config = (group as unknown as Record<string, unknown>)[field];
    return typeof config === 'number' && Number.isFinite(config)
      ? {
          count: group.seeds.length,
          mean: config,
          standardDeviation: null,
          standardError: null,
          minimum: config,
          maximum: config,
        }
      : undefined;
  };
  const ends = (summary: MetricSummary, logY: boolean) => {
    if (summary.standardError === null || summary.standardError === 0) return undefined;
    const low = summary.mean - summary.standardError;
    return {
      low: logY && low <= 0 ? summary.mean / 10 : low,
      high: summary.mean + summary.standardError,
    };
  };
  // Training groups of couplings with no E to vary (I-FM, supervised, exact, semidiscrete) are the
  // figures' reference lines; an OT group is never one, even when its E is missing (a run
  // resumed at its last step records none).
  const isBaseline = (group: SeedAggregate) =>
    group.kind === 'train' && REFERENCE_COUPLINGS.includes(group.coupling);
  const baselines = (
    y: string,
    members: readonly SeedAggregate[],
    keys: readonly string[],
    logY: boolean,
  ) =>
    members.flatMap((group) => {
      if (!isBaseline(group)) return [];
      const summary = group.metrics[y];
      if (summary === undefined) return [];
      // An entropic semidiscrete dual says its epsilon (it is in the run's config, not its options).
      const epsilon =
        group.relativeEpsilon === null ? '' : `, relative epsilon ${group.relativeEpsilon}`;
      const label = `${group.name ?? COUPLING_LABELS[group.coupling] ?? group.coupling}${epsilon}${suffix(group, keys)}`;
      return [{ label, value: summary.mean, ...ends(summary, logY) }];
    });
  const figure = (
    id: string,
    title: string,
    caption: string,
    x: string,
    y: string,
    options: {
      logX?: boolean;
      logY?: boolean;
      kind?: string;
      seriesOf?: (group: SeedAggregate) => string;
    } = {},
  ): FigureSpec[] => {
    const kindGroups = groups.filter(
      (group) => options.kind === undefined || group.kind === options.kind,
    );
    const panels = new Map<string, SeedAggregate[]>();
    for (const group of kindGroups) {
      const panel = `${group.benchmark}-d${group.d}`;
      panels.set(panel, [...(panels.get(panel) ?? []), group]);
    }
    const logY = options.logY ?? false;
    const seriesOf = options.seriesOf ?? bySize;
    return [...panels].flatMap(([panel, members]): FigureSpec[] => {
      const keys = varying(members);
      const points = members.flatMap((group): Record<string, number | string>[] => {
        const xValue = value(group, x);
        const yValue = value(group, y);
        if (xValue === undefined || yValue === undefined) return [];
        // A baseline has no E: it is a reference line, not a point.
        if (x === 'n' && isBaseline(group)) return [];
        const bar = ends(yValue, logY);
        return [
          {
            series: `${seriesOf(group)}${suffix(group, keys)}`,
            [x]: xValue.mean,
            [y]: yValue.mean,
            seeds: yValue.count,
            ...(bar === undefined ? {} : { [LOW]: bar.low, [HIGH]: bar.high }),
          },
        ];
      });
      // One point says nothing against an axis (the quickstart's OT-FM run): its comparison with
      // the other runs is the report's comparison section.
      if (points.length < 2) return [];
      // Against n, a line needs two sizes.
      if (x === 'n' && new Set(points.map((entry) => entry.n)).size < 2) return [];
      const seeds = [...new Set(points.map((point) => Number(point.seeds)))].sort((a, b) => a - b);
      const spread =
        seeds.at(-1) === 1
          ? ''
          : ` Mean over ${seeds.length === 1 ? seeds[0] : `${seeds[0]} to ${seeds.at(-1)}`} seeds, bars of one standard error.`;
      return [
        {
          id: panels.size > 1 ? `${id}-${panel}` : id,
          title:
            panels.size > 1 ? `${title} (${members[0]?.benchmark}, d = ${members[0]?.d})` : title,
          caption: `${caption}${spread}`,
          x,
          y,
          series: 'series',
          xLabel: metricLabel(x),
          yLabel: metricLabel(y),
          logX: options.logX ?? false,
          logY,
          interval: { low: LOW, high: HIGH },
          references: options.kind === 'train' ? baselines(y, members, keys, logY) : [],
          points,
        },
      ];
    });
  };
  const againstN = { logX: true, seriesOf: byRegularization };
  return [
    figure(
      'entropy-epsilon',
      'Renormalized entropy reached against relative epsilon',
      'E grows from 0 (a permutation) to 1 (independent pairs) as epsilon grows; one line per benchmark, dimension and OT batch size.',
      'relativeEpsilon',
      'renormalizedEntropy',
      { logX: true, kind: 'coupling' },
    ),
    figure(
      'time-entropy',
      'Sinkhorn time per example against E',
      'Seconds of Sinkhorn (calibration included) divided by the OT batch size: the cost axis of the paper; one line per benchmark, dimension and OT batch size.',
      'renormalizedEntropy',
      'sinkhornSecondsPerExample',
      { logY: true, kind: 'coupling' },
    ),
    figure(
      'time-n',
      'Sinkhorn time per example against n',
      'The same time against the OT batch size, one line per entropy (or relative epsilon).',
      'n',
      'sinkhornSecondsPerExample',
      { ...againstN, logY: true, kind: 'coupling' },
    ),
    figure(
      'pair-error-entropy',
      'Sampled pairs against the true Monge map',
      'Mean ||y_j - T0(x_i)||^2 over pairs (i, j) sampled from the coupling: lower means straighter pairs.',
      'renormalizedEntropy',
      'pairMapError',
      { logY: true, kind: 'coupling' },
    ),
    figure(
      'pair-error-n',
      'Sampled pairs against the true Monge map, against n',
      'Mean ||y_j - T0(x_i)||^2 against the OT batch size, one line per entropy: larger couplings pair closer to the map.',
      'n',
      'pairMapError',
      { ...againstN, logY: true, kind: 'coupling' },
    ),
    figure(
      'projection-error-entropy',
      'Barycentric projection against the true Monge map',
      'Mean ||T_P(x_i) - T0(x_i)||^2 with T_P(x_i) = sum_j P_ij y_j / a_i.',
      'renormalizedEntropy',
      'projectionError',
      { logY: true, kind: 'coupling' },
    ),
    figure(
      'projection-error-n',
      'Barycentric projection against the true Monge map, against n',
      'Mean ||T_P(x_i) - T0(x_i)||^2 against the OT batch size, one line per entropy.',
      'n',
      'projectionError',
      { ...againstN, logY: true, kind: 'coupling' },
    ),
    figure(
      'curvature-entropy',
      'Curvature against E',
      'Lee et al. curvature of the trained flow (lower is straighter); one line per benchmark, dimension and OT batch size, I-FM and supervised runs dashed.',
      'renormalizedEntropy',
      'curvature',
      { logX: true, logY: true, kind: 'train' },
    ),
    figure(
      'curvature-n',
      'Curvature against n',
      'Curvature of the trained flow against the OT batch size, one line per entropy.',
      'n',
      'curvature',
      { ...againstN, logY: true, kind: 'train' },
    ),
    figure(
      'reconstruction-entropy',
      'Reconstruction against E',
      'Mean squared error of the flow map against T0; one line per OT batch size, I-FM and supervised runs dashed.',
      'renormalizedEntropy',
      'reconstruction',
      { logX: true, kind: 'train' },
    ),
    figure(
      'reconstruction-n',
      'Reconstruction against n',
      'Mean squared error of the flow map against T0, against the OT batch size, one line per entropy.',
      'n',
      'reconstruction',
      { ...againstN, kind: 'train' },
    ),
    figure(
      'bpd-entropy',
      'Bits per dimension against E',
      'Negative log-likelihood of test data in bits per dimension; one line per OT batch size, I-FM and supervised runs dashed.',
      'renormalizedEntropy',
      'bpd',
      { logX: true, kind: 'train' },
    ),
    figure(
      'bpd-n',
      'Bits per dimension against n',
      'Negative log-likelihood of test data against the OT batch size, one line per entropy.',
      'n',
      'bpd',
      { ...againstN, kind: 'train' },
    ),
    figure(
      'training-time-entropy',
      'Sinkhorn time per example of the training couplings against E',
      'Seconds of Sinkhorn (entropy calibration included) per training example [klein2025, Fig. 1, bottom row]; I-FM pays none.',
      'renormalizedEntropy',
      'sinkhornSecondsPerExample',
      { logX: true, logY: true, kind: 'train' },
    ),
    figure(
      'training-time-n',
      'Sinkhorn time per example of the training couplings against n',
      'The same time against the OT batch size, one line per entropy.',
      'n',
      'sinkhornSecondsPerExample',
      { ...againstN, logY: true, kind: 'train' },
    ),
  ]
    .flat()
    .concat(sconesFigures(runs), imageFigures(runs));
}
