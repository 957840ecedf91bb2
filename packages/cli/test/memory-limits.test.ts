import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRandomGenerator } from '@sinkflow/core';
import { writeNpyFile } from '@sinkflow/core/node';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { memoryBudget, requireMemory } from '../src/io/memory-budget.js';
import { parseSweepConfig } from '../src/sweep/sweep-config.js';
import { sinkflow } from './run-cli-helper.js';

const directory = mkdtempSync(join(tmpdir(), 'sinkflow-memory-'));
const path = (name: string) => join(directory, name);
const withBudget = (budget: string) => {
  process.env.SINKFLOW_MEMORY_BUDGET = budget;
};
const expectRefusal = (
  result: { code: number; stdout: string; stderr: string },
  flag: string,
  bytes: number,
) => {
  expect(result.code).toBe(2);
  expect(result.stderr).toMatch(
    new RegExp(
      `invalid argument '${flag}': .* need about [\\d.]+ \\w+ \\(${bytes} bytes\\) but the memory budget is 1\\.00 MiB \\(SINKFLOW_MEMORY_BUDGET; set SINKFLOW_MEMORY_BUDGET to change it\\)`,
    ),
  );
  expect(result.stderr.trim().split('\n')).toHaveLength(1);
  expect(result.stdout).toBe('');
};

beforeAll(async () => {
  const random = createRandomGenerator({ seed: 9 });
  const cloud = (n: number, d: number) =>
    Float32Array.from({ length: n * d }, () => random.normal());
  await writeNpyFile(path('x.npy'), { dtype: 'float32', shape: [300, 3], data: cloud(300, 3) });
  await writeNpyFile(path('y.npy'), { dtype: 'float32', shape: [250, 3], data: cloud(250, 3) });
  const solved = await sinkflow(
    'solve',
    '--x',
    path('x.npy'),
    '--y',
    path('y.npy'),
    '--backend',
    'js',
    '--relative-epsilon',
    '0.2',
    '--save-potentials',
    path('run'),
  );
  expect(solved.code).toBe(0);
});

afterEach(() => {
  delete process.env.SINKFLOW_MEMORY_BUDGET;
});

describe('the memory budget', () => {
  it('is half of the RAM by default, or SINKFLOW_MEMORY_BUDGET with a unit', () => {
    expect(memoryBudget().source).toMatch(/^half of the [\d.]+ GiB of RAM$/);
    withBudget('2GiB');
    expect(memoryBudget()).toEqual({ bytes: 2 ** 31, source: 'SINKFLOW_MEMORY_BUDGET' });
    withBudget('1.5e9');
    expect(memoryBudget().bytes).toBe(1.5e9);
    withBudget('lots');
    expect(() => memoryBudget()).toThrow(/invalid argument 'SINKFLOW_MEMORY_BUDGET'/);
  });

  it('requireMemory accepts up to the budget and refuses beyond it', () => {
    const budget = { bytes: 1000, source: 'a test' };
    expect(() =>
      requireMemory({ command: 'c', flag: '--n', bytes: 1000, what: 'points', budget }),
    ).not.toThrow();
    expect(() =>
      requireMemory({ command: 'c', flag: '--n', bytes: 1001, what: 'points', budget }),
    ).toThrow(/sinkflow c: invalid argument '--n': points need about 1001 B \(1001 bytes\)/);
  });
});

describe('large allocations are refused before they happen (exit 2 naming the flag)', () => {
  it('sample --count: 20 bytes a pair', async () => {
    withBudget('1MiB');
    const result = await sinkflow(
      'sample',
      '--x',
      path('x.npy'),
      '--y',
      path('y.npy'),
      '--potentials',
      path('run'),
      '--count',
      '100000',
      '--out',
      path('pairs.npy'),
    );
    expectRefusal(result, '--count', 2_000_000);
    expect(existsSync(path('pairs.npy'))).toBe(false);
  });

  it('benchmark sample --n/--d: 32 n d bytes', async () => {
    withBudget('1MiB');
    const result = await sinkflow(
      'benchmark',
      'sample',
      '--name',
      'piecewise-affine',
      '--d',
      '64',
      '--n',
      '1000',
      '--out',
      path('b.npy'),
    );
    expectRefusal(result, '--n', 2_048_000);
  });

  it('benchmark sample at 2^26 points in d = 4096 is refused on any machine (8 TiB)', async () => {
    const result = await sinkflow(
      'benchmark',
      'sample',
      '--name',
      'piecewise-affine',
      '--d',
      '4096',
      '--n',
      String(2 ** 26),
      '--out',
      path('b.npy'),
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/invalid argument '--n': .* need about 8\.00 TiB .*half of the/);
  });

  it('distance --projections: 8 L (d + 1) bytes and the sorted projections', async () => {
    withBudget('1MiB');
    const result = await sinkflow(
      'distance',
      '--x',
      path('x.npy'),
      '--y',
      path('y.npy'),
      '--kind',
      'sliced',
      '--projections',
      '40000',
    );
    expectRefusal(result, '--projections', 8 * 40000 * 4 + 32 * 550);
  });

  it('solve --mode dense with the js backend: 16 n m bytes for K and K^T', async () => {
    withBudget('1MiB');
    const result = await sinkflow(
      'solve',
      '--x',
      path('x.npy'),
      '--y',
      path('y.npy'),
      '--backend',
      'js',
      '--mode',
      'dense',
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /^sinkflow solve: invalid argument '--mode': 'dense' keeps the 300 x 250 kernel .* 1200000 bytes, more than the memory budget of 1048576 bytes; use 'online' or 'auto'/,
    );
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('sweep otBatchSizes: a run per batch size at the largest dimension', () => {
    withBudget('1MiB');
    // A coupling sweep has an epsilon; a train sweep of the exact coupling has none to give.
    const config = (sizes: number[], extra = '') =>
      `name: big\nkind: ${extra === '' ? 'coupling' : 'train'}\nbenchmarks: [piecewise-affine]\ndimensions: [2, 16]\notBatchSizes: [${sizes.join(', ')}]\n${extra === '' ? 'relativeEpsilons: [0.1]\n' : ''}seeds: [0]\n${extra}`;
    expect(parseSweepConfig(config([256, 1024]), 'ok.yaml').otBatchSizes).toEqual([256, 1024]);
    // 32 n d + 40 n = 32 * 4096 * 16 + 40 * 4096 bytes.
    expect(() => parseSweepConfig(config([256, 4096]), 'big.yaml')).toThrow(
      /invalid argument 'config\.otBatchSizes\[1\]': a run with n = 4096 points per side in d = 16 needs about .* \(2260992 bytes\) but the memory budget is 1\.00 MiB/,
    );
    // The exact coupling adds the n x n float64 cost matrix of the assignment.
    expect(() =>
      parseSweepConfig(config([512], 'options: { coupling: exact }\n'), 'exact.yaml'),
    ).toThrow(/otBatchSizes\[0\]': a run with n = 512 .*\(exact coupling: an n x n cost matrix\)/);
  });
});
