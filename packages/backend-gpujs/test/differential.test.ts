import { createRandomGenerator } from '@sinkflow/core';
import { createJsBackend, createSinkhornProblem, type SinkhornBackend } from '@sinkflow/ot';
import { describe, expect, it } from 'vitest';
import { createGpujsBackend } from '../src/index.js';
import { expectClose } from './expect-close.js';

const n = 300;
const m = 300;
const d = 8;

function cloud(count: number, seed: number, shift: number) {
  const random = createRandomGenerator({ seed });
  const data = new Float32Array(count * d).map(() => random.normal() + shift);
  return { data, n: count, d };
}

async function solveWith(backend: SinkhornBackend) {
  const problem = await createSinkhornProblem({
    x: cloud(n, 1, 0),
    y: cloud(m, 2, 0.5),
    cost: 'sqeuclidean',
    backend,
    mode: 'online',
  });
  try {
    const solution = await problem.solve({ threshold: 1e-5 });
    const pairs = await problem.samplePairs({ potentials: solution, count: 2000, seed: 7 });
    const projection = await problem.barycentricProjection({ potentials: solution });
    return { solution, pairs, projection };
  } finally {
    await problem.dispose();
  }
}

describe('the gpu.js backend solves like the JS reference backend', async () => {
  const reference = await solveWith(createJsBackend());
  // tile 16 gives 300 x 19 = 5700 cells per call: the webasm worker pool splits those (>= 4096).
  for (const options of [
    { mode: 'webasm', threads: 2, tile: 16 },
    { mode: 'cpu', tile: 64 },
  ] as const) {
    it(`in ${options.mode} mode: same entropy, costs, pairs and projection within float32 tolerance`, async () => {
      const backend = await createGpujsBackend(options);
      const { solution, pairs, projection } = await solveWith(backend);
      expect(solution.converged).toBe(true);
      expect(solution.backend).toBe('gpujs');
      const tolerance = { absolute: 1e-6, relative: 1e-4 };
      expectClose(solution.renormalizedEntropy, reference.solution.renormalizedEntropy, {
        tolerance,
        label: 'renormalized entropy',
      });
      expectClose(solution.transportCost, reference.solution.transportCost, {
        tolerance,
        label: 'transport cost',
      });
      expectClose(solution.regularizedCost, reference.solution.regularizedCost, {
        tolerance,
        label: 'regularized cost',
      });
      expect(Math.abs(solution.iterations - reference.solution.iterations)).toBeLessThanOrEqual(
        solution.iterations / 10,
      );
      // Same keyed Gumbel noise: pairs differ only where float32 scores swap a near-tie.
      let same = 0;
      for (let k = 0; k < pairs.columns.length; k += 1) {
        if (
          pairs.columns[k] === reference.pairs.columns[k] &&
          pairs.rows[k] === reference.pairs.rows[k]
        )
          same += 1;
      }
      expect(same / pairs.columns.length).toBeGreaterThan(0.99);
      expectClose(projection, reference.projection, {
        tolerance: { absolute: 1e-3, relative: 1e-3 },
        label: 'barycentric projection',
      });
    });
  }
});
