import type { RunRecord } from '../sweep/results-store.js';
import type { FigureSpec } from './report-figures.js';

/**
 * The figure of SCONES' Gaussian study [daniels2021, Table 2] from `sinkflow scones --db` runs:
 * BW-UVP of the sampled pairs' joint covariance against d, one line for SCONES (Langevin samples)
 * and one for the barycentric projection. Absent when no SCONES run is finished.
 */
export function sconesFigures(runs: readonly RunRecord[]): FigureSpec[] {
  const points = runs
    .filter((run) => run.kind === 'scones' && run.status === 'done' && run.metrics !== null)
    .flatMap((run) => {
      const metrics = run.metrics as Record<string, unknown>;
      const d = run.config.d;
      if (typeof d !== 'number') return [];
      return (
        [
          ['SCONES', metrics.bwUvpScones],
          ['barycentric projection', metrics.bwUvpBarycentricProjection],
        ] as const
      ).flatMap(([method, value]) =>
        typeof value === 'number' && Number.isFinite(value) ? [{ d, bwUvp: value, method }] : [],
      );
    });
  if (points.length === 0) return [];
  return [
    {
      id: 'scones-bw-uvp',
      title: 'SCONES against barycentric projection: BW-UVP against d',
      caption:
        'BW-UVP (%, lower is better) of the 2d x 2d joint covariance of 10 000 sampled pairs against the closed-form entropic coupling (cost ||x - y||^2, KL, lambda = 2d), as in Table 2 of Daniels et al. (2021).',
      x: 'd',
      y: 'bwUvp',
      series: 'method',
      logX: true,
      logY: true,
      references: [],
      points,
    },
  ];
}
