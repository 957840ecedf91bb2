import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sinkflow } from './run-cli-helper.js';

const directory = mkdtempSync(join(tmpdir(), 'sinkflow-train-workers-'));
const path = (name: string) => join(directory, name);
const tiny = ['--d', '4', '--batch-size', '32', '--width', '16', '--hidden-layers', '1'];

describe('sinkflow train --workers', () => {
  it('trains with 2 data-parallel workers, resumes with 1, and records the count', async () => {
    const out = path('independent');
    const first = await sinkflow(
      'train',
      ...tiny,
      '--coupling',
      'independent',
      '--steps',
      '3',
      '--workers',
      '2',
      '--out',
      out,
      '--json',
      path('first.json'),
    );
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain('(2 workers)');
    expect(JSON.parse(readFileSync(path('first.json'), 'utf8'))).toMatchObject({
      step: 3,
      workers: 2,
    });
    const resumed = await sinkflow(
      'train',
      '--steps',
      '5',
      '--resume',
      '--workers',
      '1',
      '--out',
      out,
      '--json',
      path('resumed.json'),
    );
    expect(resumed.code, resumed.stderr).toBe(0);
    const summary = JSON.parse(readFileSync(path('resumed.json'), 'utf8'));
    expect(summary).toMatchObject({ step: 5, resumedFrom: 3, workers: 1 });
    expect(Number.isFinite(summary.finalLoss)).toBe(true);
  }, 120_000);

  it.each([
    [['train', '--out', 'x', '--workers', '0'], '--workers'],
    [['train', '--out', 'x', '--workers', 'many'], '--workers'],
    [['images', '--workers', '1.5'], '--workers'],
  ])('%j exits 2 with one line naming %s', async (argv, flag) => {
    const result = await sinkflow(...(argv as string[]));
    expect(result.code).toBe(2);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(flag);
  });
});
