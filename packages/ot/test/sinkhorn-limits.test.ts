import { createPointCloud, createRandomGenerator } from '@sinkflow/core';
import { absoluteEpsilon, relativeEpsilon } from '@sinkflow/entropy';
import { describe, expect, it } from 'vitest';
import {
  createJsBackend,
  createSinkhornProblem,
  createWasmBackend,
  type SinkhornBackend,
  solveSinkhorn,
} from '../src/index.js';
import { fixtureCloud, loadFixture } from './load-fixture.js';

// Tight thresholds need the float64 reference kernel; the float32 case runs on both backends.
const backend = createJsBackend();

function gaussianCloud(n: number, d: number, seed: number, scale = 1, offset = 0) {
  const random = createRandomGenerator({ seed });
  return createPointCloud(
    Float32Array.from({ length: n * d }, () => offset + scale * random.normal()),
    { d },
  );
}

describe('limits of epsilon', () => {
  it('E -> 0 (E < 0.02) gives a transport cost within 1% of the exact assignment (scipy)', async () => {
    const fixture = loadFixture<{
      n: number;
      d: number;
      x: number[];
      y: number[];
      assignmentCostSqEuclidean: number;
    }>('assignment-limit.json');
    const problem = await createSinkhornProblem({
      backend,
      x: fixtureCloud(fixture.x, fixture.d),
      y: fixtureCloud(fixture.y, fixture.d),
      cost: 'sqeuclidean',
    });
    const { solution, reached } = await problem.solveForEntropy({
      targetEntropy: 0.01,
      entropyTolerance: 0.009,
      threshold: 1e-4,
    });
    await problem.dispose();
    expect(reached).toBe(true);
    expect(solution.renormalizedEntropy).toBeLessThan(0.02);
    const gap =
      Math.abs(solution.transportCostSqEuclidean - fixture.assignmentCostSqEuclidean) /
      fixture.assignmentCostSqEuclidean;
    expect(gap).toBeLessThan(0.01);
  });

  it('a large epsilon gives E > 0.99 (nearly the independent coupling)', async () => {
    const solution = await solveSinkhorn({
      backend,
      x: gaussianCloud(50, 3, 1),
      y: gaussianCloud(40, 3, 2),
      epsilon: relativeEpsilon(100),
    });
    expect(solution.converged).toBe(true);
    expect(solution.renormalizedEntropy).toBeGreaterThan(0.99);
    expect(solution.renormalizedEntropy).toBeLessThanOrEqual(1 + 1e-12);
  });

  it('costs of scale 1e3 in float32 at E = 0.01 give no NaN (JS and wasm backends)', async () => {
    // Points far from the origin (offset 1e3) and spread 30: 1/2||x - y||^2 ~ 1e3, <x, y> ~ 1e6.
    for (const [cost, kernelBackend] of [
      ['sqeuclidean', backend],
      ['dot', backend],
      ['sqeuclidean', createWasmBackend()],
      ['dot', createWasmBackend()],
    ] as const) {
      const problem = await createSinkhornProblem({
        backend: kernelBackend,
        x: gaussianCloud(48, 2, 3, 30, 1e3),
        y: gaussianCloud(48, 2, 4, 30, 1e3),
        cost,
      });
      const { solution, reached } = await problem.solveForEntropy({
        targetEntropy: 0.01,
        entropyTolerance: 0.005,
        threshold: 1e-3,
      });
      await problem.dispose();
      expect(reached).toBe(true);
      expect(solution.diverged).toBe(false);
      expect(Number.isNaN(solution.transportCost)).toBe(false);
      expect(solution.f.every(Number.isFinite) && solution.g.every(Number.isFinite)).toBe(true);
      expect(solution.marginalError).toBeLessThan(1e-3);
    }
  });
});

describe('solver features', () => {
  const x = gaussianCloud(80, 4, 10);
  const y = gaussianCloud(70, 4, 11, 0.8, 0.3);

  it('a warm start from converged potentials stops at once with the same coupling', async () => {
    const cold = await solveSinkhorn({
      backend,
      x,
      y,
      epsilon: relativeEpsilon(0.05),
      threshold: 1e-6,
    });
    const warm = await solveSinkhorn({
      backend,
      x,
      y,
      epsilon: relativeEpsilon(0.05),
      threshold: 1e-6,
      initialPotentials: cold,
    });
    expect(cold.iterations).toBeGreaterThan(10);
    expect(warm.iterations).toBe(0);
    expect(Math.abs(warm.transportCost - cold.transportCost)).toBeLessThan(
      1e-12 * Math.abs(cold.transportCost),
    );
  });

  it('Lehmann momentum reaches the same solution in fewer iterations', async () => {
    const options = { x, y, backend, epsilon: relativeEpsilon(0.01), threshold: 1e-7 } as const;
    const plain = await solveSinkhorn({ ...options, momentumStart: Number.POSITIVE_INFINITY });
    const fast = await solveSinkhorn({ ...options, momentumStart: 20 });
    expect(plain.converged && fast.converged).toBe(true);
    expect(fast.iterations).toBeLessThan(0.7 * plain.iterations);
    expect(Math.abs(fast.transportCost - plain.transportCost)).toBeLessThan(
      1e-6 * Math.abs(plain.transportCost),
    );
  });

  it('an epsilon schedule ends at its target and matches the direct solve', async () => {
    const direct = await solveSinkhorn({
      backend,
      x,
      y,
      epsilon: absoluteEpsilon(0.05),
      threshold: 1e-8,
    });
    const { epsilonSchedule } = await import('@sinkflow/entropy');
    const scheduled = await solveSinkhorn({
      backend,
      x,
      y,
      epsilon: epsilonSchedule({ init: 5, decay: 0.8, target: 0.05, relative: false }),
      threshold: 1e-8,
    });
    expect(scheduled.epsilon).toBe(0.05);
    expect(scheduled.converged).toBe(true);
    expect(Math.abs(scheduled.transportCost - direct.transportCost)).toBeLessThan(
      1e-6 * Math.abs(direct.transportCost),
    );
  });

  it('reports progress at every check and stops on an abort signal', async () => {
    const seen: number[] = [];
    const solution = await solveSinkhorn({
      backend,
      x,
      y,
      threshold: 1e-6,
      innerIterations: 5,
      onProgress: ({ iteration }) => seen.push(iteration),
    });
    expect(seen.length).toBe(solution.errors.length);
    expect(seen.every((iteration) => iteration % 5 === 0)).toBe(true);
    const controller = new AbortController();
    const aborted = solveSinkhorn({
      backend,
      x,
      y,
      epsilon: relativeEpsilon(0.001),
      threshold: 1e-12,
      signal: controller.signal,
      onProgress: ({ iteration }) => {
        if (iteration >= 20) controller.abort(new Error('stop now'));
      },
    });
    await expect(aborted).rejects.toThrow('stop now');
  });

  it('reports NaN from the kernels as a diverged solve (data, not an exception)', async () => {
    // Log-domain updates stay finite even at eps = 1e-300 (they become c-transforms), so a NaN can
    // only come from a faulty kernel: inject one after a few passes.
    const reference = createJsBackend();
    let passes = 0;
    const faulty: SinkhornBackend = {
      specificationVersion: 'v1',
      name: 'faulty',
      prepare: async (problem) => {
        const kernel = await reference.prepare(problem);
        return {
          ...kernel,
          logSumExp: async (request) => {
            await kernel.logSumExp(request);
            passes += 1;
            if (passes > 25) request.out[0] = Number.NaN;
          },
        };
      },
    };
    const solution = await solveSinkhorn({ x, y, backend: faulty, threshold: 1e-12 });
    expect(solution.converged).toBe(false);
    expect(solution.diverged).toBe(true);
    expect(solution.iterations).toBe(20);
    expect(Number.isNaN(solution.errors.at(-1))).toBe(true);
  });

  it('PCA on data that lies in a k-dimensional subspace gives the same coupling as no PCA', async () => {
    const random = createRandomGenerator({ seed: 20 });
    const embed = (cloud: ReturnType<typeof gaussianCloud>) => {
      // Rows of a fixed 6 x 2 map: points in R^2 embedded in R^6.
      const map = [0.5, -1, 0.2, 0.7, 1.1, 0.3, -0.4, 0.9, 0.6, 0.1, -0.8, 0.5];
      const out = new Float32Array(cloud.n * 6);
      for (let i = 0; i < cloud.n; i += 1) {
        for (let c = 0; c < 6; c += 1) {
          out[i * 6 + c] =
            (cloud.data[i * 2] as number) * (map[c] as number) +
            (cloud.data[i * 2 + 1] as number) * (map[6 + c] as number) +
            random.normal() * 1e-4;
        }
      }
      return createPointCloud(out, { d: 6 });
    };
    const high = embed(gaussianCloud(40, 2, 21));
    const highY = embed(gaussianCloud(45, 2, 22, 0.7));
    const full = await solveSinkhorn({
      backend,
      x: high,
      y: highY,
      cost: 'sqeuclidean',
      epsilon: relativeEpsilon(0.05),
      threshold: 1e-8,
    });
    const projected = await solveSinkhorn({
      backend,
      x: high,
      y: highY,
      cost: 'sqeuclidean',
      pcaComponents: 2,
      epsilon: relativeEpsilon(0.05),
      threshold: 1e-8,
    });
    expect(full.pca).toBeNull();
    expect(projected.pca?.components).toBe(2);
    expect(projected.pca?.explainedVarianceRatio).toBeGreaterThan(0.999999);
    expect(projected.d).toBe(2);
    expect(Math.abs(projected.renormalizedEntropy - full.renormalizedEntropy)).toBeLessThan(1e-4);
    expect(
      Math.abs(projected.transportCost - full.transportCost) / full.transportCost,
    ).toBeLessThan(1e-4);
  });

  it('solveForEntropy reaches the target entropy, warm-starting each solve', async () => {
    const problem = await createSinkhornProblem({ backend, x, y });
    const result = await problem.solveForEntropy({
      targetEntropy: 0.2,
      entropyTolerance: 0.002,
      threshold: 1e-5,
    });
    await problem.dispose();
    expect(result.reached).toBe(true);
    expect(Math.abs(result.solution.renormalizedEntropy - 0.2)).toBeLessThanOrEqual(0.002);
    expect(result.steps.length).toBeGreaterThan(1);
    expect(result.steps.at(-1)?.renormalizedEntropy).toBe(result.solution.renormalizedEntropy);
  });
});
