import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openResultsStore } from '../src/sweep/results-store.js';
import { sinkflow } from './run-cli-helper.js';

describe('sinkflow report --markdown --metrics', () => {
  const directory = mkdtempSync(join(tmpdir(), 'sinkflow-report-'));
  const path = (name: string) => join(directory, name);
  beforeAll(async () => {
    const store = await openResultsStore(path('db.duckdb'));
    const config = (seed: number) => ({
      benchmark: 'piecewise-affine',
      d: 16,
      n: 256,
      targetEntropy: 0.2,
      relativeEpsilon: null,
      seed,
      options: { steps: 600 },
    });
    await store.addRuns(
      [0, 1].map((seed) => ({
        id: `r${seed}`,
        sweep: 'grid',
        kind: 'train',
        config: config(seed),
      })),
    );
    for (const seed of [0, 1]) {
      await store.setStatus(`r${seed}`, 'done', {
        metrics: { renormalizedEntropy: 0.2, curvature: 1 + seed, reconstruction: 2 + 2 * seed },
        seconds: 1,
      });
    }
    store.close();
  });
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  it('tabulates the chosen metrics, in their order, as mean ± standard error', async () => {
    const result = await sinkflow(
      'report',
      '--db',
      path('db.duckdb'),
      '--out',
      path('r.html'),
      '--markdown',
      path('t.md'),
      '--metrics',
      'reconstruction, curvature',
    );
    expect(result.code).toBe(0);
    const table = readFileSync(path('t.md'), 'utf8').split('\n');
    expect(table[2]).toBe('| coupling | n | E | seeds | reconstruction | curvature | sweeps |');
    // Seeds 0 and 1: reconstruction 2 and 4 (3 ± 1), curvature 1 and 2 (1.5 ± 0.5).
    expect(table[4]).toBe('| OT-FM | 256 | 0.2 | 0, 1 | 3.0 ± 1.0 | 1.50 ± 0.50 | grid |');
  });

  it('refuses --metrics without --markdown, and a metric no training run has, before writing', async () => {
    const alone = await sinkflow(
      'report',
      '--db',
      path('db.duckdb'),
      '--out',
      path('a.html'),
      '--metrics',
      'curvature',
    );
    expect(alone.code).toBe(2);
    expect(alone.stderr).toMatch(/invalid argument '--metrics'.*--markdown/);
    const typo = await sinkflow(
      'report',
      '--db',
      path('db.duckdb'),
      '--out',
      path('b.html'),
      '--markdown',
      path('b.md'),
      '--metrics',
      'curvatur',
    );
    expect(typo.code).toBe(2);
    expect(typo.stderr).toMatch(
      /invalid argument '--metrics': no training run has 'curvatur' \(these runs have: curvature, reconstruction, renormalizedEntropy\)/,
    );
    expect(
      existsSync(path('a.html')) || existsSync(path('b.html')) || existsSync(path('b.md')),
    ).toBe(false);
  });
});
