import type { RunRecord } from '../sweep/results-store.js';

/** A 2-D trajectory figure: the paths `t -> x_t` of one trained flow. */
export interface TrajectoryFigure {
  /** The DOM id suffix (`figure-trajectories-<run id>`). */
  readonly id: string;
  readonly title: string;
  readonly caption: string;
  /** One row per point of a path: its path index, time step and coordinates. */
  readonly points: readonly {
    readonly path: number;
    readonly step: number;
    readonly x: number;
    readonly y: number;
  }[];
}

/**
 * One figure per finished 2-D training run that kept trajectories (the `trajectories` metric, a
 * JSON array of paths of [x, y] points): straight paths are what OT couplings buy [klein2025].
 */
export function trajectoryFigures(runs: readonly RunRecord[]): TrajectoryFigure[] {
  const figures: TrajectoryFigure[] = [];
  for (const run of runs) {
    const encoded = run.metrics?.trajectories;
    if (run.status !== 'done' || typeof encoded !== 'string') continue;
    let paths: unknown;
    try {
      paths = JSON.parse(encoded);
    } catch {
      continue;
    }
    if (!Array.isArray(paths)) continue;
    const points: TrajectoryFigure['points'][number][] = [];
    paths.forEach((path: unknown, index) => {
      if (!Array.isArray(path)) return;
      path.forEach((point: unknown, step) => {
        if (Array.isArray(point) && typeof point[0] === 'number' && typeof point[1] === 'number') {
          points.push({ path: index, step, x: point[0], y: point[1] });
        }
      });
    });
    if (points.length === 0) continue;
    const config = run.config as Record<string, unknown>;
    const name = typeof run.metrics?.name === 'string' ? `${run.metrics.name}, ` : '';
    const coupling = String(run.metrics?.coupling ?? config.options ?? '');
    const regularization = config.targetEntropy ?? config.relativeEpsilon;
    const projected = typeof config.d === 'number' && config.d > 2;
    figures.push({
      id: `trajectories-${run.id}`,
      title: `Trajectories: ${name}${String(config.benchmark)}, ${coupling} pairs${regularization === null || regularization === undefined ? '' : ` (${config.targetEntropy === null ? 'relative epsilon' : 'E'} = ${String(regularization)})`}`,
      caption: `Paths t -> x_t of held-out noise points under the trained flow (Euler steps from t = 0 to 1)${projected ? `, projected on the first two of d = ${config.d} coordinates` : ''}: straight paths need few ODE steps.`,
      points,
    });
  }
  return figures;
}
