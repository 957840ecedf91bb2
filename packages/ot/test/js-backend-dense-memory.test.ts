import { InvalidArgumentError } from '@sinkflow/core';
import { describe, expect, it } from 'vitest';
import { createJsBackend } from '../src/index.js';

const problem = (n: number, m: number, mode: 'dense' | 'online') => ({
  x: new Float32Array(n * 2).fill(0.5),
  y: new Float32Array(m * 2).fill(0.25),
  n,
  m,
  d: 2,
  mode,
});

describe('the JS backend refuses a dense kernel beyond its memory budget', () => {
  it('rejects dense mode when 16 n m bytes exceed the budget, naming mode, before allocating', async () => {
    // 16 * 300 * 250 = 1 200 000 bytes > 1 MiB.
    const backend = createJsBackend({ memoryBudgetBytes: 2 ** 20 });
    const rejection = backend.prepare(problem(300, 250, 'dense'));
    await expect(rejection).rejects.toSatisfy(InvalidArgumentError.isInstance);
    await expect(rejection).rejects.toThrow(
      /createJsBackend\.prepare: invalid argument 'mode': 'dense' keeps the 300 x 250 kernel .*1200000 bytes, more than the memory budget of 1048576 bytes; use 'online'/,
    );
  });

  it('accepts dense mode within the budget and online mode at any size', async () => {
    const backend = createJsBackend({ memoryBudgetBytes: 2 ** 20 });
    const dense = await backend.prepare(problem(200, 250, 'dense'));
    expect(dense.mode).toBe('dense');
    await dense.dispose();
    const online = await backend.prepare(problem(300, 250, 'online'));
    expect(online.mode).toBe('online');
    await online.dispose();
  });

  it('defaults to a quarter of the RAM: a 10^6 x 10^6 dense kernel (16 TB) is refused at once', async () => {
    await expect(createJsBackend().prepare(problem(1_000_000, 1_000_000, 'dense'))).rejects.toThrow(
      /invalid argument 'mode': .*\(a quarter of the RAM\)/,
    );
  });
});
