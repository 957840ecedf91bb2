import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readNpyFile, writeNpyFile } from '@sinkflow/core/node';
import { beforeAll, describe, expect, it } from 'vitest';
import { sinkflow } from './run-cli-helper.js';

const directory = mkdtempSync(join(tmpdir(), 'sinkflow-toolbox-'));
const path = (name: string) => join(directory, name);

beforeAll(async () => {
  // y is a permutation of x shifted by (1, 0): the optimal assignment undoes the permutation.
  const x = new Float64Array([0, 0, 1, 0, 0, 1, 3, 3]);
  const order = [2, 0, 3, 1];
  const y = new Float64Array(8);
  order.forEach((source, target) => {
    y[2 * target] = (x[2 * source] as number) + 1;
    y[2 * target + 1] = x[2 * source + 1] as number;
  });
  await writeNpyFile(path('x.npy'), { dtype: 'float64', shape: [4, 2], data: x });
  await writeNpyFile(path('y.npy'), { dtype: 'float64', shape: [4, 2], data: y });
  await writeNpyFile(path('line-x.npy'), {
    dtype: 'float64',
    shape: [3, 1],
    data: new Float64Array([0, 1, 2]),
  });
  await writeNpyFile(path('line-y.npy'), {
    dtype: 'float64',
    shape: [3, 1],
    data: new Float64Array([5, 3, 4]),
  });
});

describe('assign, distance and benchmark commands', () => {
  it('assign recovers the permutation and reports the mean cost', async () => {
    const result = await sinkflow(
      'assign',
      '--x',
      path('x.npy'),
      '--y',
      path('y.npy'),
      '--out',
      path('perm.npy'),
      '--json',
      path('assign.json'),
    );
    expect(result.code).toBe(0);
    expect(Array.from((await readNpyFile(path('perm.npy'))).data)).toEqual([1, 3, 0, 2]);
    const summary = JSON.parse(readFileSync(path('assign.json'), 'utf8'));
    expect(summary.n).toBe(4);
    expect(summary.cost).toBeCloseTo(0.5, 12); // every pair moves by (1, 0): 1/2 ||(1, 0)||^2
  });

  it('distance gives W2 itself: 3 on the line for a shift by 3, |shift| for sliced and bures', async () => {
    const line = await sinkflow(
      'distance',
      '--x',
      path('line-x.npy'),
      '--y',
      path('line-y.npy'),
      '--kind',
      'w1d',
      '--json',
      path('w1d.json'),
    );
    expect(line.code).toBe(0);
    expect(JSON.parse(readFileSync(path('w1d.json'), 'utf8')).value).toBeCloseTo(3, 12);
    const bures = await sinkflow(
      'distance',
      '--x',
      path('x.npy'),
      '--y',
      path('y.npy'),
      '--kind',
      'bures',
      '--json',
      path('bures.json'),
    );
    expect(bures.code).toBe(0);
    expect(JSON.parse(readFileSync(path('bures.json'), 'utf8')).value).toBeCloseTo(1, 6);
    const divergence = await sinkflow(
      'distance',
      '--x',
      path('x.npy'),
      '--y',
      path('x.npy'),
      '--kind',
      'sinkhorn-divergence',
      '--json',
      path('div.json'),
    );
    expect(divergence.code).toBe(0);
    expect(Math.abs(JSON.parse(readFileSync(path('div.json'), 'utf8')).value)).toBeLessThan(1e-6);
  });

  it('benchmark sample and map write n x d float64 arrays, deterministically', async () => {
    const args = [
      'benchmark',
      'sample',
      '--name',
      'piecewise-affine',
      '--d',
      '8',
      '--n',
      '50',
      '--seed',
      '3',
    ];
    expect((await sinkflow(...args, '--out', path('s1.npy'))).code).toBe(0);
    expect((await sinkflow(...args, '--out', path('s2.npy'))).code).toBe(0);
    const first = await readNpyFile(path('s1.npy'));
    expect(first.shape).toEqual([50, 8]);
    expect(Array.from((await readNpyFile(path('s2.npy'))).data)).toEqual(Array.from(first.data));
    const mapped = await sinkflow(
      'benchmark',
      'map',
      '--name',
      'piecewise-affine',
      '--d',
      '8',
      '--x',
      path('s1.npy'),
      '--out',
      path('t.npy'),
    );
    expect(mapped.code).toBe(0);
    const images = await readNpyFile(path('t.npy'));
    expect(images.shape).toEqual([50, 8]);
    expect(Array.from(images.data)).not.toEqual(Array.from(first.data));
  });

  const badInputs: Array<[string, string[], RegExp]> = [
    ['clouds of different sizes', ['assign', '--x', 'x.npy', '--y', 'line-y.npy'], /'--y'/],
    [
      'an unknown distance kind',
      ['distance', '--x', 'x.npy', '--y', 'y.npy', '--kind', 'l7'],
      /'--kind': must be one of/,
    ],
    [
      'w1d on 2-D clouds',
      ['distance', '--x', 'x.npy', '--y', 'y.npy', '--kind', 'w1d'],
      /'--x': w1d needs d = 1/,
    ],
    [
      'an unknown benchmark',
      ['benchmark', 'sample', '--name', 'mnist', '--d', '2', '--n', '3', '--out', 'o.npy'],
      /'--name': must be one of/,
    ],
    ['an unknown action', ['benchmark', 'draw'], /'ACTION': must be 'sample' or 'map'/],
    [
      'a map of a toy',
      ['benchmark', 'map', '--name', 'moons', '--d', '2', '--x', 'x.npy', '--out', 'o.npy'],
      /'--name': 'moons' has no known map/,
    ],
    [
      'w2-mix3to10 without checkpoints',
      ['benchmark', 'sample', '--name', 'w2-mix3to10', '--d', '2', '--n', '3', '--out', 'o.npy'],
      /checkpointsDirectory|checkpoints/,
    ],
  ];
  for (const [label, argv, pattern] of badInputs) {
    it(`exits 2 with one line on ${label}`, async () => {
      const result = await sinkflow(...argv.map((arg) => (arg.endsWith('.npy') ? path(arg) : arg)));
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(pattern);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
    });
  }
});

describe('sinkflow bench', () => {
  it('exits 2 naming the benchmark on an unknown name', async () => {
    const result = await sinkflow('bench', 'quantum');
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/'NAME': must be one of sinkhorn, assign, fm/);
  });

  it('runs the assignment benchmark at a small size and prints its ratios', async () => {
    const result = await sinkflow('bench', 'assign', '--n', '40', '--no-munkres', '--no-python');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/uniform\s+n=40\s+sinkflow [\d.]+ s/);
  }, 120_000);
});
