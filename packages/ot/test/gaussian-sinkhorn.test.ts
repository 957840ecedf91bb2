import { createPointCloud, createRandomGenerator, type RandomGenerator } from '@sinkflow/core';
import { absoluteEpsilon } from '@sinkflow/entropy';
import { CholeskyDecomposition, Matrix } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import {
  createSinkhornProblem,
  createWasmBackend,
  entropicGaussianCoupling,
} from '../src/index.js';

/**
 * The entropic closed form against the engine's Sinkhorn on n = 8192 samples per side.
 *
 * Conventions: the engine solves `min <P, 1/2 ||x - y||^2> - e H(P)` (cost 'sqeuclidean'); this is
 * half of Janati et al.'s problem with `||x - y||^2` and `eps = 2 e` (sigma^2 = e), so
 * `entropicGaussianCoupling({ ..., epsilon: 2 e }).halfSquaredEuclidean` is the population value.
 * The engine's KL-form value is `regularizedCost + e (log n + log n)` (uniform weights).
 *
 * Statistical tolerance: each quantity is the plug-in estimate from n samples, whose error is
 * dominated by O(n^-1/2) fluctuations [genevay2019, mena2019]. We allow 4 standard errors:
 * - KL-form value: its first-order fluctuation is `mean_i f*(x_i) + mean_j g*(y_j)` (the optimal
 *   potentials), so se^2 = Var(f) / n + Var(g) / n from the engine's own potentials;
 * - transport cost E_pi 1/2 ||x - y||^2: se^2 = Var_pi(1/2 ||x - y||^2) / n, with
 *   x - y ~ N(m1 - m2, S) and S = S1 + S2 - C - C^T, Var = (2 tr S^2 + 4 mu^T S mu) / 4;
 * - cross-covariance entry (i, j): se^2 = (S1_ii S2_jj + C_ij^2) / n (a sample covariance of n pairs).
 * With seeded samples the test is deterministic; the tolerance says why the numbers must agree.
 */
const n = 8192;

interface Population {
  readonly d: number;
  readonly mean1: number[];
  readonly covariance1: number[];
  readonly mean2: number[];
  readonly covariance2: number[];
}

function gaussianSample(
  random: RandomGenerator,
  mean: number[],
  cov: number[],
  count: number,
): Float64Array {
  const d = mean.length;
  const lower = new CholeskyDecomposition(Matrix.from1DArray(d, d, cov)).lowerTriangularMatrix;
  const out = new Float64Array(count * d);
  const z = new Float64Array(d);
  for (let i = 0; i < count; i += 1) {
    random.fillNormal(z);
    for (let r = 0; r < d; r += 1) {
      let sum = mean[r] as number;
      for (let c = 0; c <= r; c += 1) sum += lower.get(r, c) * (z[c] as number);
      out[i * d + r] = sum;
    }
  }
  return out;
}

function variance(values: Float64Array): number {
  const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
  return values.reduce((sum, value) => sum + (value - mean) ** 2, 0) / values.length;
}

function randomPopulation(d: number, seed: number): Population {
  const random = createRandomGenerator({ seed });
  const spd = (floor: number) => {
    const w = Array.from({ length: d * d }, () => random.normal());
    return Array.from({ length: d * d }, (_, index) => {
      const i = Math.floor(index / d);
      const j = index % d;
      let sum = 0;
      for (let k = 0; k < d; k += 1) sum += (w[i * d + k] as number) * (w[j * d + k] as number);
      return sum / d + (i === j ? floor : 0);
    });
  };
  return {
    d,
    mean1: Array.from({ length: d }, () => random.normal()),
    covariance1: spd(0.2),
    mean2: Array.from({ length: d }, () => random.normal() + 0.5),
    covariance2: spd(0.3),
  };
}

const populations: readonly [string, Population, number][] = [
  [
    'd = 2',
    {
      d: 2,
      mean1: [0, 0],
      covariance1: [1, 0.3, 0.3, 0.5],
      mean2: [1, -0.5],
      covariance2: [2, -0.4, -0.4, 1],
    },
    1,
  ],
  ['d = 5', randomPopulation(5, 17), 1],
];

describe('entropicGaussianCoupling against log-domain Sinkhorn on n = 8192 samples (4 standard errors)', () => {
  for (const [label, population, engineEpsilon] of populations) {
    it(`${label}, engine epsilon ${engineEpsilon} (Janati epsilon ${2 * engineEpsilon})`, {
      timeout: 600_000,
    }, async () => {
      const { d } = population;
      const random = createRandomGenerator({ seed: 1000 + d });
      const x = createPointCloud(
        gaussianSample(random, population.mean1, population.covariance1, n),
        {
          d,
        },
      );
      const y = createPointCloud(
        gaussianSample(random, population.mean2, population.covariance2, n),
        {
          d,
        },
      );
      const closed = entropicGaussianCoupling({ ...population, epsilon: 2 * engineEpsilon });
      // The wasm backend, named so that the comparison does not depend on the default: its float32
      // kernel errors (~1e-7) are far below the sampling error this test allows.
      const problem = await createSinkhornProblem({
        x,
        y,
        cost: 'sqeuclidean',
        backend: createWasmBackend(),
      });
      try {
        const solution = await problem.solve({
          epsilon: absoluteEpsilon(engineEpsilon),
          threshold: 1e-4,
        });
        expect(solution.converged).toBe(true);

        const klForm = solution.regularizedCost + engineEpsilon * 2 * Math.log(n);
        const valueError = Math.sqrt(variance(solution.f) / n + variance(solution.g) / n);
        expect(Math.abs(klForm - closed.halfSquaredEuclidean.cost)).toBeLessThan(4 * valueError);

        const c = closed.crossCovariance;
        const spread = population.covariance1.map(
          (value, index) =>
            value +
            (population.covariance2[index] as number) -
            (c[index] as number) -
            (c[(index % d) * d + Math.floor(index / d)] as number),
        );
        const gap = population.mean1.map((value, k) => value - (population.mean2[k] as number));
        let traceSquare = 0;
        let quadratic = 0;
        for (let i = 0; i < d; i += 1) {
          for (let j = 0; j < d; j += 1) {
            traceSquare += (spread[i * d + j] as number) * (spread[j * d + i] as number);
            quadratic += (gap[i] as number) * (spread[i * d + j] as number) * (gap[j] as number);
          }
        }
        const transportError = Math.sqrt((2 * traceSquare + 4 * quadratic) / 4 / n);
        expect(
          Math.abs(solution.transportCostSqEuclidean - closed.halfSquaredEuclidean.transportCost),
        ).toBeLessThan(4 * transportError);

        // Cov_P(x, y) = sum_i a_i (x_i - xbar)(T(x_i) - Tbar)^T with the barycentric projection T.
        const projected = await problem.barycentricProjection({ potentials: solution });
        const xMean = new Float64Array(d);
        const tMean = new Float64Array(d);
        for (let i = 0; i < n; i += 1) {
          for (let k = 0; k < d; k += 1) {
            xMean[k] = (xMean[k] as number) + (x.data[i * d + k] as number) / n;
            tMean[k] = (tMean[k] as number) + (projected[i * d + k] as number) / n;
          }
        }
        for (let r = 0; r < d; r += 1) {
          for (let s = 0; s < d; s += 1) {
            let sum = 0;
            for (let i = 0; i < n; i += 1) {
              sum +=
                ((x.data[i * d + r] as number) - (xMean[r] as number)) *
                ((projected[i * d + s] as number) - (tMean[s] as number));
            }
            const expected = c[r * d + s] as number;
            const error = Math.sqrt(
              ((population.covariance1[r * d + r] as number) *
                (population.covariance2[s * d + s] as number) +
                expected ** 2) /
                n,
            );
            expect(Math.abs(sum / n - expected)).toBeLessThan(4 * error);
          }
        }
      } finally {
        await problem.dispose();
      }
    });
  }
});
