import { totalmem } from 'node:os';
import { describe, expect, it } from 'vitest';
import {
  chooseKernelMode,
  defaultBackend,
  defaultMemoryBudget,
  MOMENTUM_PATIENCE_CHECKS,
  wasmBackendSupported,
} from '../src/index.js';

describe('the defaults of @sinkflow/ot, used as API', () => {
  it('defaultBackend is wasm where the runtime supports it, else js', () => {
    const backend = defaultBackend();
    expect(backend.specificationVersion).toBe('v1');
    expect(backend.name).toBe(wasmBackendSupported() ? 'wasm' : 'js');
  });

  it('defaultMemoryBudget is a quarter of the RAM in Node', async () => {
    expect(await defaultMemoryBudget()).toBe(Math.floor(totalmem() / 4));
  });

  it('chooseKernelMode keeps the kernel when 8 n m bytes fit the budget and d >= 4', () => {
    const budget = 8 * 1000 * 1000;
    expect(chooseKernelMode({ n: 1000, m: 1000, memoryBudgetBytes: budget })).toBe('dense');
    expect(chooseKernelMode({ n: 1000, m: 1001, memoryBudgetBytes: budget })).toBe('online');
    expect(chooseKernelMode({ n: 1000, m: 1000, memoryBudgetBytes: budget, d: 3 })).toBe('online');
    expect(chooseKernelMode({ n: 1000, m: 1000, memoryBudgetBytes: budget, d: 4 })).toBe('dense');
    expect(
      chooseKernelMode({ n: 1000, m: 1000, memoryBudgetBytes: budget, bytesPerEntry: 16 }),
    ).toBe('online');
  });

  it('MOMENTUM_PATIENCE_CHECKS is the patience window of momentum, a whole number of checks', () => {
    expect(Number.isSafeInteger(MOMENTUM_PATIENCE_CHECKS)).toBe(true);
    // docs/numerics.md and the README promise 50 checks (500 iterations at innerIterations 10).
    expect(MOMENTUM_PATIENCE_CHECKS).toBe(50);
  });
});
