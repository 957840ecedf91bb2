import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRandomGenerator } from '@sinkflow/core';
import { writeNpyFile } from '@sinkflow/core/node';
import { beforeAll, describe, expect, it } from 'vitest';
import { sinkflow } from './run-cli-helper.js';

// `--mode dense16`: the wasm backend's kept half-precision kernel from the command line.
const directory = mkdtempSync(join(tmpdir(), 'sinkflow-dense16-'));
const path = (name: string) => join(directory, name);

beforeAll(async () => {
  const random = createRandomGenerator({ seed: 4 });
  const cloud = (n: number, shift: number) =>
    Float32Array.from({ length: n * 6 }, () => shift + random.normal());
  await writeNpyFile(path('x.npy'), { data: cloud(300, 0), shape: [300, 6], dtype: 'float32' });
  await writeNpyFile(path('y.npy'), { data: cloud(250, 1), shape: [250, 6], dtype: 'float32' });
});

describe('sinkflow solve --mode dense16', () => {
  it('solves on the kept half-precision kernel and reports the mode', async () => {
    const result = await sinkflow(
      'solve',
      '--x',
      path('x.npy'),
      '--y',
      path('y.npy'),
      '--backend',
      'wasm',
      '--mode',
      'dense16',
      '--epsilon',
      '0.05',
      '--json',
      '-',
    );
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.stdout);
    expect(summary.mode).toBe('dense16');
    expect(summary.converged).toBe(true);
  });

  it('names --mode when the backend has no such kernel (js)', async () => {
    const result = await sinkflow(
      'solve',
      '--x',
      path('x.npy'),
      '--y',
      path('y.npy'),
      '--backend',
      'js',
      '--mode',
      'dense16',
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--mode/);
  });
});
