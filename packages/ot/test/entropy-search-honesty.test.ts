import { createPointCloud, createRandomGenerator, InvalidArgumentError } from '@sinkflow/core';
import { describe, expect, it } from 'vitest';
import { createJsBackend, createSinkhornProblem, UnreachableEntropyError } from '../src/index.js';

function gaussianCloud(n: number, d: number, seed: number, offset = 0) {
  const random = createRandomGenerator({ seed });
  return createPointCloud(
    Float32Array.from({ length: n * d }, () => offset + random.normal()),
    {
      d,
    },
  );
}

describe('solveForEntropy: the reachable range', () => {
  it('n != m, uniform weights: a target below |log n - log m| / log(n m) fails fast with the range', async () => {
    const x = gaussianCloud(200, 3, 1);
    const y = gaussianCloud(20, 3, 2);
    const problem = await createSinkhornProblem({ x, y, backend: createJsBackend() });
    const lower = Math.log(200 / 20) / Math.log(200 * 20); // 0.2776
    const started = performance.now();
    const error = await problem
      .solveForEntropy({ targetEntropy: 0.1 })
      .catch((caught: unknown) => caught);
    expect(performance.now() - started).toBeLessThan(1000); // no solve ran
    expect(UnreachableEntropyError.isInstance(error)).toBe(true);
    expect(InvalidArgumentError.isInstance(error)).toBe(true);
    const { range, argumentName, message } = error as UnreachableEntropyError;
    expect(argumentName).toBe('targetEntropy');
    expect(range.min).toBeCloseTo(lower, 12);
    expect(range.max).toBe(1);
    expect(message).toMatch(/\[0\.277\d*, 1\]/);
    // Above the bound it is reached, and the result carries the range.
    const result = await problem.solveForEntropy({ targetEntropy: 0.5 });
    expect(result.reached).toBe(true);
    expect(result.range.min).toBeCloseTo(lower, 12);
    expect(result.solution.renormalizedEntropy).toBeGreaterThan(lower);
    await problem.dispose();
  });

  it('all points of y equal: E = 1 at every epsilon, so every target in (0, 1) is unreachable', async () => {
    const x = gaussianCloud(100, 4, 3);
    const y = createPointCloud(
      Float32Array.from({ length: 80 * 4 }, (_, k) => [0.5, -1, 2, 0.25][k % 4] as number),
      { d: 4 },
    );
    const problem = await createSinkhornProblem({ x, y, backend: createJsBackend() });
    const error = await problem
      .solveForEntropy({ targetEntropy: 0.9 })
      .catch((caught: unknown) => caught);
    expect(UnreachableEntropyError.isInstance(error)).toBe(true);
    expect((error as UnreachableEntropyError).range).toEqual({ min: 1, max: 1 });
    expect((error as Error).message).toMatch(/separable/);
    // The premise, checked: a plain solve at a small epsilon gives E = 1.
    const solution = await problem.solve({});
    expect(solution.renormalizedEntropy).toBeCloseTo(1, 9);
    await problem.dispose();
  });
});

describe('solveForEntropy never keeps a non-converged candidate', () => {
  it('with too few iterations to converge at the target, reached is false and the solution converged (or nothing did)', async () => {
    const x = gaussianCloud(150, 4, 4);
    const y = gaussianCloud(150, 4, 5, 1);
    const problem = await createSinkhornProblem({ x, y, backend: createJsBackend() });
    const result = await problem.solveForEntropy({
      targetEntropy: 0.02,
      maxIterations: 60,
      maxSolves: 8,
    });
    const convergedSteps = result.steps.filter((step) => step.converged);
    expect(result.steps.some((step) => !step.converged)).toBe(true);
    expect(result.reached).toBe(false);
    expect(result.solution.converged).toBe(convergedSteps.length > 0);
    if (convergedSteps.length > 0) {
      // The closest converged solve, not a closer non-converged one.
      const closest = Math.min(
        ...convergedSteps.map((step) => Math.abs(step.renormalizedEntropy - 0.02)),
      );
      expect(Math.abs(result.solution.renormalizedEntropy - 0.02)).toBeCloseTo(closest, 12);
    }
    await problem.dispose();
  });

  it('reports the whole search: solves, iterations and seconds', async () => {
    const x = gaussianCloud(120, 3, 6);
    const y = gaussianCloud(120, 3, 7, 1);
    const problem = await createSinkhornProblem({ x, y, backend: createJsBackend() });
    const started = performance.now();
    const result = await problem.solveForEntropy({ targetEntropy: 0.15 });
    const elapsed = (performance.now() - started) / 1000;
    expect(result.reached).toBe(true);
    expect(result.solution.converged).toBe(true);
    expect(result.search.solves).toBe(result.steps.length);
    expect(result.search.solves).toBeGreaterThan(1);
    expect(result.search.iterations).toBe(
      result.steps.reduce((sum, step) => sum + step.iterations, 0),
    );
    expect(result.search.seconds).toBeGreaterThan(result.solution.seconds);
    expect(result.search.seconds).toBeLessThanOrEqual(elapsed);
    await problem.dispose();
  });
});
