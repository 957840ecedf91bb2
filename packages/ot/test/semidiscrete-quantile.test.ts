import { createPointCloud } from '@sinkflow/core';
import { describe, expect, it } from 'vitest';
import { normalCdf } from '../../../tools/vitest/normal-cdf.js';
import { solveSemidiscrete } from '../src/index.js';
import { loadFixture } from './load-fixture.js';
import { exactChiSquare1d, laguerreBoundaries1d } from './normal-quantile-cells.js';

interface QuantileFixture {
  readonly cases: readonly {
    readonly name: string;
    readonly y: readonly number[];
    readonly quantiles: readonly number[];
    readonly density: readonly number[];
  }[];
  readonly cdf: { readonly x: readonly number[]; readonly p: readonly number[] };
}

const fixture = loadFixture<QuantileFixture>('semidiscrete-quantiles.json');

describe('semidiscrete OT in one dimension reproduces the quantile map', () => {
  it("the test's Phi agrees with scipy.stats.norm.cdf", () => {
    fixture.cdf.x.forEach((x, t) => {
      expect(Math.abs(normalCdf(x) - (fixture.cdf.p[t] as number))).toBeLessThan(2e-7);
    });
  });

  for (const testCase of fixture.cases) {
    it(`${testCase.name}: Laguerre boundaries of the fitted g are Phi^-1(k / N)`, async () => {
      const n = testCase.y.length;
      const y = createPointCloud(Float64Array.from(testCase.y), { d: 1 });
      const threshold = 1e-4;
      const evaluationSize = 2 ** 18;
      const solution = await solveSemidiscrete({
        y,
        cost: 'sqeuclidean',
        threshold,
        evaluationSize,
        maxSteps: 20_000,
        seed: 7,
      });
      expect(solution.converged).toBe(true);
      const boundaries = laguerreBoundaries1d(testCase.y, solution.g);
      for (let k = 1; k < boundaries.length; k += 1) {
        expect(boundaries[k] as number).toBeGreaterThan(boundaries[k - 1] as number);
      }
      // The exact cell masses of the fitted g (closed form, no sampling) and their chi-square.
      const exactChiSquare = exactChiSquare1d(testCase.y, solution.g);
      // The stopping rule saw chi2_hat <= threshold on fresh draws, with the standard error it
      // reports: the true chi2 is below threshold + 4 standard errors.
      const bound = threshold + 4 * solution.marginalErrorStandardError;
      expect(exactChiSquare).toBeLessThan(bound);
      // Then |Phi(boundary_k) - k / N| = |sum_{j<k} (p_j - 1/N)| <= sqrt(k chi2 / N) (Cauchy-Schwarz).
      let maxBoundaryError = 0;
      let maxProbabilityError = 0;
      boundaries.forEach((boundary, index) => {
        const k = index + 1;
        const probabilityError = Math.abs(normalCdf(boundary) - k / n);
        expect(probabilityError).toBeLessThan(Math.sqrt((k * bound) / n));
        maxProbabilityError = Math.max(maxProbabilityError, probabilityError);
        maxBoundaryError = Math.max(
          maxBoundaryError,
          Math.abs(boundary - (testCase.quantiles[index] as number)),
        );
      });
      console.log(
        `${testCase.name}: steps ${solution.steps}, chi2 estimate ${solution.marginalError.toExponential(2)}, ` +
          `exact chi2 ${exactChiSquare.toExponential(2)} (bound ${bound.toExponential(2)}), ` +
          `max |boundary - quantile| ${maxBoundaryError.toExponential(2)}, ` +
          `max |Phi(boundary) - k/N| ${maxProbabilityError.toExponential(2)}`,
      );
    }, 60_000);
  }
});
