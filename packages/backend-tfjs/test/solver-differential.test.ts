import { createPointCloud, createRandomGenerator } from '@sinkflow/core';
import { assertClose } from '@sinkflow/core/testing';
import { createJsBackend, solveSinkhorn } from '@sinkflow/ot';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { createTfjsBackend } from '../src/index.js';

// n = m = 300 in d = 8: a shifted, anisotropic target, so the coupling is far from trivial.
const n = 300;
const d = 8;
const random = createRandomGenerator({ seed: 2025 });
const x = createPointCloud(
  Float32Array.from({ length: n * d }, () => random.normal()),
  { d },
);
const y = createPointCloud(
  Float32Array.from({ length: n * d }, (_, k) => 0.5 + (1 + (k % d) / d) * random.normal()),
  { d },
);

describe('the solver on tfjs matches the float64 js reference (same E and costs; default relative epsilon 0.05)', async () => {
  const reference = await solveSinkhorn({
    x,
    y,
    backend: createJsBackend(),
    mode: 'online',
  });
  for (const [tfjsBackend, mode] of [
    ['cpu', 'online'],
    ['wasm', 'online'],
    ['wasm', 'dense'],
  ] as const) {
    it(`tfjs ${tfjsBackend}, ${mode}`, async () => {
      const backend = await createTfjsBackend({ tf, backend: tfjsBackend });
      const solution = await solveSinkhorn({
        x,
        y,
        backend,
        mode,
      });
      expect(solution.converged).toBe(true);
      expect(reference.converged).toBe(true);
      // Float32 kernels move each term by ~1e-7 relative: measured, E agrees to ~1e-6 and the
      // costs to ~3e-7 relative (the tolerances leave 10x); the iteration counts may differ by one
      // check (10 iterations) when the error crosses the threshold between two checks.
      assertClose(solution.renormalizedEntropy, reference.renormalizedEntropy, {
        tolerance: { absolute: 1e-5, relative: 0 },
        label: `renormalized entropy (tfjs ${tfjsBackend} ${mode})`,
      });
      for (const key of ['transportCost', 'transportCostSqEuclidean', 'regularizedCost'] as const) {
        assertClose(solution[key], reference[key], {
          tolerance: { absolute: 1e-6, relative: 2e-6 },
          label: `${key} (tfjs ${tfjsBackend} ${mode})`,
        });
      }
      expect(Math.abs(solution.iterations - reference.iterations)).toBeLessThanOrEqual(10);
    });
  }
});
