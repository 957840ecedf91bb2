import { createPointCloud } from '@sinkflow/core';
import { describe, expect, it } from 'vitest';
import { solveSemidiscrete } from '../src/index.js';
import { loadFixture } from './load-fixture.js';

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

/** Phi(x) = erfc(-x / sqrt 2) / 2, erfc by Numerical Recipes' Chebyshev fit (relative error < 1.2e-7). */
function normalCdf(x: number): number {
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.5 * z);
  const erfc =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t *
                  (0.09678418 +
                    t *
                      (-0.18628806 +
                        t *
                          (0.27886807 +
                            t *
                              (-1.13520398 +
                                t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? 1 - 0.5 * erfc : 0.5 * erfc;
}

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
      // Between y_j and y_{j+1}: 1/2 (x - y_j)^2 - g_j = 1/2 (x - y_{j+1})^2 - g_{j+1} at
      // x = (y_j + y_{j+1}) / 2 + (g_j - g_{j+1}) / (y_{j+1} - y_j).
      const boundaries = testCase.quantiles.map((_, j) => {
        const left = testCase.y[j] as number;
        const right = testCase.y[j + 1] as number;
        const gLeft = solution.g[j] as number;
        const gRight = solution.g[j + 1] as number;
        return (left + right) / 2 + (gLeft - gRight) / (right - left);
      });
      for (let k = 1; k < boundaries.length; k += 1) {
        expect(boundaries[k] as number).toBeGreaterThan(boundaries[k - 1] as number);
      }
      // The exact cell masses of the fitted g (closed form, no sampling) and their chi-square.
      const cumulative = [0, ...boundaries.map(normalCdf), 1];
      let exactChiSquare = 0;
      for (let j = 0; j < n; j += 1) {
        const mass = (cumulative[j + 1] as number) - (cumulative[j] as number);
        exactChiSquare += n * (mass - 1 / n) ** 2;
      }
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
