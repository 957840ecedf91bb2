import type { RunRecord } from '../sweep/results-store.js';
import { imageFigures } from './image-figures.js';
import { metricLabel } from './metric-labels.js';
import { sconesFigures } from './scones-figures.js';

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
  /** Horizontal reference lines (I-FM, supervised) with their labels. */
  readonly references: readonly { readonly label: string; readonly value: number }[];
  readonly points: readonly Readonly<Record<string, number | string>>[];
}

/**
 * The figures of the paper's study [klein2025, Figs. 3-6] that a sweep's finished runs support,
 * with axis labels and units ({@link metricLabel}); a figure needs at least two points. For
 * coupling runs: E reached against relative epsilon, and Sinkhorn time per example and the map
 * errors of the sampled pairs and of the barycentric projection against E (one line per
 * benchmark, d and n) and against n (one line per E or relative epsilon); for training runs,
 * curvature, reconstruction and BPD against E (I-FM and supervised runs as reference lines) and
 * against n (one line per E); for `sinkflow scones` runs, BW-UVP against d ({@link sconesFigures});
 * for `sinkflow images` runs, Fréchet distance against steps and E, curvature against E
 * ({@link imageFigures}).
 */
export function reportFigures(runs: readonly RunRecord[]): FigureSpec[] {
  const finished = runs.filter((run) => run.status === 'done' && run.metrics !== null);
  const configOf = (run: RunRecord) => run.config as Record<string, unknown>;
  const bySize = (run: RunRecord) => {
    const config = configOf(run);
    return `${String(config.benchmark)} d=${String(config.d)} n=${String(config.n)}`;
  };
  const byRegularization = (run: RunRecord) => {
    const config = configOf(run);
    const regularization =
      typeof config.targetEntropy === 'number'
        ? `E = ${config.targetEntropy}`
        : `relative epsilon = ${String(config.relativeEpsilon)}`;
    return `${String(config.benchmark)} d=${String(config.d)}, ${regularization}`;
  };
  const point = (
    run: RunRecord,
    fields: readonly string[],
    seriesOf: (run: RunRecord) => string,
  ) => {
    const metrics = run.metrics as Record<string, unknown>;
    const config = configOf(run);
    const values: Record<string, number | string> = { series: seriesOf(run) };
    for (const field of fields) {
      const value = metrics[field] ?? config[field];
      if (typeof value !== 'number' || !Number.isFinite(value)) return undefined;
      values[field] = value;
    }
    return values;
  };
  // Training runs without a coupling entropy (I-FM, supervised) are the figures' reference lines.
  const baselines = (y: string): FigureSpec['references'] =>
    finished
      .filter((run) => run.kind === 'train')
      .flatMap((run) => {
        const metrics = run.metrics as Record<string, unknown>;
        const value = metrics[y];
        if (typeof metrics.renormalizedEntropy === 'number') return [];
        if (typeof value !== 'number' || !Number.isFinite(value)) return [];
        const label = typeof metrics.name === 'string' ? metrics.name : run.id;
        return [{ label, value }];
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
      seriesOf?: (run: RunRecord) => string;
    } = {},
  ): FigureSpec | undefined => {
    const points = finished
      .filter((run) => options.kind === undefined || run.kind === options.kind)
      .map((run) => point(run, [x, y], options.seriesOf ?? bySize))
      .filter((value): value is Record<string, number | string> => value !== undefined);
    // One point says nothing against an axis (the quickstart's OT-FM run): its comparison with
    // the other runs is the report's comparison section.
    if (points.length < 2) return undefined;
    // Against n, a line needs two sizes.
    if (x === 'n' && new Set(points.map((entry) => entry.n)).size < 2) return undefined;
    return {
      id,
      title,
      caption,
      x,
      y,
      series: 'series',
      xLabel: metricLabel(x),
      yLabel: metricLabel(y),
      logX: options.logX ?? false,
      logY: options.logY ?? false,
      references: options.kind === 'train' ? baselines(y) : [],
      points,
    };
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
      { kind: 'train' },
    ),
    figure(
      'curvature-n',
      'Curvature against n',
      'Curvature of the trained flow against the OT batch size, one line per entropy.',
      'n',
      'curvature',
      { ...againstN, kind: 'train' },
    ),
    figure(
      'reconstruction-entropy',
      'Reconstruction against E',
      'Mean squared error of the flow map against T0.',
      'renormalizedEntropy',
      'reconstruction',
      { kind: 'train' },
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
      'Negative log-likelihood of test data in bits per dimension.',
      'renormalizedEntropy',
      'bpd',
      { kind: 'train' },
    ),
    figure(
      'bpd-n',
      'Bits per dimension against n',
      'Negative log-likelihood of test data against the OT batch size, one line per entropy.',
      'n',
      'bpd',
      { ...againstN, kind: 'train' },
    ),
  ]
    .filter((spec): spec is FigureSpec => spec !== undefined)
    .concat(sconesFigures(runs), imageFigures(runs));
}
