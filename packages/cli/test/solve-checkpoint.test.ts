import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRandomGenerator } from '@sinkflow/core';
import { writeNpyFile } from '@sinkflow/core/node';
import { beforeAll, describe, expect, it } from 'vitest';
import { sinkflow } from './run-cli-helper.js';

const directory = mkdtempSync(join(tmpdir(), 'sinkflow-lab-checkpoint-'));
const path = (name: string) => join(directory, name);

beforeAll(async () => {
  const random = createRandomGenerator({ seed: 3 });
  const cloud = (n: number, d: number) =>
    Float32Array.from({ length: n * d }, () => random.normal());
  await writeNpyFile(path('x.npy'), { dtype: 'float32', shape: [120, 3], data: cloud(120, 3) });
  await writeNpyFile(path('y.npy'), { dtype: 'float32', shape: [100, 3], data: cloud(100, 3) });
});

describe('sinkflow solve --checkpoint-dir without --nats', () => {
  it('checkpoints on any backend and gives the same solve as without checkpoints', async () => {
    const common = ['--x', path('x.npy'), '--y', path('y.npy'), '--relative-epsilon', '0.01'];
    const plain = await sinkflow('solve', ...common, '--json', path('plain.json'));
    const checkpointed = await sinkflow(
      'solve',
      ...common,
      '--backend',
      'js',
      '--checkpoint-dir',
      path('ckpt'),
      '--checkpoint-every',
      '10',
      '--json',
      path('checkpointed.json'),
    );
    expect(plain.code, plain.stderr).toBe(0);
    expect(checkpointed.code, checkpointed.stderr).toBe(0);
    const read = (name: string) => JSON.parse(readFileSync(path(name), 'utf8'));
    expect(read('checkpointed.json').converged).toBe(true);
    expect(read('checkpointed.json').iterations).toBeGreaterThan(10);
    // A finished solve removes its checkpoint.
    expect(existsSync(path('ckpt/checkpoint.json'))).toBe(false);
  });
});
