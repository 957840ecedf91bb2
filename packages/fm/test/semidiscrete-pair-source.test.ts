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

describe('createSemidiscretePairSource', () => {
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
  });
});
