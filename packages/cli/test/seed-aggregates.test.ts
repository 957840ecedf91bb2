import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openResultsStore, type RunRecord } from '../src/sweep/results-store.js';
import { aggregateSeeds, summarize } from '../src/sweep/seed-aggregates.js';

function trainRun(
  id: string,
  fields: {
    sweep?: string;
    n?: number;
    targetEntropy?: number | null;
    seed: number;
    options?: Record<string, unknown>;
    metrics: RunRecord['metrics'];
    status?: RunRecord['status'];
  },
): RunRecord {
  return {
    id,
    sweep: fields.sweep ?? 'grid',
    kind: 'train',
    config: {
      benchmark: 'piecewise-affine',
      d: 16,
      n: fields.n ?? 1024,
      targetEntropy: fields.targetEntropy === undefined ? 0.2 : fields.targetEntropy,
      relativeEpsilon: null,
      seed: fields.seed,
      options: fields.options ?? { steps: 600, checkpointEvery: 200 },
    },
    status: fields.status ?? 'done',
    metrics: fields.metrics,
    seconds: 1,
    error: null,
    updatedAt: '2026-12-07 10:00:00',
  };
}

// Three seeds of one setting (one of them from a second sweep with another checkpointEvery), a
// failed run, the same setting trained longer, and I-FM.
const runs: RunRecord[] = [
  trainRun('a', { seed: 0, metrics: { reconstruction: 1, curvature: 0.5, converged: true } }),
  trainRun('b', { seed: 1, metrics: { reconstruction: 2, curvature: 0.7, coupling: 'ot' } }),
  trainRun('c', {
    sweep: 'more-seeds',
    seed: 2,
    options: { steps: 600, checkpointEvery: 100 },
    metrics: { reconstruction: 4, curvature: null },
  }),
  trainRun('f', { seed: 3, status: 'failed', metrics: { reconstruction: 100 } }),
  trainRun('long', { seed: 0, options: { steps: 2400 }, metrics: { reconstruction: 0.8 } }),
  trainRun('i0', {
    seed: 0,
    n: 256,
    targetEntropy: null,
    options: { steps: 600, coupling: 'independent' },
    metrics: { reconstruction: 3, curvature: 8 },
  }),
  trainRun('i1', {
    seed: 1,
    n: 256,
    targetEntropy: null,
    options: { steps: 600, coupling: 'independent' },
    metrics: { reconstruction: 3.5, curvature: 9 },
  }),
];

describe('seed aggregates', () => {
  it('summarizes values by mean, sample standard deviation and standard error', () => {
    // By hand: mean 7/3, s^2 = (16/9 + 1/9 + 25/9) / 2 = 7/3, SE = sqrt(7/9).
    const summary = summarize([1, 2, 4]);
    expect(summary.count).toBe(3);
    expect(summary.mean).toBeCloseTo(7 / 3, 14);
    expect(summary.standardDeviation).toBeCloseTo(Math.sqrt(7 / 3), 14);
    expect(summary.standardError).toBeCloseTo(Math.sqrt(7 / 9), 14);
    expect([summary.minimum, summary.maximum]).toEqual([1, 4]);
    expect(summarize([5])).toMatchObject({ mean: 5, standardDeviation: null, standardError: null });
  });

  it('groups finished runs that differ only by their seed, across sweeps', () => {
    const groups = aggregateSeeds(runs);
    expect(
      groups.map((group) => [group.coupling, group.n, group.options.steps, group.seeds]),
    ).toEqual([
      ['independent', 256, 600, [0, 1]],
      // Options in the order of their JSON text, as the database view sorts them.
      ['ot', 1024, 2400, [0]],
      ['ot', 1024, 600, [0, 1, 2]],
    ]);
    const [independent, long, ot] = groups;
    expect(ot?.sweeps).toEqual(['grid', 'more-seeds']);
    expect(ot?.options).toEqual({ steps: 600 });
    expect(ot?.metrics.reconstruction?.mean).toBeCloseTo(7 / 3, 14);
    expect(ot?.metrics.reconstruction?.standardError).toBeCloseTo(Math.sqrt(7 / 9), 14);
    // A null value is no value: curvature has two runs; booleans and strings are not metrics.
    expect(ot?.metrics.curvature?.count).toBe(2);
    expect(Object.keys(ot?.metrics ?? {}).sort()).toEqual(['curvature', 'reconstruction']);
    expect(independent?.targetEntropy).toBeNull();
    expect(independent?.metrics.curvature?.mean).toBe(8.5);
    expect(long?.metrics.reconstruction?.standardError).toBeNull();
  });

  it('the seed_aggregates view of the database gives the same numbers', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'sinkflow-aggregates-'));
    const store = await openResultsStore(join(directory, 'results.duckdb'));
    try {
      await store.addRuns(runs);
      for (const run of runs) {
        await store.setStatus(run.id, run.status, {
          ...(run.metrics === null ? {} : { metrics: run.metrics }),
        });
      }
      const rows = await store.aggregates();
      const groups = aggregateSeeds(await store.list());
      const fromView = rows.map((row) => [
        row.coupling,
        row.n,
        JSON.parse(row.options).steps,
        row.metric,
        row.count,
        row.mean,
        row.standardError,
      ]);
      const fromRecords = groups.flatMap((group) =>
        Object.entries(group.metrics)
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([metric, summary]) => [
            group.coupling,
            group.n,
            group.options.steps,
            metric,
            summary.count,
            summary.mean,
            summary.standardError,
          ]),
      );
      expect(fromView).toHaveLength(fromRecords.length);
      for (const [index, row] of fromView.entries()) {
        const expected = fromRecords[index] as unknown[];
        expect(row.slice(0, 5)).toEqual(expected.slice(0, 5));
        expect(row[5]).toBeCloseTo(expected[5] as number, 12);
        if (expected[6] === null) expect(row[6]).toBeNull();
        else expect(row[6]).toBeCloseTo(expected[6] as number, 12);
      }
      const ot = rows.find((row) => row.metric === 'reconstruction' && row.count === 3);
      expect(ot?.sweeps).toBe('grid,more-seeds');
      expect((await store.aggregates('more-seeds')).map((row) => row.metric).sort()).toEqual([
        'curvature',
        'reconstruction',
      ]);
    } finally {
      store.close();
    }
  });

  it('keeps runs recorded without options (images) apart by their coupling and budget', async () => {
    const imageRun = (
      coupling: string,
      budget: string,
      seed: number,
      n: number | null,
    ): RunRecord => ({
      id: `images-${budget}-seed${seed}-${coupling}`,
      sweep: 'images',
      kind: 'images',
      config: {
        dataset: 'fashion-mnist',
        budget,
        seed,
        coupling,
        n,
        targetEntropy: null,
        steps: budget === 'paper' ? 4000 : 50,
      },
      status: 'done',
      metrics: { curvature: seed + (coupling === 'independent' ? 10 : 1) },
      seconds: 1,
      error: null,
      updatedAt: '2026-12-07 10:00:00',
    });
    const images = [
      imageRun('independent', 'paper', 0, null),
      imageRun('independent', 'paper', 1, null),
      imageRun('semidiscrete', 'paper', 0, null),
      imageRun('independent', 'tiny', 0, null),
    ];
    const groups = aggregateSeeds(images);
    expect(
      groups.map((group) => [group.benchmark, group.coupling, group.options.budget, group.seeds]),
    ).toEqual([
      ['fashion-mnist', 'independent', 'paper', [0, 1]],
      ['fashion-mnist', 'independent', 'tiny', [0]],
      ['fashion-mnist', 'semidiscrete', 'paper', [0]],
    ]);
    expect(groups[0]?.options).toEqual({ budget: 'paper', steps: 4000 });
    expect(groups[0]?.metrics.curvature?.mean).toBe(10.5);
    const directory = mkdtempSync(join(tmpdir(), 'sinkflow-aggregates-'));
    const store = await openResultsStore(join(directory, 'results.duckdb'));
    try {
      await store.addRuns(images);
      for (const run of images)
        await store.setStatus(run.id, 'done', { metrics: run.metrics ?? {} });
      const rows = await store.aggregates('images');
      expect(
        rows
          .map((row) => [
            row.benchmark,
            row.coupling,
            JSON.parse(row.options).budget,
            row.count,
            row.mean,
          ])
          .sort((a, b) => String(a).localeCompare(String(b))),
      ).toEqual(
        groups.map((group) => [
          group.benchmark,
          group.coupling,
          group.options.budget,
          group.metrics.curvature?.count,
          group.metrics.curvature?.mean,
        ]),
      );
    } finally {
      store.close();
    }
  });
});
