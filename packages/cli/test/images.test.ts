import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readNpyFile } from '@sinkflow/core/node';
import { describe, expect, it } from 'vitest';
import { openResultsStore } from '../src/sweep/results-store.js';
import { sinkflow } from './run-cli-helper.js';

const directory = mkdtempSync(join(tmpdir(), 'sinkflow-images-'));
const path = (name: string) => join(directory, name);
const samplers = ['euler-2', 'euler-4', 'euler-8', 'euler-16', 'dopri5'];
const dataInstalled = existsSync('/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz');

describe('sinkflow images', () => {
  it.runIf(dataInstalled)(
    'runs the tiny study end to end (classifier, I-FM, OT-FM, batch and semidiscrete OT-FM), stores it and resumes',
    async () => {
      const args = ['images', '--budget', 'tiny', '--out', path('out'), '--db', path('db.duckdb')];
      const first = await sinkflow(...args, '--json', path('first.json'));
      expect(first.stderr).toMatch(/classifier 784-32-16-10 trained/);
      expect(first.code).toBe(0);
      const summary = JSON.parse(readFileSync(path('first.json'), 'utf8'));
      expect(summary.dataset).toMatchObject({ name: 'fashion-mnist', trainImages: 400, d: 784 });
      expect(summary.classifier.testAccuracy).toBeGreaterThan(0.1);
      expect(summary.reference.train).toBeLessThan(summary.reference.noise);
      expect(summary.runs.map((run: { name: string }) => run.name)).toEqual([
        'i-fm',
        'ot-fm-n256-e0.1',
        'batch-ot-n32-e0.1',
        'semidiscrete-hard',
      ]);
      const [independent, sinkhorn, batch, semidiscrete] = summary.runs;
      expect(independent).toMatchObject({ coupling: 'independent', n: null, targetEntropy: 1 });
      expect(sinkhorn).toMatchObject({ coupling: 'sinkhorn', n: 256, targetEntropy: 0.1 });
      expect(Math.abs(sinkhorn.renormalizedEntropy - 0.1)).toBeLessThan(0.02);
      expect(sinkhorn.sinkhornSecondsPerExample).toBeGreaterThan(0);
      // A fresh coupling of every 32 pairs: 6 steps of 32 use 6 couplings near E = 0.1.
      expect(batch).toMatchObject({ coupling: 'batch-sinkhorn', n: 32, targetEntropy: 0.1 });
      expect(Math.abs(batch.renormalizedEntropy - 0.1)).toBeLessThan(0.03);
      expect(batch.sinkhornSecondsPerExample).toBeGreaterThan(0);
      // One dual over the 400 images, on the budget's 16 principal components.
      expect(semidiscrete).toMatchObject({ coupling: 'semidiscrete', n: 400, targetEntropy: 0 });
      expect(semidiscrete.semidiscreteFit).toMatchObject({
        n: 400,
        steps: 20,
        epsilon: 0,
        pcaComponents: 16,
        origin: 'fit',
      });
      expect(semidiscrete.semidiscreteFit.marginalError).toBeGreaterThanOrEqual(0);
      expect(semidiscrete.sinkhornSecondsPerExample).toBeGreaterThan(0);
      expect(existsSync(path('out/couplings/semidiscrete/fit-state.json'))).toBe(true);
      for (const run of summary.runs) {
        expect(Object.keys(run.frechet)).toEqual(samplers);
        for (const sampler of samplers) {
          expect(Number.isFinite(run.frechet[sampler])).toBe(true);
          const samples = await readNpyFile(run.samples[sampler]);
          expect(samples.shape).toEqual([48, 784]);
          expect(samples.data.every((value) => value >= -1 && value <= 1)).toBe(true);
        }
        expect(run.curvature).toBeGreaterThan(0);
        expect(run.curvatureMedian).toBeGreaterThan(0);
        expect(run.divergedTrajectories).toBeGreaterThanOrEqual(0);
      }
      const png = readFileSync(summary.grids['euler-4']);
      expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
      expect(first.stdout).toMatch(/ot-fm-n256-e0\.1/);

      const store = await openResultsStore(path('db.duckdb'));
      const runs = await store.list('images');
      store.close();
      expect(runs.map((run) => run.status)).toEqual(['done', 'done', 'done', 'done']);
      const stored = runs.find(
        (run) => (run.config as { coupling?: string }).coupling === 'sinkhorn',
      );
      expect(stored?.metrics?.['frechet-euler-4']).toBeCloseTo(sinkhorn.frechet['euler-4'], 10);
      const storedFit = runs.find(
        (run) => (run.config as { coupling?: string }).coupling === 'semidiscrete',
      );
      expect(storedFit?.metrics?.semidiscreteFitSteps).toBe(20);

      const report = await sinkflow('report', '--db', path('db.duckdb'), '--out', path('r.html'));
      expect(report.code).toBe(0);
      const html = readFileSync(path('r.html'), 'utf8');
      expect(html).toContain('figure-images-frechet-steps');
      // Each model's sample grid is in the page itself (the PNG stored in the database).
      expect(html).toContain('id="figure-grid-images-tiny-seed0-semidiscrete-hard"');
      expect(html).toContain('data:image/png;base64,iVBORw0KGgo');

      // Everything is found again: the classifier is loaded, the models are not retrained.
      const second = await sinkflow(...args, '--json', path('second.json'));
      expect(second.code).toBe(0);
      expect(second.stderr).toMatch(/classifier 784-32-16-10 loaded/);
      expect(second.stderr).toMatch(/ot-fm-n256-e0\.1: done earlier/);
      const again = JSON.parse(readFileSync(path('second.json'), 'utf8'));
      expect(again.runs).toEqual(summary.runs);

      // --only trains the flows it names, with the seeds of the full study; a bad name exits 2.
      const only = await sinkflow(
        'images',
        '--budget',
        'tiny',
        '--out',
        path('only'),
        '--only',
        'semidiscrete-hard',
        '--json',
        path('only.json'),
      );
      expect(only.code).toBe(0);
      const alone = JSON.parse(readFileSync(path('only.json'), 'utf8'));
      expect(alone.runs.map((run: { name: string }) => run.name)).toEqual(['semidiscrete-hard']);
      expect(alone.runs[0].semidiscreteFit.marginalError).toBe(
        semidiscrete.semidiscreteFit.marginalError,
      );
      const bad = await sinkflow('images', '--budget', 'tiny', '--only', 'ot-fm-n9-e0.1');
      expect(bad.code).toBe(2);
      expect(bad.stderr).toMatch(/--only/);
      // Another seed in the same folder would take the first study's saved parts: refused.
      const otherSeed = await sinkflow(...args, '--seed', '1');
      expect(otherSeed.code).toBe(2);
      expect(otherSeed.stderr).toMatch(/--out.*seed 0, not budget tiny and seed 1/);
    },
    600_000,
  );

  it('names both ways to get the data when it is missing', async () => {
    const result = await sinkflow('images', '--data', path('nowhere'), '--out', path('missing'));
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/apt-get install dataset-fashion-mnist/);
    expect(result.stderr).toMatch(/train-images-idx3-ubyte\.gz/);
  });
});
