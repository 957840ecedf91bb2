import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sinkflow } from './run-cli-helper.js';

const directory = mkdtempSync(join(tmpdir(), 'sinkflow-quickstart-'));

// The hidden sizing flags (--d, --steps, --batch-size, --width, --hidden-layers, --n, --eval-n)
// exist for this test: the real quickstart takes minutes.
const tiny = [
  '--d',
  '4',
  '--steps',
  '12',
  '--batch-size',
  '32',
  '--width',
  '16',
  '--hidden-layers',
  '1',
  '--n',
  '64',
  '--eval-n',
  '24',
];

describe('sinkflow quickstart', () => {
  it('trains the three runs, writes the report and the JSON contract', async () => {
    const out = join(directory, 'out');
    const json = join(directory, 'quickstart.json');
    const result = await sinkflow('quickstart', ...tiny, '--out', out, '--json', json);
    expect(result.stderr).toMatch(/TensorFlow\.js backend '(wasm|cpu)'/);
    expect(result.code).toBe(0);
    const summary = JSON.parse(readFileSync(json, 'utf8'));
    expect(summary).toMatchObject({
      task: 'piecewise-affine',
      d: 4,
      report: join(out, 'report.html'),
    });
    expect(summary.runs.map((run: { name: string }) => run.name)).toEqual([
      'i-fm',
      'ot-fm',
      'supervised',
    ]);
    for (const run of summary.runs) {
      expect(Object.keys(run).sort()).toEqual(
        [
          'bpd',
          'curvature',
          'name',
          'reconstruction',
          'renormalizedEntropy',
          'sinkhornSecondsPerExample',
          'trainSeconds',
        ].sort(),
      );
      for (const key of ['curvature', 'reconstruction', 'bpd', 'trainSeconds'])
        expect(Number.isFinite(run[key]), `${run.name}.${key}`).toBe(true);
    }
    const [independent, ot, supervised] = summary.runs;
    expect(independent.renormalizedEntropy).toBeNull();
    expect(supervised.sinkhornSecondsPerExample).toBeNull();
    expect(ot.renormalizedEntropy).toBeGreaterThan(0.1);
    expect(ot.renormalizedEntropy).toBeLessThan(0.3);
    expect(ot.sinkhornSecondsPerExample).toBeGreaterThan(0);
    const html = readFileSync(summary.report, 'utf8');
    const data = /<script id="report-data" type="application\/json">(.*?)<\/script>/s.exec(html);
    const { figures, comparison, samples, trajectories } = JSON.parse(data?.[1] ?? '{}') as {
      figures: { id: string }[];
      comparison: { reference: string; runs: string[]; metrics: { field: string }[] } | null;
      samples: { id: string; points: { set: string }[] }[];
      trajectories: { id: string }[];
    };
    // The three runs side by side (bars and a table of differences against I-FM), not one point
    // per figure against E.
    expect(comparison?.reference).toBe('i-fm');
    expect(comparison?.runs).toEqual(['i-fm', 'ot-fm', 'supervised']);
    expect(comparison?.metrics.map((metric) => metric.field)).toEqual([
      'curvature',
      'reconstruction',
      'bpd',
      'trainSeconds',
    ]);
    expect(figures.map((figure) => figure.id)).not.toContain('curvature-entropy');
    expect(html).toMatch(/<table class="comparison">/);
    // Samples against the target and trajectories of each run, on coordinates 1 and 2.
    expect(samples.map((figure) => figure.id)).toEqual([
      'samples-i-fm',
      'samples-ot-fm',
      'samples-supervised',
    ]);
    for (const figure of samples) {
      expect(figure.points.filter((point) => point.set === 'generated')).toHaveLength(256);
      expect(figure.points.filter((point) => point.set === 'target')).toHaveLength(256);
    }
    expect(trajectories).toHaveLength(3);
    expect(existsSync(join(out, 'summary.json'))).toBe(true);
    expect(result.stdout).toMatch(/^\s+ot-fm\s+\d/m);
  }, 60_000);

  it('exits 2 with one line naming a bad flag', async () => {
    const result = await sinkflow('quickstart', '--steps', '0');
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain('--steps');
    const unknown = await sinkflow('quickstart', '--epochs', '3');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('--epochs');
  });
});
