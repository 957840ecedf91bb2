import type { RunRecord } from '../sweep/results-store.js';
import type { FigureSpec } from './report-figures.js';

/** Euler step counts of `sinkflow images` and the metric that holds each Fréchet distance. */
const EULER_STEPS = [2, 4, 8, 16] as const;

/**
 * The figures of the Fashion-MNIST study [klein2025, Fig. 7] from `sinkflow images --db` runs: the
 * classifier-feature Fréchet distance against the number of velocity evaluations (Euler at 2, 4,
 * 8, 16 steps, and Dopri5 at its own count when recorded), one line per model; the Fréchet
 * distance at 4 Euler steps and the curvature against E, one line per n (I-FM as a reference
 * line, batch and semidiscrete OT-FM too); the Fréchet distance at 4 Euler steps and the Sinkhorn
 * seconds per example against n, one line per E. Each is absent without the points it needs.
 */
export function imageFigures(runs: readonly RunRecord[]): FigureSpec[] {
  const finished = runs.filter(
    (run) => run.kind === 'images' && run.status === 'done' && run.metrics !== null,
  );
  const metricsOf = (run: RunRecord) => run.metrics as Record<string, unknown>;
  const configOf = (run: RunRecord) => run.config as Record<string, unknown>;
  const finite = (value: unknown): value is number =>
    typeof value === 'number' && Number.isFinite(value);
  const nameOf = (run: RunRecord) => {
    const config = configOf(run);
    switch (config.coupling) {
      case 'independent':
        return 'I-FM';
      case 'batch-sinkhorn':
        return `batch OT-FM n=${String(config.n)} E=${String(config.targetEntropy)}`;
      case 'semidiscrete':
        return 'semidiscrete OT-FM';
      default:
        return `OT-FM n=${String(config.n)} E=${String(config.targetEntropy)}`;
    }
  };
  const stepPoints = finished.flatMap((run) => {
    const metrics = metricsOf(run);
    return EULER_STEPS.flatMap((steps) => {
      const value = metrics[`frechet-euler-${steps}`];
      return finite(value) ? [{ model: nameOf(run), evaluations: steps, frechet: value }] : [];
    });
  });
  // Dopri5 at its own number of evaluations: a diamond in the colour of the model's Euler line.
  const dopri5Points = finished.flatMap((run) => {
    const dopri5 = metricsOf(run)['frechet-dopri5'];
    const evaluations = metricsOf(run)['functionEvaluations-dopri5'];
    return finite(dopri5) && finite(evaluations)
      ? [{ model: nameOf(run), evaluations, frechet: dopri5 }]
      : [];
  });
  // I-FM, batch OT-FM and semidiscrete OT-FM have no (n, E) grid: reference lines.
  const baselines = finished.filter((run) =>
    ['independent', 'batch-sinkhorn', 'semidiscrete'].includes(String(configOf(run).coupling)),
  );
  const coupled = finished.filter((run) => configOf(run).coupling === 'sinkhorn');
  const againstE = (metric: string) =>
    coupled.flatMap((run) => {
      const value = metricsOf(run)[metric];
      const entropy = metricsOf(run).renormalizedEntropy;
      return finite(value) && finite(entropy)
        ? [{ n: `n=${String(configOf(run).n)}`, renormalizedEntropy: entropy, [metric]: value }]
        : [];
    });
  const reference = (metric: string) =>
    baselines.flatMap((run) => {
      const value = metricsOf(run)[metric];
      return finite(value) ? [{ label: nameOf(run), value }] : [];
    });
  const figures: FigureSpec[] = [];
  if (stepPoints.length + dopri5Points.length >= 2) {
    figures.push({
      id: 'images-frechet-steps',
      title: 'Fashion-MNIST: Fréchet distance against velocity evaluations',
      caption:
        'Fréchet distance of classifier features between generated and test images (lower is better) after Euler at 2, 4, 8 and 16 steps, one line per model; Dopri5 as a diamond of the same colour at its own number of evaluations.',
      x: 'evaluations',
      y: 'frechet',
      series: 'model',
      xLabel: 'velocity evaluations per image',
      yLabel: 'feature Fréchet distance',
      logX: true,
      logY: true,
      references: [],
      points: stepPoints,
      ...(dopri5Points.length === 0 ? {} : { dots: dopri5Points }),
    });
  }
  for (const [metric, label, id] of [
    ['frechet-euler-4', 'feature Fréchet distance at 4 Euler steps', 'images-frechet-e'],
    ['curvature', 'curvature', 'images-curvature-e'],
  ] as const) {
    const points = againstE(metric);
    if (points.length < 2) continue;
    figures.push({
      id,
      title: `Fashion-MNIST: ${label} against E`,
      caption: `${label} of OT-FM against the renormalized entropy E of its coupling, one line per n; I-FM (E = 1), batch OT-FM and semidiscrete OT-FM, when run, as reference lines.`,
      x: 'renormalizedEntropy',
      y: metric,
      series: 'n',
      xLabel: 'renormalized entropy E',
      yLabel: label,
      logX: true,
      logY: false,
      references: reference(metric),
      points,
    });
  }
  const againstN = (metric: string) =>
    coupled.flatMap((run) => {
      const value = metricsOf(run)[metric];
      const n = configOf(run).n;
      return finite(value) && finite(n)
        ? [{ E: `E=${String(configOf(run).targetEntropy)}`, n, [metric]: value }]
        : [];
    });
  for (const [metric, label, id, logY] of [
    ['frechet-euler-4', 'feature Fréchet distance at 4 Euler steps', 'images-frechet-n', false],
    ['sinkhornSecondsPerExample', 'Sinkhorn seconds per example', 'images-sinkhorn-cost-n', true],
  ] as const) {
    const points = againstN(metric);
    if (points.length < 2) continue;
    figures.push({
      id,
      title: `Fashion-MNIST: ${label} against n`,
      caption: `${label} of OT-FM against the coupling's size n, one line per target entropy E.`,
      x: 'n',
      y: metric,
      series: 'E',
      xLabel: 'coupling size n',
      yLabel: label,
      logX: true,
      logY,
      references: metric === 'frechet-euler-4' ? reference(metric) : [],
      points,
    });
  }
  return figures;
}
