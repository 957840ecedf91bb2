import type { RunRecord } from '../sweep/results-store.js';

/** A scatter of one trained flow's samples against the target, on coordinates 1 and 2. */
export interface SampleFigure {
  /** The DOM id suffix (`figure-samples-<run id>`). */
  readonly id: string;
  readonly title: string;
  readonly caption: string;
  /** One row per point: `generated` (the flow's sample) or `target`, and its two coordinates. */
  readonly points: readonly {
    readonly set: 'generated' | 'target';
    readonly x: number;
    readonly y: number;
  }[];
  readonly xLabel: string;
  readonly yLabel: string;
}

/**
 * One figure per finished training run that kept samples (the `samples` metric, JSON
 * `{ generated, target, projected }` of `[x1, x2]` points): where the flow's samples land against
 * the target distribution, on the plane of the first two coordinates (a projection when d > 2).
 */
export function sampleFigures(runs: readonly RunRecord[]): SampleFigure[] {
  const figures: SampleFigure[] = [];
  for (const run of runs) {
    const encoded = run.metrics?.samples;
    if (run.status !== 'done' || typeof encoded !== 'string') continue;
    let parsed: { generated?: unknown; target?: unknown; projected?: unknown };
    try {
      parsed = JSON.parse(encoded);
    } catch {
      continue;
    }
    const points: SampleFigure['points'][number][] = [];
    for (const set of ['target', 'generated'] as const) {
      const list = parsed[set];
      if (!Array.isArray(list)) continue;
      for (const point of list) {
        if (Array.isArray(point) && Number.isFinite(point[0]) && Number.isFinite(point[1]))
          points.push({ set, x: point[0], y: point[1] });
      }
    }
    if (points.length === 0) continue;
    const config = run.config as Record<string, unknown>;
    const name = typeof run.metrics?.name === 'string' ? run.metrics.name : run.id;
    const projected = parsed.projected === true;
    figures.push({
      id: `samples-${run.id}`,
      title: `Samples: ${name} on ${String(config.benchmark)}, d = ${String(config.d)}`,
      caption: `The flow's samples (Euler, 20 steps from held-out noise) against points of the target${projected ? ', projected on the first two coordinates' : ''}.`,
      points,
      xLabel: projected ? 'coordinate 1' : 'x',
      yLabel: projected ? 'coordinate 2' : 'y',
    });
  }
  return figures;
}
