import { createRandomGenerator } from '@sinkflow/core';
import { describe, expect, it } from 'vitest';
import { createGpujsBackend } from '../src/index.js';
import { loadGpujs } from '../src/internal/gpujs-module.js';
import { logSumExpOnline } from '../src/internal/kernel-functions.js';
import { expectClose } from './expect-close.js';

// gpu.js stops a loop whose bound depends on an argument after `loopMaxIterations` iterations
// (default 1000) without a word. One tile of m = 2500 columns needs 2500 iterations.
const n = 8;
const m = 2500;
const d = 3;
const epsilon = 0.1;
const random = createRandomGenerator({ seed: 5 });
const x = new Float32Array(n * d).map(() => 0.5 * random.normal());
const y = new Float32Array(m * d).map(() => 0.5 * random.normal());
const offsets = new Float64Array(m).map(() => 0.3 * random.normal());

/** `eps log sum_j exp((h_j + <x_i, y_j>) / eps)` over all m columns, in float64. */
function reference(): Float64Array {
  return Float64Array.from({ length: n }, (_, i) => {
    const values = Array.from({ length: m }, (_, j) => {
      let dot = 0;
      for (let c = 0; c < d; c += 1) dot += (x[i * d + c] as number) * (y[j * d + c] as number);
      return (offsets[j] as number) + dot;
    });
    const top = Math.max(...values);
    return (
      top + epsilon * Math.log(values.reduce((sum, v) => sum + Math.exp((v - top) / epsilon), 0))
    );
  });
}

describe('a tile longer than gpu.js default loopMaxIterations (1000) is summed in full', () => {
  const expected = reference();
  for (const mode of ['cpu', 'webasm'] as const) {
    it(`${mode}: one tile of 2500 columns`, async () => {
      const backend = await createGpujsBackend({ mode, tile: 4096, threads: 1 });
      const kernel = await backend.prepare({ x, y, n, m, d, mode: 'online' });
      const out = new Float64Array(n);
      await kernel.logSumExp({ side: 'rows', offsets, epsilon, out });
      await kernel.dispose();
      expectClose(out, expected, { tolerance: { absolute: 1e-5, relative: 1e-6 }, label: mode });
    });

    it(`${mode}: the same kernel with gpu.js's default loopMaxIterations misses columns (the trap)`, async () => {
      const gpujs = await loadGpujs();
      if (typeof gpujs === 'string') throw new Error(gpujs);
      const gpu = new gpujs.GPU({ mode });
      try {
        const top = Math.max(...offsets);
        const shifted = Float32Array.from(offsets, (value) => value - top);
        const run = gpu.createKernel(logSumExpOnline.toString(), {
          output: [n, 1],
          argumentTypes: {
            kept: 'Array',
            reduced: 'Array',
            offsets: 'Array',
            d: 'Integer',
            tile: 'Integer',
            length: 'Integer',
            epsilon: 'Float',
          },
          loopMaxIterations: 1000,
          precision: 'single',
          tactic: 'precision',
          asyncMode: false,
        });
        const [tile] = (await run(x, y, shifted, d, m, m, epsilon)) as Float32Array[];
        const truncated = Array.from(tile as Float32Array, (value) => top + value);
        const errors = truncated.map((value, i) => Math.abs(value - (expected[i] as number)));
        expect(Math.max(...errors)).toBeGreaterThan(1e-3);
      } finally {
        await gpu.destroy();
      }
    });
  }
});
