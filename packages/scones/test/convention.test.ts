import { createRandomGenerator } from '@sinkflow/core';
import { createSinkhornProblem, entropicGaussianCoupling } from '@sinkflow/ot';
import { describe, expect, it } from 'vitest';
import { klRegularizer } from '../src/index.js';
import { benchmark2d } from './helpers.js';

// SCONES' lambda multiplies KL(pi | mu x nu) next to the cost ||x - y||^2 [daniels2021, Sec. 2].
// entropicGaussianCoupling's epsilon is the same parameter (its cost is ||x - y||^2 too), while the
// Sinkhorn engine's 'sqeuclidean' cost is 1/2 ||x - y||^2, so lambda corresponds to engine epsilon
// lambda / 2. Checked here against an independent code path: discrete Sinkhorn on samples.
describe('lambda conventions', () => {
  it("SCONES' lambda = entropicGaussianCoupling's epsilon = 2 x the engine's epsilon", async () => {
    const d = 2;
    const lambda = klRegularizer({ lambda: 2 * d }).lambda;
    const n = 1500;
    const random = createRandomGenerator({ seed: 21 });
    const x = benchmark2d.sampleSource(n, random);
    const y = benchmark2d.sampleTarget(n, random);
    const problem = await createSinkhornProblem({ x, y, cost: 'sqeuclidean' });
    let cross: number[];
    try {
      const solution = await problem.solve({
        epsilon: { kind: 'absolute', value: lambda / 2 },
        threshold: 1e-4,
      });
      expect(solution.converged).toBe(true);
      const count = 40_000;
      const pairs = await problem.samplePairs({ potentials: solution, count, seed: 1 });
      // Cross-covariance Cov(x_i, y_j) of the sampled pairs (means are ~0 but subtracted anyway).
      const mean = [0, 0, 0, 0];
      for (let k = 0; k < count; k += 1)
        for (let j = 0; j < d; j += 1) {
          mean[j] =
            (mean[j] as number) + (x.data[(pairs.rows[k] as number) * d + j] as number) / count;
          mean[d + j] =
            (mean[d + j] as number) +
            (y.data[(pairs.columns[k] as number) * d + j] as number) / count;
        }
      cross = [0, 0, 0, 0];
      for (let k = 0; k < count; k += 1)
        for (let i = 0; i < d; i += 1)
          for (let j = 0; j < d; j += 1)
            cross[i * d + j] =
              (cross[i * d + j] as number) +
              (((x.data[(pairs.rows[k] as number) * d + i] as number) - (mean[i] as number)) *
                ((y.data[(pairs.columns[k] as number) * d + j] as number) -
                  (mean[d + j] as number))) /
                (count - 1);
    } finally {
      await problem.dispose();
    }
    const zeros = new Float64Array(d);
    const closedForm = (epsilon: number) =>
      entropicGaussianCoupling({
        mean1: zeros,
        covariance1: benchmark2d.sourceCovariance,
        mean2: zeros,
        covariance2: benchmark2d.targetCovariance,
        epsilon,
      }).crossCovariance;
    const distance = (a: ArrayLike<number>) =>
      Math.sqrt(cross.reduce((sum, value, k) => sum + (value - (a[k] as number)) ** 2, 0));
    // Sampling error of 1500 points per side and 40 000 pairs: about 0.05 in Frobenius norm.
    expect(distance(closedForm(lambda))).toBeLessThan(0.1);
    expect(distance(closedForm(lambda / 2))).toBeGreaterThan(0.2);
    expect(distance(closedForm(2 * lambda))).toBeGreaterThan(0.2);
  });
});
