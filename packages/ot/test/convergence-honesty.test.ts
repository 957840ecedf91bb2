import { createPointCloud, createRandomGenerator, InvalidArgumentError } from '@sinkflow/core';
import { absoluteEpsilon, relativeEpsilon } from '@sinkflow/entropy';
import { describe, expect, it } from 'vitest';
import {
  createJsBackend,
  createSinkhornProblem,
  createWasmBackend,
  type SinkhornBackend,
} from '../src/index.js';

function gaussianCloud(n: number, d: number, seed: number, offset = 0, weights?: Float64Array) {
  const random = createRandomGenerator({ seed });
  return createPointCloud(
    Float32Array.from({ length: n * d }, () => offset + random.normal()),
    weights === undefined ? { d } : { d, weights },
  );
}

/**
 * The js backend with a soft-max pass that is off by +-delta eps on alternate columns: what a
 * low-precision kernel does to the loop's running error estimate (which it computes from the same
 * pass), while the float64 statistics pass stays exact.
 */
function biasedColumnsBackend(delta: number): SinkhornBackend {
  const inner = createJsBackend();
  return {
    specificationVersion: 'v1',
    name: 'biased-js',
    async prepare(problem) {
      const kernel = await inner.prepare(problem);
      return {
        ...kernel,
        mode: kernel.mode,
        statistics: (request) => kernel.statistics(request),
        sampleColumns: (request) => kernel.sampleColumns(request),
        conditionalExpectation: (request) => kernel.conditionalExpectation(request),
        dispose: () => kernel.dispose(),
        async logSumExp(request) {
          await kernel.logSumExp(request);
          if (request.side === 'columns') {
            for (let j = 0; j < request.out.length; j += 1)
              request.out[j] =
                (request.out[j] as number) + (j % 2 === 0 ? 1 : -1) * delta * request.epsilon;
          }
        },
      };
    },
  };
}

describe('converged means converged', () => {
  it('is decided by both exact marginal errors, not by the loop estimate of a kernel that is off', async () => {
    const x = gaussianCloud(64, 3, 1);
    const y = gaussianCloud(64, 3, 2, 0.5);
    const problem = await createSinkhornProblem({ x, y, backend: biasedColumnsBackend(4e-3) });
    const solution = await problem.solve({ epsilon: relativeEpsilon(0.1), threshold: 1e-3 });
    // The loop's estimate passes (its own error is measured with the same biased pass) ...
    expect(solution.errors.some((error) => error < 1e-3)).toBe(true);
    // ... but the true column error is ~ delta = 4e-3: not converged.
    expect(solution.marginalError).toBeGreaterThan(1e-3);
    expect(solution.converged).toBe(false);
    expect(solution.diverged).toBe(false);
    await problem.dispose();
  });

  it('holds for every converged solve: both exact marginal errors below the threshold (js and wasm, with momentum)', async () => {
    const x = gaussianCloud(150, 4, 3);
    const y = gaussianCloud(150, 4, 4, 1);
    for (const backend of [createJsBackend(), createWasmBackend({ threads: 1 })]) {
      const problem = await createSinkhornProblem({ x, y, backend });
      for (const epsilon of [3e-2, 3e-3, 1e-3]) {
        const solution = await problem.solve({
          epsilon: relativeEpsilon(epsilon),
          momentumStart: 100,
          threshold: 1e-3,
        });
        expect(solution.converged, `${backend.name} ${epsilon}`).toBe(true);
        expect(solution.marginalError).toBeLessThan(1e-3);
        expect(solution.rowMarginalError).toBeLessThan(1e-3);
      }
      await problem.dispose();
    }
  }, 60_000);
});

describe('extreme epsilon', () => {
  const x = gaussianCloud(120, 4, 5);
  const y = gaussianCloud(120, 4, 6, 1);

  it('wasm refuses an epsilon below what its kernels resolve (relative 1e-9), naming epsilon; js solves it', async () => {
    const wasm = await createSinkhornProblem({ x, y, backend: createWasmBackend({ threads: 1 }) });
    const error = await wasm
      .solve({ epsilon: relativeEpsilon(1e-9), maxIterations: 50 })
      .catch((caught: unknown) => caught);
    expect(InvalidArgumentError.isInstance(error)).toBe(true);
    expect((error as InvalidArgumentError).argumentName).toBe('epsilon');
    expect((error as Error).message).toMatch(/smallest epsilon the wasm kernels resolve/);
    await wasm.dispose();
    const js = await createSinkhornProblem({ x, y, backend: createJsBackend() });
    const solution = await js.solve({ epsilon: relativeEpsilon(1e-9), maxIterations: 50 });
    expect(solution.renormalizedEntropy).toBeGreaterThanOrEqual(0);
    expect(solution.renormalizedEntropy).toBeLessThanOrEqual(1);
    expect(Number.isFinite(solution.transportCost)).toBe(true);
    await js.dispose();
  });

  it('both backends agree wherever wasm accepts epsilon (relative 1e-6 .. 3e-8)', async () => {
    const wasm = await createSinkhornProblem({ x, y, backend: createWasmBackend({ threads: 1 }) });
    const js = await createSinkhornProblem({ x, y, backend: createJsBackend() });
    for (const epsilon of [1e-6, 1e-7, 3e-8]) {
      const options = { epsilon: relativeEpsilon(epsilon), maxIterations: 300 };
      const [a, b] = [await wasm.solve(options), await js.solve(options)];
      expect(Math.abs(a.renormalizedEntropy - b.renormalizedEntropy), `${epsilon}`).toBeLessThan(
        1e-5,
      );
      expect(Math.abs(a.transportCost - b.transportCost)).toBeLessThan(
        1e-5 * Math.abs(b.transportCost),
      );
    }
    await wasm.dispose();
    await js.dispose();
  });

  it('an enormous absolute epsilon (1e300): js gives the independent coupling, wasm refuses it, nothing is NaN', async () => {
    const js = await createSinkhornProblem({ x, y, backend: createJsBackend() });
    const solution = await js.solve({ epsilon: absoluteEpsilon(1e300) });
    expect(solution.converged).toBe(true);
    expect(solution.f.every(Number.isFinite) && solution.g.every(Number.isFinite)).toBe(true);
    expect(solution.renormalizedEntropy).toBeCloseTo(1, 10);
    await js.dispose();
    const wasm = await createSinkhornProblem({ x, y, backend: createWasmBackend({ threads: 1 }) });
    const error = await wasm.solve({ epsilon: absoluteEpsilon(1e300) }).catch((caught) => caught);
    expect(InvalidArgumentError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(/largest epsilon the wasm kernels represent/);
    const large = await wasm.solve({ epsilon: absoluteEpsilon(1e20) });
    expect(large.renormalizedEntropy).toBeCloseTo(1, 6);
    expect(large.f.every(Number.isFinite)).toBe(true);
    await wasm.dispose();
  });
});

describe('the renormalized entropy stays in [0, 1]', () => {
  it('with near-Dirac weights (1 - 49 delta, delta, ...), delta down to 1e-12, on js and wasm', async () => {
    const n = 50;
    for (const delta of [1e-6, 1e-9, 1e-12]) {
      const weights = Float64Array.from({ length: n }, (_, k) =>
        k === 0 ? 1 - (n - 1) * delta : delta,
      );
      const x = gaussianCloud(n, 3, 7, 0, weights);
      const y = gaussianCloud(n, 3, 8, 0, weights);
      for (const backend of [createJsBackend(), createWasmBackend({ threads: 1 })]) {
        const problem = await createSinkhornProblem({ x, y, backend });
        for (const epsilon of [1e-2, 1e-1, 1, 10]) {
          const { renormalizedEntropy } = await problem.solve({
            epsilon: relativeEpsilon(epsilon),
          });
          const label = `${backend.name} delta ${delta} eps ${epsilon}: ${renormalizedEntropy}`;
          expect(renormalizedEntropy, label).toBeGreaterThanOrEqual(0);
          expect(renormalizedEntropy, label).toBeLessThanOrEqual(1);
        }
        await problem.dispose();
      }
    }
  }, 60_000);

  it('and is NaN only for a diverged solve', async () => {
    const x = gaussianCloud(40, 2, 9);
    const y = gaussianCloud(40, 2, 10, 3);
    const problem = await createSinkhornProblem({ x, y, backend: createJsBackend() });
    const solution = await problem.solve({ epsilon: relativeEpsilon(0.05) });
    expect(solution.diverged).toBe(false);
    expect(Number.isNaN(solution.renormalizedEntropy)).toBe(false);
    await problem.dispose();
  });
});
