import type { RunRecord } from '../sweep/results-store.js';
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
  readonly logX: boolean;
  readonly logY: boolean;
  /** Horizontal reference lines (I-FM, supervised) with their labels. */
  readonly references: readonly { readonly label: string; readonly value: number }[];
  readonly points: readonly Readonly<Record<string, number | string>>[];
}

/**
 * The figures of the paper's study [klein2025, Figs. 3-6] that a sweep's finished runs support:
 * for coupling runs, E reached against relative epsilon, Sinkhorn time per example against E, and
 * the map errors of the sampled pairs and of the barycentric projection against E, one line per
 * (benchmark, d, n); for training runs, curvature, reconstruction and BPD against E with the
 * I-FM and supervised runs as reference lines; for `sinkflow scones` runs, BW-UVP against d
 * ({@link sconesFigures}).
 */
export function reportFigures(runs: readonly RunRecord[]): FigureSpec[] {
  const finished = runs.filter((run) => run.status === 'done' && run.metrics !== null);
  const point = (run: RunRecord, fields: readonly string[]) => {
    const metrics = run.metrics as Record<string, unknown>;
    const config = run.config as Record<string, unknown>;
    const values: Record<string, number | string> = {
      series: `${String(config.benchmark)} d=${String(config.d)} n=${String(config.n)}`,
    };
    for (const field of fields) {
      const value = metrics[field];
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
      references?: FigureSpec['references'];
    } = {},
  ): FigureSpec | undefined => {
    const points = finished
      .filter((run) => options.kind === undefined || run.kind === options.kind)
      .map((run) => point(run, [x, y]))
      .filter((value): value is Record<string, number | string> => value !== undefined);
    if (points.length === 0) return undefined;
    const references = options.references ?? (options.kind === 'train' ? baselines(y) : []);
    return {
      id,
      title,
      caption,
      x,
      y,
      series: 'series',
      logX: options.logX ?? false,
      logY: options.logY ?? false,
      references,
      points,
    };
  };
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
      'Seconds of Sinkhorn (calibration included) divided by the OT batch size: the cost axis of the paper.',
      'renormalizedEntropy',
      'sinkhornSecondsPerExample',
      { logY: true, kind: 'coupling' },
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
      'projection-error-entropy',
      'Barycentric projection against the true Monge map',
      'Mean ||T_P(x_i) - T0(x_i)||^2 with T_P(x_i) = sum_j P_ij y_j / a_i.',
      'renormalizedEntropy',
      'projectionError',
      { logY: true, kind: 'coupling' },
    ),
    figure(
      'curvature-entropy',
      'Curvature against E',
      'Lee et al. curvature of the trained flow (lower is straighter).',
      'renormalizedEntropy',
      'curvature',
      { kind: 'train' },
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
      'bpd-entropy',
      'Bits per dimension against E',
      'Negative log-likelihood of test data in bits per dimension.',
      'renormalizedEntropy',
      'bpd',
      { kind: 'train' },
    ),
  ]
    .filter((spec): spec is FigureSpec => spec !== undefined)
    .concat(sconesFigures(runs));
}
