import { createPointCloud, createRandomGenerator } from '@sinkflow/core';
import { describe, expect, it } from 'vitest';
import { samplePartners, solveSemidiscrete } from '../src/index.js';

describe('hard semidiscrete OT in two dimensions: Laguerre cell masses match b', () => {
  for (const cost of ['dot', 'sqeuclidean'] as const) {
    it(`${cost}: 30 points with non-uniform weights, masses on 10^5 fresh draws`, async () => {
      const n = 30;
      const random = createRandomGenerator({ seed: 11 });
      const points = Float64Array.from({ length: 2 * n }, () => 1.2 * random.normal());
      const raw = Array.from({ length: n }, () => 0.3 + 1.7 * random.uniform());
      const total = raw.reduce((sum, value) => sum + value, 0);
      const weights = Float64Array.from(raw, (value) => value / total);
      const y = createPointCloud(points, { d: 2, weights });
      const threshold = 5e-5;
      const evaluationSize = 2 ** 19;
      const solution = await solveSemidiscrete({
        y,
        cost,
        threshold,
        evaluationSize,
        evaluateEvery: 500,
        maxSteps: 20_000,
        seed: 3,
      });
      expect(solution.converged).toBe(true);
      // Fresh standard normal draws from an unrelated seed, assigned to their Laguerre cells.
      const draws = 100_000;
      const noise = createRandomGenerator({ seed: 987_654 }).fillNormal(
        new Float32Array(2 * draws),
      );
      const { indices } = samplePartners({
        x: createPointCloud(noise, { d: 2 }),
        y,
        g: solution.g,
        cost,
      });
      const counts = new Float64Array(n);
      for (const j of indices) counts[j] = (counts[j] as number) + 1;
      // z_j = (p_hat_j - b_j) / sqrt(b_j (1 - b_j) / M) is N(delta_j, 1) with
      // sum_j delta_j^2 / (1 - b_j) = M chi2(p, b) = lambda, the fit's own marginal error. The stopping
      // rule saw chi2_hat <= threshold on fresh draws, with the standard error it reports: the true
      // chi2 is below threshold + 4 standard errors (about 1.5e-4, so lambda is about 16).
      const chi2Bound = threshold + 4 * solution.marginalErrorStandardError;
      const lambda = (draws * chi2Bound) / (1 - Math.max(...weights));
      let maxZ = 0;
      let pearson = 0;
      for (let j = 0; j < n; j += 1) {
        const b = weights[j] as number;
        const p = (counts[j] as number) / draws;
        const z = (p - b) / Math.sqrt((b * (1 - b)) / draws);
        maxZ = Math.max(maxZ, Math.abs(z));
        pearson += (draws * (p - b) ** 2) / b;
      }
      // Pearson's statistic is (about) noncentral chi-square with N - 1 dof and noncentrality
      // <= lambda: below dof + lambda + 3.1 sqrt(2 (dof + 2 lambda)) (its 99.9% point, normal
      // approximation).
      const dof = n - 1;
      expect(pearson).toBeLessThan(dof + lambda + 3.1 * Math.sqrt(2 * (dof + 2 * lambda)));
      // Cell by cell, within a few standard errors: |z| < 4 for all 30 cells fails with probability
      // about 30 * 6e-5 = 2e-3 for exact masses; the fit adds |delta_j|, about sqrt(lambda / N) < 0.8
      // on average: allow 4.5.
      expect(maxZ).toBeLessThan(4.5);
      console.log(
        `${cost}: steps ${solution.steps}, chi2 estimate ${solution.marginalError.toExponential(2)}, ` +
          `fresh masses: max |z| ${maxZ.toFixed(2)}, Pearson ${pearson.toFixed(1)} (29 dof), ` +
          `chi2 of the masses ${(pearson / draws).toExponential(2)}`,
      );
    }, 60_000);
  }
});
