import { createPointCloud, createRandomGenerator } from '@sinkflow/core';
import { relativeEpsilon } from '@sinkflow/entropy';
import { describe, expect, it } from 'vitest';
import { createJsBackend, createSinkhornProblem } from '../src/index.js';

function gaussianCloud(n: number, d: number, seed: number) {
  const random = createRandomGenerator({ seed });
  return createPointCloud(
    Float32Array.from({ length: n * d }, () => random.normal()),
    { d },
  );
}

describe('progress potentials (checkpoints)', () => {
  it('a warm start from the potentials of a progress report repeats the remaining iterations', async () => {
    const problem = await createSinkhornProblem({
      backend: createJsBackend(),
      x: gaussianCloud(40, 3, 1),
      y: gaussianCloud(50, 3, 2),
      cost: 'sqeuclidean',
    });
    const options = { epsilon: relativeEpsilon(0.05), threshold: 1e-7, innerIterations: 5 };
    let checkpoint: { iteration: number; f: Float64Array; g: Float64Array } | undefined;
    const full = await problem.solve({
      ...options,
      onProgress: (progress) => {
        if (progress.iteration === 20) checkpoint = { iteration: 20, ...progress.potentials() };
      },
    });
    expect(checkpoint).toBeDefined();
    const resumed = await problem.solve({
      ...options,
      initialPotentials: { f: checkpoint!.f, g: checkpoint!.g },
    });
    await problem.dispose();
    expect(full.converged).toBe(true);
    expect(resumed.iterations).toBe(full.iterations - checkpoint!.iteration);
    for (const [left, right] of [
      [resumed.f, full.f],
      [resumed.g, full.g],
    ] as const) {
      for (let k = 0; k < left.length; k += 1)
        expect(Math.abs((left[k] as number) - (right[k] as number))).toBeLessThan(1e-12);
    }
    expect(resumed.transportCost).toBeCloseTo(full.transportCost, 12);
  });
});
