import { describe, expect, it } from 'vitest';
import { reportFigures } from '../src/report/report-figures.js';
import { comparisonTable, runComparison } from '../src/report/run-comparison.js';
import type { RunRecord } from '../src/sweep/results-store.js';

const run = (name: string, curvature: number, extra: Record<string, unknown> = {}): RunRecord => ({
  id: name,
  sweep: 'quickstart',
  kind: 'train',
  config: { benchmark: 'piecewise-affine', d: 32, n: null, targetEntropy: null },
  status: 'done',
  metrics: {
    name,
    curvature,
    reconstruction: 10 * curvature,
    bpd: 2.8,
    trainSeconds: 20,
    ...extra,
  },
  seconds: 20,
  error: null,
  updatedAt: '2026-12-07 08:00:00',
});

describe('the comparison of the runs', () => {
  const runs = [
    run('i-fm', 25),
    run('ot-fm', 4, { renormalizedEntropy: 0.2 }),
    run('supervised', 1),
  ];

  it('compares every finished training run against I-FM', () => {
    const comparison = runComparison(runs);
    expect(comparison?.reference).toBe('i-fm');
    expect(comparison?.runs).toEqual(['i-fm', 'ot-fm', 'supervised']);
    expect(comparison?.metrics[0]?.values).toEqual([
      { run: 'i-fm', value: 25 },
      { run: 'ot-fm', value: 4 },
      { run: 'supervised', value: 1 },
    ]);
    expect(runComparison(runs.slice(0, 1))).toBeUndefined();
  });

  it('tabulates the relative differences, the best value in bold', () => {
    const table = comparisonTable(
      runComparison(runs) as NonNullable<ReturnType<typeof runComparison>>,
      (text) => text,
    );
    expect(table).toContain('4.000 <span class="difference">(-84 %)</span>');
    expect(table).toContain('<strong>1.000</strong> <span class="difference">(-96 %)</span>');
    expect(table).toContain('curvature of the flow (lower is straighter) &darr;');
  });

  it('draws no figure against E from a single point, and labels axes with units', () => {
    expect(reportFigures(runs).map((figure) => figure.id)).toEqual([]);
    const sweep = [0.1, 0.2].flatMap((entropy) =>
      [256, 1024].map((n) => ({
        ...run(`e${entropy}-n${n}`, entropy * 10, { renormalizedEntropy: entropy }),
        config: { benchmark: 'moons', d: 2, n, targetEntropy: entropy },
      })),
    );
    const figures = reportFigures(sweep);
    const curvatureN = figures.find((figure) => figure.id === 'curvature-n');
    expect(curvatureN?.xLabel).toBe('OT batch size n (points per side)');
    expect(new Set(curvatureN?.points.map((point) => point.series))).toEqual(
      new Set(['moons d=2, E = 0.1', 'moons d=2, E = 0.2']),
    );
    const curvatureE = figures.find((figure) => figure.id === 'curvature-entropy');
    expect(new Set(curvatureE?.points.map((point) => point.series))).toEqual(
      new Set(['moons d=2 n=256', 'moons d=2 n=1024']),
    );
    expect(curvatureE?.yLabel).toBe('curvature of the flow (lower is straighter)');
  });
});
