import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openResultsStore } from '../src/sweep/results-store.js';
import { sinkflow } from './run-cli-helper.js';

const directory = mkdtempSync(join(tmpdir(), 'sinkflow-scones-'));
const path = (name: string) => join(directory, name);

describe('sinkflow scones', () => {
  it('runs the Gaussian study at d = 2 (small budget), records it and draws it in the report', async () => {
    const database = path('scones.duckdb');
    const result = await sinkflow(
      'scones',
      '--d',
      '2',
      '--budget',
      'small',
      '--db',
      database,
      '--json',
      path('scones.json'),
    );
    expect(result.stderr).toMatch(/TensorFlow\.js backend/);
    expect(result.stderr).toMatch(/dual potentials \(Algorithm 1\): 400 steps/);
    expect(result.code).toBe(0);
    const summary = JSON.parse(readFileSync(path('scones.json'), 'utf8'));
    expect(summary).toMatchObject({ d: 2, lambda: 4, budget: 'small', seed: 0 });
    expect(summary.bwUvp.scones).toBeLessThan(summary.bwUvp.barycentricProjection);
    expect(summary.seconds).toBeGreaterThan(0);
    expect(result.stdout).toMatch(
      /BW-UVP \(%, lower is better\): SCONES [\d.e-]+, barycentric projection/,
    );

    const store = await openResultsStore(database);
    const runs = await store.list('scones');
    store.close();
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({
      id: 'scones-d2-seed0-benchmark0-small',
      kind: 'scones',
      status: 'done',
    });
    expect(runs[0]?.metrics?.bwUvpScones).toBeCloseTo(summary.bwUvp.scones, 10);

    const report = await sinkflow('report', '--db', database, '--out', path('report.html'));
    expect(report.code).toBe(0);
    expect(existsSync(path('report.html'))).toBe(true);
    expect(readFileSync(path('report.html'), 'utf8')).toContain('figure-scones-bw-uvp');
  }, 120_000);

  it('rejects bad input with exit code 2 and one line naming the flag', async () => {
    for (const [args, flag] of [
      [['--d', '0'], '--d'],
      [['--budget', 'small'], '--d'],
      [['--d', '2', '--budget', 'huge'], '--budget'],
      [['--d', '2', '--seed', '-1'], '--seed'],
      [['--d', '2', '--steps', '3'], '--steps'],
    ] as const) {
      const result = await sinkflow('scones', ...args);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(flag);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
    }
  });

  it('documents itself', async () => {
    const help = await sinkflow('scones', '--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Usage: sinkflow scones --d D/);
    const overview = await sinkflow('--help');
    expect(overview.stdout).toMatch(/scones\s+SCONES' Gaussian study/);
  });
});
