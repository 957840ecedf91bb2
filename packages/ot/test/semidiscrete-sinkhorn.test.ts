import { createPointCloud, createRandomGenerator } from '@sinkflow/core';
import { absoluteEpsilon } from '@sinkflow/entropy';
import { EigenvalueDecomposition, inverse, Matrix } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import { createSinkhornProblem, samplePartners, solveSemidiscrete } from '../src/index.js';

/** Soft assignments pi_j(x) = b_j exp((g_j + <x, y_j>) / eps) / sum (dot cost), float64. */
function softAssignments(
  x: Float32Array,
  count: number,
  y: Float64Array,
  weights: Float64Array,
  g: Float64Array,
  epsilon: number,
): Float64Array {
  const n = weights.length;
  const d = y.length / n;
  const out = new Float64Array(count * n);
  const scores = new Float64Array(n);
  for (let i = 0; i < count; i += 1) {
    let top = Number.NEGATIVE_INFINITY;
    for (let j = 0; j < n; j += 1) {
      let dot = 0;
      for (let k = 0; k < d; k += 1) dot += (x[i * d + k] as number) * (y[j * d + k] as number);
      const score = Math.log(weights[j] as number) + ((g[j] as number) + dot) / epsilon;
      scores[j] = score;
      top = Math.max(top, score);
    }
    let sum = 0;
    for (let j = 0; j < n; j += 1) sum += Math.exp((scores[j] as number) - top);
    for (let j = 0; j < n; j += 1) out[i * n + j] = Math.exp((scores[j] as number) - top) / sum;
  }
  return out;
}

function centred(values: ArrayLike<number>): number[] {
  const list = Array.from(values);
  const mean = list.reduce((sum, value) => sum + value, 0) / list.length;
  return list.map((value) => value - mean);
}

describe('entropic semidiscrete OT against discrete Sinkhorn on many source samples', () => {
  it('8 weighted points in d = 2, eps = 0.5: g matches Sinkhorn on 20 000 noise points', async () => {
    const n = 8;
    const d = 2;
    const epsilon = 0.5;
    const random = createRandomGenerator({ seed: 21 });
    const points = Float64Array.from({ length: n * d }, () => random.normal());
    const raw = Array.from({ length: n }, () => 0.5 + random.uniform());
    const total = raw.reduce((sum, value) => sum + value, 0);
    const weights = Float64Array.from(raw, (value) => value / total);
    const y = createPointCloud(points, { d, weights });

    const threshold = 2e-6;
    const evaluationSize = 2 ** 20;
    const solution = await solveSemidiscrete({
      y,
      cost: 'dot',
      epsilon: absoluteEpsilon(epsilon),
      threshold,
      evaluationSize,
      maxSteps: 20_000,
      seed: 5,
    });
    expect(solution.converged).toBe(true);
    expect(solution.epsilon).toBe(epsilon);

    // The reference: log-domain Sinkhorn (float64 js backend) between S noise samples with
    // uniform weights and the points, at the same absolute epsilon. Its column potential absorbs
    // the weights: g_sinkhorn = g + eps log b + constant.
    const samples = 20_000;
    const sourceSamples = createRandomGenerator({ seed: 4242 }).fillNormal(
      new Float32Array(samples * d),
    );
    const problem = await createSinkhornProblem({
      x: createPointCloud(sourceSamples, { d }),
      y,
      cost: 'dot',
      backend: 'js',
    });
    const sinkhorn = await problem.solve({
      epsilon: absoluteEpsilon(epsilon),
      threshold: 1e-8,
      maxIterations: 20_000,
    });
    await problem.dispose();
    expect(sinkhorn.converged).toBe(true);
    const reference = centred(
      Array.from(sinkhorn.g, (value, j) => value - epsilon * Math.log(weights[j] as number)),
    );
    const fitted = centred(solution.g);

    // Tolerance by the delta method. At the optimum the marginal map p(g) = E_x[pi(x; g)] has the
    // symmetric Jacobian H = (diag(b) - E[pi pi^T]) / eps, with null space the constants. The
    // Sinkhorn potential solves the same equation with the empirical mean over S samples, so
    // g_S - g ~ -H^+ (p_S - b), with covariance H^+ Cov(pi) H^+ / S. The semidiscrete fit leaves
    // |p - b|_2 <= sqrt(max b * chi2), chi2 <= threshold plus 4 standard errors of its estimate.
    const moments = 200_000;
    const fresh = createRandomGenerator({ seed: 77 }).fillNormal(new Float32Array(moments * d));
    const pi = softAssignments(fresh, moments, points, weights, solution.g, epsilon);
    const mean = new Float64Array(n);
    const second = Matrix.zeros(n, n);
    for (let i = 0; i < moments; i += 1) {
      for (let j = 0; j < n; j += 1) {
        const pij = pi[i * n + j] as number;
        mean[j] = (mean[j] as number) + pij / moments;
        for (let k = 0; k < n; k += 1) {
          second.set(j, k, second.get(j, k) + (pij * (pi[i * n + k] as number)) / moments);
        }
      }
    }
    const hessian = Matrix.zeros(n, n);
    const covariance = Matrix.zeros(n, n);
    for (let j = 0; j < n; j += 1) {
      for (let k = 0; k < n; k += 1) {
        const diagonal = j === k ? (mean[j] as number) : 0;
        hessian.set(j, k, (diagonal - second.get(j, k)) / epsilon + 1 / n);
        covariance.set(j, k, second.get(j, k) - (mean[j] as number) * (mean[k] as number));
      }
    }
    // (H + 11^T / N)^-1 - 11^T / N is the pseudo-inverse of H (1 spans its null space).
    const pseudoInverse = inverse(hessian).sub(Matrix.ones(n, n).div(n));
    const sampleCovariance = pseudoInverse.mmul(covariance).mmul(pseudoInverse).div(samples);
    // |H^+ delta|_inf <= |H^+ delta|_2 <= ||H^+||_2 |delta|_2 <= ||H^+||_2 sqrt(max b * chi2).
    const spectralNorm = Math.max(
      ...new EigenvalueDecomposition(pseudoInverse, { assumeSymmetric: true }).realEigenvalues.map(
        Math.abs,
      ),
    );
    // The stopping rule saw chi2_hat <= threshold with the standard error it reports.
    const chi2Bound = threshold + 4 * solution.marginalErrorStandardError;
    const fitError = spectralNorm * Math.sqrt(Math.max(...weights) * chi2Bound);
    let maxDifference = 0;
    let maxZ = 0;
    for (let j = 0; j < n; j += 1) {
      const difference = Math.abs((fitted[j] as number) - (reference[j] as number));
      const standardDeviation = Math.sqrt(sampleCovariance.get(j, j));
      expect(difference).toBeLessThan(4 * standardDeviation + fitError);
      maxDifference = Math.max(maxDifference, difference);
      maxZ = Math.max(maxZ, difference / standardDeviation);
    }
    // The entropic map of samplePartners is E[y | x] = sum_j pi_j(x) y_j of the fit.
    const { map } = samplePartners({
      x: createPointCloud(fresh.subarray(0, 2 * d), { d }),
      y,
      g: solution.g,
      epsilon,
    });
    for (let k = 0; k < d; k += 1) {
      let expected = 0;
      for (let j = 0; j < n; j += 1) expected += (pi[j] as number) * (points[j * d + k] as number);
      expect(Math.abs((map[k] as number) - expected)).toBeLessThan(1e-9);
    }
    console.log(
      `entropic: steps ${solution.steps}, chi2 estimate ${solution.marginalError.toExponential(2)}, ` +
        `max |g - g_sinkhorn| ${maxDifference.toExponential(2)} (max z ${maxZ.toFixed(2)}, ` +
        `sampling sd ${Math.sqrt(Math.max(...Array.from({ length: n }, (_, j) => sampleCovariance.get(j, j)))).toExponential(2)}, ` +
        `fit allowance ${fitError.toExponential(2)}, standard error ${solution.marginalErrorStandardError.toExponential(2)}), Sinkhorn ${sinkhorn.iterations} iterations`,
    );
  }, 60_000);
});
