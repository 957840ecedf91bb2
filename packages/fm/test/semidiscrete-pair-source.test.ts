import { relativeEpsilon } from '@sinkflow/entropy';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createSemidiscretePairSource,
  type PairSource,
  standardNormalSampler,
} from '../src/index.js';

// Semidiscrete pairs [mousavi2025semidiscrete]: in one dimension the hard semidiscrete coupling
// between N(0, 1) and N equal-weight points y_(1) < ... < y_(N) is the quantile map: x goes to
// the point of rank floor(Phi(x) N). The points are the quantiles of N(2, 0.5^2).
const N = 100;
const quantile = (p: number): number => {
  // Inverse of Phi by bisection on the erf-based CDF below (test-only accuracy ~1e-7).
  let low = -10;
  let high = 10;
  for (let k = 0; k < 80; k += 1) {
    const middle = (low + high) / 2;
    if (phi(middle) < p) low = middle;
    else high = middle;
  }
  return (low + high) / 2;
};
/** Phi(x) = (1 + erf(x / sqrt 2)) / 2, erf by Abramowitz & Stegun 7.1.26 (|error| < 1.5e-7). */
function phi(x: number): number {
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * z);
  const poly =
    t *
    (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erf = 1 - poly * Math.exp(-z * z);
  return x >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}
const points = Float32Array.from({ length: N }, (_, j) => 2 + 0.5 * quantile((j + 0.5) / N));
const data = { data: points, n: N, d: 1 };
const opened: PairSource[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((pairs) => pairs.dispose()));
});
const fit = { threshold: 2e-2, maxSteps: 4000, batchSize: 256 };

describe('createSemidiscretePairSource', { timeout: 60_000 }, () => {
  it('pairs fresh noise with its quantile partner (hard, 1-D), and partners are used evenly', async () => {
    const pairs = createSemidiscretePairSource({
      source: standardNormalSampler({ d: 1 }),
      data,
      fit,
      seed: 3,
    });
    opened.push(pairs);
    await pairs.start();
    const statistics = pairs.statistics();
    expect(statistics.kind).toBe('semidiscrete');
    expect(statistics.otSeconds).toBeGreaterThan(0);
    let close = 0;
    const counts = new Int32Array(N);
    const total = 4096;
    const seen = new Set<number>();
    for (let batch = 0; batch < 4; batch += 1) {
      const { x0, x1, count } = await pairs.next({ count: total / 4 });
      for (let k = 0; k < count; k += 1) {
        const rank = points.indexOf(x1[k] as number);
        counts[rank] = (counts[rank] as number) + 1;
        seen.add(x0[k] as number);
        if (Math.abs(rank - Math.floor(phi(x0[k] as number) * N)) <= 1) close += 1;
      }
    }
    // Fresh noise every time: no source point repeats.
    expect(seen.size).toBe(total);
    expect(close / total).toBeGreaterThan(0.95);
    // Each point's share within a few Monte-Carlo standard errors of its cell mass p_j, and p_j
    // within what the fit's threshold allows: sum_j (p_j - b_j)^2 / b_j <= t gives
    // |p_j - b_j| <= sqrt(t b_j), sqrt(t / N) total in counts.
    const expected = total / N;
    const worst = Math.max(...Array.from(counts, (c) => Math.abs(c - expected)));
    expect(worst).toBeLessThan(6 * Math.sqrt(expected) + total * Math.sqrt(fit.threshold / N));
  });

  it('resumes from a checkpoint with the same pairs and without fitting again', async () => {
    const options = { source: standardNormalSampler({ d: 1 }), data, fit, seed: 5 };
    const first = createSemidiscretePairSource(options);
    opened.push(first);
    await first.start();
    await first.next({ count: 300 });
    const state = first.getState();
    expect(state.arrays.g?.length).toBe(N);
    const expected = await first.next({ count: 500 });
    const resumed = createSemidiscretePairSource(options);
    opened.push(resumed);
    await resumed.start({ state });
    const again = await resumed.next({ count: 500 });
    expect(Array.from(again.x0)).toEqual(Array.from(expected.x0));
    expect(Array.from(again.x1)).toEqual(Array.from(expected.x1));
    expect(resumed.statistics().otSeconds).toBe(first.statistics().otSeconds);
    // The fit's report survives the checkpoint.
    const fitted = first.statistics().semidiscreteFit;
    expect(fitted).toMatchObject({ origin: 'fit', n: N, epsilon: 0, pcaComponents: null });
    expect(fitted?.steps).toBeGreaterThan(0);
    expect(fitted?.threshold).toBe(fit.threshold);
    expect(fitted?.marginalError).toBeGreaterThanOrEqual(0);
    expect(fitted?.marginalErrorStandardError).toBeGreaterThan(0);
    expect(resumed.statistics().semidiscreteFit).toEqual({ ...fitted, origin: 'checkpoint' });
  });

  it('takes a dual fitted before: no fit, the same pairs as the source that fitted it', async () => {
    const options = { source: standardNormalSampler({ d: 1 }), data, fit, seed: 9 };
    const fitting = createSemidiscretePairSource(options);
    opened.push(fitting);
    await fitting.start();
    const expected = await fitting.next({ count: 400 });
    const { g } = fitting.getState().arrays;
    const given = createSemidiscretePairSource({
      ...options,
      fit: { maxSteps: 1 },
      dual: { g: g as Float64Array, epsilon: 0, fit: { steps: 77, marginalError: 0.01 } },
    });
    opened.push(given);
    await given.start();
    const again = await given.next({ count: 400 });
    expect(Array.from(again.x1)).toEqual(Array.from(expected.x1));
    expect(given.statistics().semidiscreteFit).toMatchObject({
      origin: 'given',
      steps: 77,
      marginalError: 0.01,
      threshold: null,
      // Neither said nor known to be below a threshold: not claimed converged.
      converged: false,
    });
    // The dual carries its epsilon and its components: an option that disagrees is refused.
    expect(() =>
      createSemidiscretePairSource({
        ...options,
        epsilon: relativeEpsilon(0.1),
        dual: { g: g as Float64Array, epsilon: 0 },
      }),
    ).toThrow(expect.objectContaining({ argumentName: 'epsilon' }));
    expect(() =>
      createSemidiscretePairSource({
        ...options,
        dual: { g: g as Float64Array, epsilon: 0, fit: { pcaComponents: 1 } },
      }),
    ).toThrow(expect.objectContaining({ argumentName: 'dual.fit.pcaComponents' }));
  });

  it('refuses to resume a checkpoint whose dual was fitted on other components', async () => {
    const lifted = new Float32Array(N * 2);
    for (let j = 0; j < N; j += 1) {
      lifted[2 * j] = points[j] as number;
      lifted[2 * j + 1] = 0.01 * (j % 2 === 0 ? 1 : -1);
    }
    const options = {
      source: standardNormalSampler({ d: 2 }),
      data: { data: lifted, n: N, d: 2 },
      fit: { maxSteps: 20 },
      seed: 2,
    };
    const projected = createSemidiscretePairSource({ ...options, pcaComponents: 1 });
    opened.push(projected);
    await projected.start();
    await projected.next({ count: 10 });
    const state = projected.getState();
    const full = createSemidiscretePairSource(options);
    opened.push(full);
    await expect(full.start({ state })).rejects.toMatchObject({
      argumentName: 'state.extra.pcaComponents',
    });
  });

  it('scores on principal components: points along a line pair with the quantile map of the projection', async () => {
    // y_j = c_j u + 0.01 v_j w in d = 3 with u, w orthonormal, c_j the quantiles above and the
    // signs v_j symmetric (v_j = v_(N-1-j), mean 0), so cov(c, v) = 0 and the covariance is
    // diagonal in (u, w): the first component is u, keeping var(c) / (var(c) + 1e-4) of the
    // variance, and the hard coupling of x ~ N(0, I_3) on it is the quantile map of <u, x>.
    const u = [0.6, 0.8, 0];
    const w = [0, 0, 1];
    const sign = (j: number) => (j < N / 2 ? (-1) ** j : (-1) ** (N - 1 - j));
    const lifted = new Float32Array(N * 3);
    for (let j = 0; j < N; j += 1) {
      for (let c = 0; c < 3; c += 1)
        lifted[j * 3 + c] =
          (points[j] as number) * (u[c] as number) + 0.01 * sign(j) * (w[c] as number);
    }
    const pairs = createSemidiscretePairSource({
      source: standardNormalSampler({ d: 3 }),
      data: { data: lifted, n: N, d: 3 },
      pcaComponents: 1,
      fit,
      seed: 4,
    });
    opened.push(pairs);
    await pairs.start();
    const mean = Array.from(points).reduce((sum, value) => sum + value, 0) / N;
    const variance = Array.from(points).reduce((sum, value) => sum + (value - mean) ** 2, 0) / N;
    const report = pairs.statistics().semidiscreteFit;
    expect(report?.pcaComponents).toBe(1);
    expect(report?.explainedVarianceRatio).toBeCloseTo(variance / (variance + 1e-4), 6);
    const { x0, x1, count } = await pairs.next({ count: 2000 });
    let close = 0;
    for (let k = 0; k < count; k += 1) {
      const projected = (u as number[]).reduce(
        (sum, value, c) => sum + value * (x0[k * 3 + c] as number),
        0,
      );
      const partner = Array.from(points).findIndex(
        (value) => Math.abs(value * 0.6 - (x1[k * 3] as number)) < 1e-5,
      );
      if (Math.abs(partner - Math.floor(phi(projected) * N)) <= 1) close += 1;
      // The pairs keep the full points.
      expect(Math.abs(x1[k * 3 + 2] as number)).toBeCloseTo(0.01, 6);
    }
    expect(close / count).toBeGreaterThan(0.95);
  });

  it('names the argument of a bad option', () => {
    expect(() =>
      createSemidiscretePairSource({ source: standardNormalSampler({ d: 2 }), data }),
    ).toThrow(expect.objectContaining({ argumentName: 'data' }));
    expect(() =>
      createSemidiscretePairSource({
        source: standardNormalSampler({ d: 1 }),
        data,
        samplesPerChunk: 0,
      }),
    ).toThrow(expect.objectContaining({ argumentName: 'samplesPerChunk' }));
    expect(() =>
      createSemidiscretePairSource({
        source: standardNormalSampler({ d: 1 }),
        data,
        pcaComponents: 2,
      }),
    ).toThrow(expect.objectContaining({ argumentName: 'pcaComponents' }));
    expect(() =>
      createSemidiscretePairSource({
        source: standardNormalSampler({ d: 1 }),
        data,
        dual: { g: new Float64Array(N - 1), epsilon: 0 },
      }),
    ).toThrow(expect.objectContaining({ argumentName: 'dual.g' }));
    expect(() =>
      createSemidiscretePairSource({
        source: standardNormalSampler({ d: 1 }),
        data,
        dual: { g: new Float64Array(N), epsilon: Number.NaN },
      }),
    ).toThrow(expect.objectContaining({ argumentName: 'dual.epsilon' }));
  });
});
