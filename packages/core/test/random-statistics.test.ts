import { describe, expect, it } from 'vitest';
import { normalCdf } from '../../../tools/vitest/normal-cdf.js';
import { fillCounterGumbelRow, fillCounterUniformRow } from '../src/random/counter-random.js';
import { createRandomGenerator } from '../src/random/random-generator.js';

// Statistical checks at fixed seeds. Moment tolerances are 5 standard errors of the estimator
// (a two-sided 5.7e-7 tail for a correct generator); the Kolmogorov-Smirnov bound 1.95 / sqrt(N)
// is the asymptotic 0.1% critical value (scipy kstwo.ppf(0.999, 1e6) * 1e3 = 1.9493); chi-square
// bounds are scipy chi2.ppf(0.999, df).

const N = 1_000_000;
const EULER_MASCHERONI = 0.5772156649015329;
const GUMBEL_VARIANCE = (Math.PI * Math.PI) / 6;

function meanAndVariance(values: Float64Array): { mean: number; variance: number } {
  let sum = 0;
  for (const value of values) sum += value;
  const mean = sum / values.length;
  let squares = 0;
  for (const value of values) squares += (value - mean) ** 2;
  return { mean, variance: squares / (values.length - 1) };
}

/** sup |F_N - F| over the sample (sorted in place). */
function kolmogorovSmirnov(values: Float64Array, cdf: (x: number) => number): number {
  values.sort();
  let statistic = 0;
  for (let index = 0; index < values.length; index++) {
    const expected = cdf(values[index]!);
    statistic = Math.max(
      statistic,
      (index + 1) / values.length - expected,
      expected - index / values.length,
    );
  }
  return statistic;
}

const gumbelCdf = (x: number): number => Math.exp(-Math.exp(-x));
const uniformCdf = (x: number): number => x;

function chiSquare(counts: ArrayLike<number>, expected: number): number {
  let statistic = 0;
  for (let index = 0; index < counts.length; index++)
    statistic += (counts[index]! - expected) ** 2 / expected;
  return statistic;
}

/** Checks mean, variance and KS of a sample against a distribution with kurtosis `kurtosis`. */
function expectDistribution(
  values: Float64Array,
  {
    mean,
    variance,
    kurtosis,
    cdf,
  }: { mean: number; variance: number; kurtosis: number; cdf: (x: number) => number },
): void {
  const moments = meanAndVariance(values);
  // SE(mean) = sqrt(var / N); SE(sample variance) = sqrt((mu4 - var^2) / N) = var sqrt((kurtosis - 1) / N).
  expect(Math.abs(moments.mean - mean)).toBeLessThan(5 * Math.sqrt(variance / values.length));
  expect(Math.abs(moments.variance - variance)).toBeLessThan(
    5 * variance * Math.sqrt((kurtosis - 1) / values.length),
  );
  expect(kolmogorovSmirnov(values, cdf)).toBeLessThan(1.95 / Math.sqrt(values.length));
}

describe('test helpers', () => {
  it('the normal CDF is accurate to 1e-6 at known quantiles', () => {
    expect(Math.abs(normalCdf(1.959963984540054) - 0.975)).toBeLessThan(1e-6);
    expect(Math.abs(normalCdf(-3) - 0.0013498980316301)).toBeLessThan(1e-6);
    expect(Math.abs(normalCdf(0) - 0.5)).toBeLessThan(1e-6);
  });

  it('the KS check rejects a wrong distribution', () => {
    const rng = createRandomGenerator({ seed: 1 });
    const shifted = rng.fillNormal(new Float64Array(100_000)).map((value) => value + 0.02);
    expect(kolmogorovSmirnov(shifted, normalCdf)).toBeGreaterThan(1.95 / Math.sqrt(100_000));
  });
});

describe('sequential generator statistics (seed 20240501, 10^6 draws each)', () => {
  const rng = createRandomGenerator({ seed: 20240501 });

  it('uniform: mean 1/2, variance 1/12, KS against F(x) = x', () => {
    const values = rng.fillUniform(new Float64Array(N));
    expect(values.every((value) => value > 0 && value < 1)).toBe(true);
    expectDistribution(values, { mean: 0.5, variance: 1 / 12, kurtosis: 1.8, cdf: uniformCdf });
  });

  it('normal: mean 0, variance 1, KS against Phi', () => {
    const values = rng.fillNormal(new Float64Array(N));
    expect(values.every(Number.isFinite)).toBe(true);
    expectDistribution(values, { mean: 0, variance: 1, kurtosis: 3, cdf: normalCdf });
  });

  it('normal: the two Box-Muller outputs of a pair are uncorrelated', () => {
    const values = rng.fillNormal(new Float64Array(N));
    let product = 0;
    for (let index = 0; index < N; index += 2) product += values[index]! * values[index + 1]!;
    // E[z1 z2] = 0 with Var = 1 per pair: SE = 1 / sqrt(N / 2).
    expect(Math.abs(product / (N / 2))).toBeLessThan(5 / Math.sqrt(N / 2));
  });

  it('gumbel: mean = Euler-Mascheroni, variance = pi^2 / 6, KS against exp(-exp(-x))', () => {
    const values = rng.fillGumbel(new Float64Array(N));
    expect(values.every(Number.isFinite)).toBe(true);
    expectDistribution(values, {
      mean: EULER_MASCHERONI,
      variance: GUMBEL_VARIANCE,
      kurtosis: 5.4,
      cdf: gumbelCdf,
    });
  });
});

describe('counter generator statistics (10^6 entries of a 1000 x 1000 coupling)', () => {
  const rows = 1000;
  const columns = N / rows;
  const fill = (kind: 'uniform' | 'gumbel', draw: number): Float64Array => {
    const values = new Float64Array(N);
    for (let row = 0; row < rows; row++) {
      const options = { seed: 314159, row, columnStart: 5 * row, draw };
      const block = values.subarray(row * columns, (row + 1) * columns);
      if (kind === 'uniform') fillCounterUniformRow(block, options);
      else fillCounterGumbelRow(block, options);
    }
    return values;
  };

  it('uniform: mean, variance and KS', () => {
    expectDistribution(fill('uniform', 0), {
      mean: 0.5,
      variance: 1 / 12,
      kurtosis: 1.8,
      cdf: uniformCdf,
    });
  });

  it('gumbel: mean = Euler-Mascheroni, variance = pi^2 / 6, KS', () => {
    expectDistribution(fill('gumbel', 1), {
      mean: EULER_MASCHERONI,
      variance: GUMBEL_VARIANCE,
      kurtosis: 5.4,
      cdf: gumbelCdf,
    });
  });

  it('neighbouring columns (one Philox block) and consecutive draws are uncorrelated', () => {
    const first = fill('uniform', 2);
    const second = fill('uniform', 3);
    let pairProduct = 0;
    let drawProduct = 0;
    for (let index = 0; index < N; index += 2)
      pairProduct += (first[index]! - 0.5) * (first[index + 1]! - 0.5);
    for (let index = 0; index < N; index++)
      drawProduct += (first[index]! - 0.5) * (second[index]! - 0.5);
    // Correlation estimates: SE = 1 / sqrt(count) for independent uniforms (Var of the product = 1/144).
    expect(Math.abs((pairProduct / (N / 2)) * 12)).toBeLessThan(5 / Math.sqrt(N / 2));
    expect(Math.abs((drawProduct / N) * 12)).toBeLessThan(5 / Math.sqrt(N));
  });
});

describe('integer', () => {
  const rng = createRandomGenerator({ seed: 99 });

  it('is uniform on a small range (chi-square, 9 degrees of freedom)', () => {
    const counts = new Float64Array(10);
    for (let index = 0; index < 100_000; index++) counts[rng.integer(10)]! += 1;
    expect(chiSquare(counts, 10_000)).toBeLessThan(27.877);
  });

  it.each([
    ['one word', 3 * 2 ** 30],
    ['two words', 3 * 2 ** 51],
  ])('rejects instead of folding when the bound is 3/4 of the range (%s)', (_, bound) => {
    // Without rejection, x mod bound would put half the mass in the first third.
    const counts = new Float64Array(3);
    const third = bound / 3;
    for (let index = 0; index < 30_000; index++) {
      const value = rng.integer(bound);
      expect(Number.isInteger(value) && value >= 0 && value < bound).toBe(true);
      counts[Math.floor(value / third)]! += 1;
    }
    expect(chiSquare(counts, 10_000)).toBeLessThan(13.816);
  });

  it('stays in range at the boundaries of the one- and two-word paths', () => {
    for (const bound of [1, 2, 2 ** 32 - 1, 2 ** 32, 2 ** 32 + 1, Number.MAX_SAFE_INTEGER]) {
      for (let index = 0; index < 200; index++) {
        const value = rng.integer(bound);
        expect(Number.isSafeInteger(value) && value >= 0 && value < bound).toBe(true);
      }
    }
    expect(rng.integer(1)).toBe(0);
  });
});

describe('permutation', () => {
  const rng = createRandomGenerator({ seed: 123 });

  it('returns a permutation of 0..n-1 as an Int32Array', () => {
    for (const n of [0, 1, 2, 10, 1000]) {
      const permutation = rng.permutation(n);
      expect(permutation).toBeInstanceOf(Int32Array);
      expect(Array.from(permutation).sort((a, b) => a - b)).toEqual(
        Array.from({ length: n }, (_, i) => i),
      );
    }
  });

  it('draws all 24 permutations of 4 elements equally often (chi-square, 23 degrees of freedom)', () => {
    const counts = new Map<string, number>();
    for (let index = 0; index < 48_000; index++) {
      const key = rng.permutation(4).join('');
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    expect(counts.size).toBe(24);
    expect(chiSquare([...counts.values()], 2000)).toBeLessThan(49.728);
  });
});
