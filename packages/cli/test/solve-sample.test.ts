import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRandomGenerator } from '@sinkflow/core';
import { readNpyFile, writeNpyFile } from '@sinkflow/core/node';
import { beforeAll, describe, expect, it } from 'vitest';
import { sinkflow } from './run-cli-helper.js';

const directory = mkdtempSync(join(tmpdir(), 'sinkflow-lab-'));
const path = (name: string) => join(directory, name);

beforeAll(async () => {
  const random = createRandomGenerator({ seed: 1 });
  const cloud = (n: number, d: number, shift: number) =>
    Float32Array.from({ length: n * d }, () => random.normal() + shift);
  await writeNpyFile(path('x.npy'), { dtype: 'float32', shape: [300, 4], data: cloud(300, 4, 0) });
  await writeNpyFile(path('y.npy'), { dtype: 'float32', shape: [250, 4], data: cloud(250, 4, 1) });
  await writeNpyFile(path('y3.npy'), {
    dtype: 'float64',
    shape: [20, 3],
    data: new Float64Array(60),
  });
  await writeNpyFile(path('nan.npy'), {
    dtype: 'float64',
    shape: [2, 4],
    data: new Float64Array([0, 1, 2, 3, 4, Number.NaN, 6, 7]),
  });
  await writeNpyFile(path('flat.npy'), { dtype: 'float32', shape: [8], data: new Float32Array(8) });
  await writeNpyFile(path('empty.npy'), {
    dtype: 'float32',
    shape: [0, 4],
    data: new Float32Array(0),
  });
  await writeNpyFile(path('ints.npy'), { dtype: 'int32', shape: [2, 4], data: new Int32Array(8) });
});

describe('sinkflow solve and sample', () => {
  it('solves at a target entropy, saves the potentials and writes the JSON contract', async () => {
    const result = await sinkflow(
      'solve',
      '--x',
      path('x.npy'),
      '--y',
      path('y.npy'),
      '--target-entropy',
      '0.2',
      '--save-potentials',
      path('run'),
      '--json',
      path('solve.json'),
    );
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/renormalized entropy\s+0\.(19|20)\d*/);
    const summary = JSON.parse(readFileSync(path('solve.json'), 'utf8'));
    for (const key of [
      'n',
      'm',
      'd',
      'cost',
      'epsilon',
      'relativeEpsilon',
      'costStd',
      'iterations',
      'converged',
      'marginalError',
      'transportCost',
      'transportCostSqEuclidean',
      'regularizedCost',
      'entropy',
      'renormalizedEntropy',
      'seconds',
      'backend',
      'backendReason',
    ]) {
      expect(summary).toHaveProperty(key);
    }
    expect(summary).toMatchObject({
      n: 300,
      m: 250,
      d: 4,
      cost: 'dot',
      converged: true,
      backend: 'wasm',
    });
    // --backend auto timed wasm; tfjs and gpujs on the CPU cannot win and are not timed (js only
    // runs when named).
    expect(summary.backendReason).toMatch(/^auto: wasm .* calibration problem/);
    expect(summary.backendReason).toMatch(
      /skipped .*(tfjs \(not timed: tfjs on (wasm|cpu) runs on the CPU|tfjs \()/,
    );
    expect(Math.abs(summary.renormalizedEntropy - 0.2)).toBeLessThanOrEqual(0.005);
    const f = await readNpyFile(path('run/f.npy'));
    expect(f.dtype).toBe('float64');
    expect(f.shape).toEqual([300]);
    expect(JSON.parse(readFileSync(path('run/solve.json'), 'utf8')).epsilon).toBe(summary.epsilon);
  });

  it('samples int32 index pairs from the saved coupling, reproducibly', async () => {
    const first = await sinkflow(
      'sample',
      '--x',
      path('x.npy'),
      '--y',
      path('y.npy'),
      '--potentials',
      path('run'),
      '--count',
      '500',
      '--seed',
      '3',
      '--out',
      path('pairs.npy'),
    );
    expect(first.code).toBe(0);
    const pairs = await readNpyFile(path('pairs.npy'));
    expect(pairs.dtype).toBe('int32');
    expect(pairs.shape).toEqual([500, 2]);
    for (let s = 0; s < 500; s += 1) {
      expect(pairs.data[2 * s]).toBeGreaterThanOrEqual(0);
      expect(pairs.data[2 * s]).toBeLessThan(300);
      expect(pairs.data[2 * s + 1]).toBeLessThan(250);
    }
    await sinkflow(
      'sample',
      '--x',
      path('x.npy'),
      '--y',
      path('y.npy'),
      '--potentials',
      path('run'),
      '--count',
      '500',
      '--seed',
      '3',
      '--out',
      path('pairs2.npy'),
    );
    expect(Array.from((await readNpyFile(path('pairs2.npy'))).data)).toEqual(
      Array.from(pairs.data),
    );
  });

  it('prints help with examples and exits 0', async () => {
    const result = await sinkflow('solve', '--help');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Examples:/);
    expect((await sinkflow('--help')).stdout).toMatch(/solve .*\n.*sample/);
  });

  const badInputs: Array<[string, string[], RegExp]> = [
    [
      'a missing file',
      ['solve', '--x', 'no/such.npy', '--y', 'y.npy'],
      /'--x': cannot read .*no such file/,
    ],
    [
      'NaN in a cloud',
      ['solve', '--x', 'nan.npy', '--y', 'y.npy'],
      /'--x\.data\[5\]': coordinates must be finite/,
    ],
    ['a 1-D array', ['solve', '--x', 'flat.npy', '--y', 'y.npy'], /'--x': .* must be a 2-D array/],
    ['an empty cloud', ['solve', '--x', 'empty.npy', '--y', 'y.npy'], /'--x': .* is empty/],
    ['int32 coordinates', ['solve', '--x', 'ints.npy', '--y', 'y.npy'], /'--x': .* int32/],
    [
      'mismatched d',
      ['solve', '--x', 'x.npy', '--y', 'y3.npy'],
      /'--y': has d = 3 columns but --x has d = 4/,
    ],
    [
      'epsilon <= 0',
      ['solve', '--x', 'x.npy', '--y', 'y.npy', '--epsilon', '0'],
      /'--epsilon': must be a positive finite number/,
    ],
    [
      'target entropy outside (0, 1)',
      ['solve', '--x', 'x.npy', '--y', 'y.npy', '--target-entropy', '1'],
      /'--target-entropy': must be a number in \(0, 1\)/,
    ],
    [
      'two epsilons',
      ['solve', '--x', 'x.npy', '--y', 'y.npy', '--epsilon', '1', '--relative-epsilon', '0.1'],
      /give only one of/,
    ],
    [
      'an unknown backend',
      ['solve', '--x', 'x.npy', '--y', 'y.npy', '--backend', 'cuda'],
      /'--backend': must be one of/,
    ],
    ['an unknown flag', ['solve', '--x', 'x.npy', '--frobnicate', '1'], /'--frobnicate'/],
    [
      'a non-numeric threshold',
      ['solve', '--x', 'x.npy', '--y', 'y.npy', '--threshold', 'tight'],
      /'--threshold': must be a finite number/,
    ],
    [
      'missing potentials',
      [
        'sample',
        '--x',
        'x.npy',
        '--y',
        'y.npy',
        '--potentials',
        'nowhere',
        '--count',
        '5',
        '--out',
        'p.npy',
      ],
      /'--potentials': cannot read/,
    ],
    [
      'a bad count',
      [
        'sample',
        '--x',
        'x.npy',
        '--y',
        'y.npy',
        '--potentials',
        'run',
        '--count',
        '0',
        '--out',
        'p.npy',
      ],
      /'--count': must be in/,
    ],
  ];
  for (const [label, argv, pattern] of badInputs) {
    it(`exits 2 with one line naming the argument on ${label}`, async () => {
      const resolved = argv.map((arg) =>
        arg.endsWith('.npy') || arg === 'run' || arg === 'nowhere' ? path(arg) : arg,
      );
      const result = await sinkflow(...resolved);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(pattern);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(result.stderr).not.toMatch(/\n\s+at /);
    });
  }

  it('exits 2 on an unknown command', async () => {
    const result = await sinkflow('frobnicate');
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/unknown command 'frobnicate'/);
  });
});
