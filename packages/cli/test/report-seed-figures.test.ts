import { describe, expect, it } from 'vitest';
import { reportFigures } from '../src/report/report-figures.js';
import {
  formatMeanWithError,
  seedTableMarkdown,
  tabulatedMetricNames,
} from '../src/report/seed-table.js';
import { sweepFilter } from '../src/report/sweep-filter.js';
import type { RunRecord } from '../src/sweep/results-store.js';
import { aggregateSeeds } from '../src/sweep/seed-aggregates.js';

/** A finished train run of a sweep: OT-FM at (n, E), or a reference (`coupling`, no E). */
function run(
  fields: { d?: number; n?: number; entropy?: number; coupling?: string; steps?: number },
  seed: number,
  metrics: Record<string, number>,
): RunRecord {
  const { d = 16, n = 256, entropy, coupling, steps = 600 } = fields;
  return {
    id: `${d}-${n}-${entropy}-${coupling}-${steps}-${seed}`,
    sweep: coupling === undefined ? 'grid' : `grid-${coupling}`,
    kind: 'train',
    config: {
      benchmark: 'piecewise-affine',
      d,
      n,
      targetEntropy: entropy ?? null,
      relativeEpsilon: null,
      seed,
      options: { steps, checkpointEvery: 200, ...(coupling === undefined ? {} : { coupling }) },
    },
    status: 'done',
    metrics:
      entropy === undefined
        ? { ...metrics, renormalizedEntropy: null, sinkhornSecondsPerExample: null }
        : {
            renormalizedEntropy: entropy + 0.001 * seed,
            sinkhornSecondsPerExample: 1e-4,
            ...metrics,
          },
    seconds: 10,
    error: null,
    updatedAt: '2026-12-07 10:00:00',
  };
}

// d = 16: n in {256, 1024} x E in {0.05, 0.2}, 3 seeds (reconstruction 1, 2, 4 + offsets), I-FM
// with 2 seeds; d = 32: one cell with one seed, and the same cell trained longer.
const offsets = [1, 2, 4];
const runs: RunRecord[] = [
  ...[256, 1024].flatMap((n) =>
    [0.05, 0.2].flatMap((entropy) =>
      offsets.map((offset, seed) =>
        run({ n, entropy }, seed, {
          reconstruction: offset + n / 1024 + entropy,
          curvature: 0.5 + entropy,
          bpd: 2.8,
        }),
      ),
    ),
  ),
  run({ coupling: 'independent' }, 0, { reconstruction: 9, curvature: 8, bpd: 2.9 }),
  run({ coupling: 'independent' }, 1, { reconstruction: 11, curvature: 10, bpd: 2.9 }),
  run({ d: 32, n: 256, entropy: 0.2 }, 0, { reconstruction: 40, curvature: 1, bpd: 3 }),
  run({ d: 32, n: 1024, entropy: 0.2 }, 0, { reconstruction: 38, curvature: 1, bpd: 3 }),
  run({ d: 32, n: 256, entropy: 0.2, steps: 2400 }, 0, {
    reconstruction: 30,
    curvature: 1,
    bpd: 3,
  }),
  run({ d: 32, n: 1024, entropy: 0.2, steps: 2400 }, 0, {
    reconstruction: 29,
    curvature: 1,
    bpd: 3,
  }),
];

describe('the report over seeds', () => {
  const figures = reportFigures(runs);
  const byId = (id: string) => figures.find((figure) => figure.id === id);

  it('draws one figure per dimension, each point the mean over seeds with a standard-error bar', () => {
    const againstN = byId('reconstruction-n-piecewise-affine-d16');
    expect(againstN?.title).toBe('Reconstruction against n (piecewise-affine, d = 16)');
    expect(againstN?.caption).toContain('Mean over 3 seeds, bars of one standard error.');
    expect(new Set(againstN?.points.map((point) => point.series))).toEqual(
      new Set(['piecewise-affine d=16, E = 0.05', 'piecewise-affine d=16, E = 0.2']),
    );
    // Reconstruction 1, 2, 4 (+ n/1024 + E): mean 7/3 + ..., SE sqrt(7/9).
    const point = againstN?.points.find(
      (entry) => entry.n === 1024 && entry.series === 'piecewise-affine d=16, E = 0.2',
    );
    const se = Math.sqrt(7 / 9);
    expect(point?.reconstruction).toBeCloseTo(7 / 3 + 1 + 0.2, 12);
    expect(point?.low).toBeCloseTo(7 / 3 + 1.2 - se, 12);
    expect(point?.high).toBeCloseTo(7 / 3 + 1.2 + se, 12);
    expect(againstN?.interval).toEqual({ low: 'low', high: 'high' });
    // I-FM: a reference line with its own bar (values 9 and 11: SE 1), not a point.
    expect(againstN?.references).toEqual([{ label: 'I-FM', value: 10, low: 9, high: 11 }]);
    expect(againstN?.points.some((entry) => String(entry.series).includes('I-FM'))).toBe(false);
  });

  it('draws semidiscrete runs as reference lines with their epsilon, and an OT run without E as no line', () => {
    const semidiscrete = (relativeEpsilon: number, seed: number): RunRecord => {
      const base = run({ coupling: 'semidiscrete' }, seed, {
        reconstruction: 3 + seed,
        curvature: 1,
        bpd: 2.8,
      });
      return {
        ...base,
        id: `${base.id}-${relativeEpsilon}`,
        config: { ...base.config, relativeEpsilon },
      };
    };
    // An OT-FM run resumed at its last step records no E: still OT-FM, never a reference.
    const resumed = run({ n: 256, entropy: 0.2 }, 7, { reconstruction: 5, curvature: 1, bpd: 2.8 });
    const withoutE: RunRecord = {
      ...resumed,
      metrics: { ...resumed.metrics, renormalizedEntropy: null },
    };
    const more = reportFigures([...runs, semidiscrete(0.05, 0), semidiscrete(0.05, 1), withoutE]);
    const againstN = more.find((figure) => figure.id === 'reconstruction-n-piecewise-affine-d16');
    expect(againstN?.references.map((reference) => reference.label)).toEqual(
      expect.arrayContaining(['I-FM', 'semidiscrete, relative epsilon 0.05']),
    );
    expect(againstN?.references.find((r) => r.label.startsWith('semidiscrete'))?.value).toBe(3.5);
    expect(againstN?.references.some((reference) => /OT|ot/.test(reference.label))).toBe(false);
  });

  it('draws against E one line per n, at the mean E reached, on log axes where the paper has them', () => {
    const againstE = byId('reconstruction-entropy-piecewise-affine-d16');
    expect(new Set(againstE?.points.map((point) => point.series))).toEqual(
      new Set(['piecewise-affine d=16 n=256', 'piecewise-affine d=16 n=1024']),
    );
    const point = againstE?.points.find((entry) => entry.series === 'piecewise-affine d=16 n=256');
    expect([0.051, 0.201]).toContainEqual(Number(Number(point?.renormalizedEntropy).toFixed(3)));
    expect(againstE?.logX).toBe(true);
    expect(byId('curvature-n-piecewise-affine-d16')?.logY).toBe(true);
    expect(byId('curvature-n-piecewise-affine-d16')?.logX).toBe(true);
    expect(byId('training-time-n-piecewise-affine-d16')?.y).toBe('sinkhornSecondsPerExample');
  });

  it('names lines by the options that differ, and draws no bar for one seed', () => {
    const againstN = byId('reconstruction-n-piecewise-affine-d32');
    expect(new Set(againstN?.points.map((point) => point.series))).toEqual(
      new Set([
        'piecewise-affine d=32, E = 0.2, steps=600',
        'piecewise-affine d=32, E = 0.2, steps=2400',
      ]),
    );
    expect(againstN?.points.every((point) => point.low === undefined)).toBe(true);
    expect(againstN?.caption).not.toContain('standard error');
  });

  it('formats a mean with its standard error to the error’s two significant digits', () => {
    expect(formatMeanWithError({ mean: 1.31234, standardError: 0.0412 })).toBe('1.312 ± 0.041');
    expect(formatMeanWithError({ mean: 8.13, standardError: 1.2 })).toBe('8.1 ± 1.2');
    expect(formatMeanWithError({ mean: 123.4, standardError: 25 })).toBe('123 ± 25');
    expect(formatMeanWithError({ mean: 1.82e-4, standardError: 5e-6 })).toBe('(1.820 ± 0.050)e-4');
    expect(formatMeanWithError({ mean: 2.8213, standardError: null })).toBe('2.821');
    expect(formatMeanWithError({ mean: 1.8e-4, standardError: null })).toBe('1.8e-4');
  });

  it('tabulates each benchmark, d and budget: references first, then OT-FM by n and E', () => {
    const markdown = seedTableMarkdown(aggregateSeeds(runs));
    const sections = markdown.split('### ').slice(1);
    expect(sections.map((section) => section.split('\n')[0])).toEqual([
      'piecewise-affine, d = 16 (steps=600)',
      'piecewise-affine, d = 32 (steps=2400)',
      'piecewise-affine, d = 32 (steps=600)',
    ]);
    const rows = (sections[0] ?? '').split('\n').filter((line) => line.startsWith('| '));
    expect(rows[0]).toBe(
      '| coupling | n | E | seeds | E reached | curvature | reconstruction | bits/dim | Sinkhorn s/example | sweeps |',
    );
    expect(rows.slice(1).map((row) => row.split(' | ').slice(0, 4).join(' | '))).toEqual([
      '| I-FM | - | - | 0, 1',
      '| OT-FM | 256 | 0.05 | 0, 1, 2',
      '| OT-FM | 256 | 0.2 | 0, 1, 2',
      '| OT-FM | 1024 | 0.05 | 0, 1, 2',
      '| OT-FM | 1024 | 0.2 | 0, 1, 2',
    ]);
    // I-FM reconstruction 9 and 11: 10 ± 1.0; OT-FM n = 1024, E = 0.2: 7/3 + 1.2 ± sqrt(7/9).
    expect(rows[1]).toContain('| 10.0 ± 1.0 |');
    expect(rows[5]).toContain(`| ${(7 / 3 + 1.2).toFixed(2)} ± ${Math.sqrt(7 / 9).toFixed(2)} |`);
    expect(rows[5]).toMatch(/\| grid \|$/);
    expect(markdown).toContain('Mean ± standard error over the seeds listed');
    // Chosen columns, in the order given; an unknown metric's heading is its name.
    const chosen = seedTableMarkdown(aggregateSeeds(runs), {
      metrics: ['bpd', 'finalLoss', 'curvature'],
    });
    expect(chosen.split('\n')[2]).toBe(
      '| coupling | n | E | seeds | bits/dim | curvature | sweeps |',
    );
    // What `report --metrics` checks its list against: the training runs' metrics only.
    const names = tabulatedMetricNames(aggregateSeeds(runs));
    expect(names).toContain('curvature');
    expect(names).not.toContain('finalLoss');
    expect(names).toEqual([...names].sort());
  });
});

describe('report --sweep', () => {
  it('selects sweeps by comma-separated names with * wildcards', () => {
    const names = (filter: string | undefined) =>
      [...new Set(sweepFilter(filter)(runs).map((entry) => entry.sweep))].sort();
    expect(names(undefined)).toEqual(['grid', 'grid-independent']);
    expect(names('grid')).toEqual(['grid']);
    expect(names('grid-*')).toEqual(['grid-independent']);
    expect(names('nothing, grid*')).toEqual(['grid', 'grid-independent']);
    expect(names('gr.d')).toEqual([]);
  });
});
