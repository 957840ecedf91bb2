import { createPointCloud, createRandomGenerator, InvalidArgumentError } from '@sinkflow/core';
import { describe, expect, it } from 'vitest';
import {
  entropicGaussianCoupling,
  fitGaussian,
  gaussianMongeMap,
  gaussianW2,
  symmetricEigen,
} from '../src/index.js';
import { loadFixture } from './load-fixture.js';

interface GaussianCase {
  readonly name: string;
  readonly d: number;
  readonly mean1: number[];
  readonly covariance1: number[];
  readonly mean2: number[];
  readonly covariance2: number[];
}

interface Fixture {
  readonly bures: (GaussianCase & { readonly squaredDistance: number })[];
  readonly monge: (GaussianCase & { readonly matrix: number[]; readonly translation: number[] })[];
  readonly entropic: (GaussianCase & {
    readonly epsilon: number;
    readonly cost: number;
    readonly crossCovariance: number[];
    readonly mutualInformation: number;
    readonly transportCost: number;
    readonly w2Squared: number;
  })[];
}

/** The fixture spells the covariances `cov1`, `cov2` (as numpy does); the API spells them out. */
function spellOut<T extends { readonly cov1: number[]; readonly cov2: number[] }>(
  entry: T,
): Omit<T, 'cov1' | 'cov2'> & { readonly covariance1: number[]; readonly covariance2: number[] } {
  const { cov1, cov2, ...rest } = entry;
  return { ...rest, covariance1: cov1, covariance2: cov2 };
}

const raw =
  loadFixture<{
    readonly [K in keyof Fixture]: (Omit<Fixture[K][number], 'covariance1' | 'covariance2'> & {
      readonly cov1: number[];
      readonly cov2: number[];
    })[];
  }>('toolbox-gaussian.json');
const fixture = {
  bures: raw.bures.map(spellOut),
  monge: raw.monge.map(spellOut),
  entropic: raw.entropic.map(spellOut),
} as unknown as Fixture;

function maxAbsoluteDifference(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  let worst = 0;
  for (let k = 0; k < expected.length; k += 1)
    worst = Math.max(worst, Math.abs((actual[k] as number) - (expected[k] as number)));
  return worst;
}

function product(left: ArrayLike<number>, right: ArrayLike<number>, d: number): Float64Array {
  const out = new Float64Array(d * d);
  for (let i = 0; i < d; i += 1) {
    for (let j = 0; j < d; j += 1) {
      let sum = 0;
      for (let k = 0; k < d; k += 1)
        sum += (left[i * d + k] as number) * (right[k * d + j] as number);
      out[i * d + j] = sum;
    }
  }
  return out;
}

describe('gaussianW2 against the closed form in numpy / scipy.linalg.sqrtm (scripts/fixtures/toolbox_fixtures.py)', () => {
  for (const entry of fixture.bures) {
    it(`${entry.name}: W_2^2 to 1e-10 relative`, () => {
      const result = gaussianW2(entry);
      // The singular case loses digits in sqrt of eigenvalues that are 0 up to rounding (~1e-8 absolute).
      const tolerance = entry.name.includes('singular') ? 1e-7 : 1e-10 * entry.squaredDistance;
      expect(Math.abs(result.squaredDistance - entry.squaredDistance)).toBeLessThan(tolerance);
      expect(result.distance).toBe(Math.sqrt(result.squaredDistance));
      expect(Math.abs(result.meanTerm + result.squaredBures - result.squaredDistance)).toBeLessThan(
        1e-12 * result.squaredDistance,
      );
    });
  }

  it('is 0 between a Gaussian and itself, symmetric, and the 1-D formula (m1 - m2)^2 + (s1 - s2)^2', () => {
    const first = fixture.bures[0] as GaussianCase;
    const second = fixture.bures[1] as GaussianCase;
    expect(
      gaussianW2({
        mean1: second.mean1,
        covariance1: second.covariance1,
        mean2: second.mean1,
        covariance2: second.covariance1,
      }).squaredDistance,
    ).toBeLessThan(1e-12);
    const forward = gaussianW2(second);
    const backward = gaussianW2({
      mean1: second.mean2,
      covariance1: second.covariance2,
      mean2: second.mean1,
      covariance2: second.covariance1,
    });
    expect(Math.abs(forward.squaredDistance - backward.squaredDistance)).toBeLessThan(
      1e-12 * forward.squaredDistance,
    );
    expect(first.d).toBe(1);
    expect(
      gaussianW2({ mean1: [0], covariance1: [1], mean2: [1], covariance2: [4] }).squaredDistance,
    ).toBe(2);
  });
});

describe('gaussianMongeMap against POT ot.da.OT_mapping_linear', () => {
  for (const entry of fixture.monge) {
    it(`${entry.name}: the same A and b to 1e-9, and A S1 A = S2`, () => {
      const map = gaussianMongeMap(entry);
      const scale = Math.max(...entry.matrix.map(Math.abs));
      expect(maxAbsoluteDifference(map.matrix, entry.matrix)).toBeLessThan(1e-9 * scale);
      expect(maxAbsoluteDifference(map.translation, entry.translation)).toBeLessThan(
        1e-9 * (1 + Math.max(...entry.translation.map(Math.abs))),
      );
      const pushed = product(product(map.matrix, entry.covariance1, entry.d), map.matrix, entry.d);
      expect(maxAbsoluteDifference(pushed, entry.covariance2)).toBeLessThan(
        1e-9 * Math.max(...entry.covariance2.map(Math.abs)),
      );
      const applied = map.apply(Float64Array.from(entry.mean1));
      expect(maxAbsoluteDifference(applied, entry.mean2)).toBeLessThan(
        1e-9 * (1 + Math.max(...entry.mean2.map(Math.abs))),
      );
    });
  }

  it('moves mass at cost W_2^2: E ||x - T(x)||^2 = ||m1 - T(m1)||^2 + tr((I - A) S1 (I - A))', () => {
    const entry = fixture.monge[1] as Fixture['monge'][number];
    const { d } = entry;
    const map = gaussianMongeMap(entry);
    const identityMinusA = Float64Array.from(
      map.matrix,
      (value, index) => (index % (d + 1) === 0 ? 1 : 0) - value,
    );
    const spread = product(product(identityMinusA, entry.covariance1, d), identityMinusA, d);
    let expected = 0;
    for (let k = 0; k < d; k += 1)
      expected +=
        (spread[k * d + k] as number) +
        ((entry.mean1[k] as number) - (entry.mean2[k] as number)) ** 2;
    expect(Math.abs(expected - gaussianW2(entry).squaredDistance)).toBeLessThan(1e-9 * expected);
  });
});

describe('entropicGaussianCoupling against Janati et al. in numpy', () => {
  for (const entry of fixture.entropic) {
    it(`${entry.name}: cost, cross-covariance, mutual information (Schur complement) and transport cost`, () => {
      const result = entropicGaussianCoupling(entry);
      expect(Math.abs(result.cost - entry.cost)).toBeLessThan(1e-9 * Math.abs(entry.cost));
      expect(maxAbsoluteDifference(result.crossCovariance, entry.crossCovariance)).toBeLessThan(
        1e-9 * Math.max(...entry.covariance1.map(Math.abs)),
      );
      expect(Math.abs(result.mutualInformation - entry.mutualInformation)).toBeLessThan(
        1e-8 * (1 + entry.mutualInformation),
      );
      expect(Math.abs(result.transportCost - entry.transportCost)).toBeLessThan(
        1e-9 * entry.transportCost,
      );
      // OT_eps = E ||x - y||^2 + eps KL: the KL-to-product convention of the closed form.
      expect(
        Math.abs(result.cost - result.transportCost - entry.epsilon * result.mutualInformation),
      ).toBeLessThan(1e-9 * entry.cost);
      // The entropic value lies above W_2^2 (KL >= 0 and E ||x - y||^2 >= W_2^2).
      expect(result.cost).toBeGreaterThan(entry.w2Squared);
      expect(result.sigmaSquared).toBe(entry.epsilon / 2);
      expect(result.halfSquaredEuclidean.epsilon).toBe(entry.epsilon / 2);
      expect(result.halfSquaredEuclidean.cost).toBe(result.cost / 2);
      expect(result.halfSquaredEuclidean.transportCost).toBe(result.transportCost / 2);
    });
  }

  it('tends to W_2^2 and to the Monge coupling S1 A as epsilon -> 0, and to independence as epsilon -> infinity', () => {
    const entry = fixture.entropic[4] as Fixture['entropic'][number];
    const { d } = entry;
    const small = entropicGaussianCoupling({ ...entry, epsilon: 1e-7 });
    expect(Math.abs(small.transportCost - entry.w2Squared)).toBeLessThan(1e-5 * entry.w2Squared);
    expect(Math.abs(small.cost - entry.w2Squared)).toBeLessThan(1e-4 * entry.w2Squared);
    const monge = product(entry.covariance1, gaussianMongeMap(entry).matrix, d);
    expect(maxAbsoluteDifference(small.crossCovariance, monge)).toBeLessThan(1e-5);
    const large = entropicGaussianCoupling({ ...entry, epsilon: 1e7 });
    expect(Math.max(...Array.from(large.crossCovariance, Math.abs))).toBeLessThan(1e-5);
    expect(large.mutualInformation).toBeLessThan(1e-10);
  });

  it('reproduces the documented example', () => {
    const result = entropicGaussianCoupling({
      mean1: [0],
      covariance1: [1],
      mean2: [1],
      covariance2: [4],
      epsilon: 2,
    });
    expect(Math.abs((result.crossCovariance[0] as number) - (Math.sqrt(17) - 1) / 2)).toBeLessThan(
      1e-15,
    );
    expect(Math.abs(result.cost - 3.817508016489548)).toBeLessThan(1e-14);
  });
});

describe('fitGaussian', () => {
  it('gives the weighted mean and the 1/n covariance', () => {
    const fit = fitGaussian({
      x: createPointCloud(new Float64Array([0, 0, 2, 0, 1, 3]), { d: 2 }),
    });
    expect(Array.from(fit.mean)).toEqual([1, 1]);
    expect(maxAbsoluteDifference(fit.covariance, [2 / 3, 0, 0, 2])).toBeLessThan(1e-15);
    const weighted = fitGaussian({
      x: createPointCloud(new Float64Array([0, 4]), { d: 1, weights: [3, 1] }),
    });
    expect(Array.from(weighted.mean)).toEqual([1]);
    expect(Array.from(weighted.covariance)).toEqual([0.75 * 1 + 0.25 * 9]);
  });

  it('keeps digits far from the origin (two passes)', () => {
    const random = createRandomGenerator({ seed: 4 });
    const data = Float64Array.from({ length: 2000 }, () => 1e6 + random.normal());
    const fit = fitGaussian({ x: createPointCloud(data, { d: 2 }) });
    const shifted = fitGaussian({
      x: createPointCloud(
        data.map((value) => value - 1e6),
        { d: 2 },
      ),
    });
    expect(maxAbsoluteDifference(fit.covariance, shifted.covariance)).toBeLessThan(1e-9);
  });
});

describe('argument checks', () => {
  it('names the bad argument', () => {
    const names: string[] = [];
    const attempts: (() => unknown)[] = [
      () => gaussianW2({ mean1: [0, 0], covariance1: [1, 0, 0, 1], mean2: [0], covariance2: [1] }),
      () =>
        gaussianW2({
          mean1: [0, 0],
          covariance1: [1, 0, 0],
          mean2: [0, 0],
          covariance2: [1, 0, 0, 1],
        }),
      () =>
        gaussianW2({
          mean1: [0, 0],
          covariance1: [1, 0.5, 0, 1],
          mean2: [0, 0],
          covariance2: [1, 0, 0, 1],
        }),
      () =>
        gaussianW2({
          mean1: [0, 0],
          covariance1: [1, 0, 0, 1],
          mean2: [0, 0],
          covariance2: [1, 2, 2, 1],
        }),
      () =>
        gaussianMongeMap({
          mean1: [0, 0],
          covariance1: [1, 1, 1, 1],
          mean2: [0, 0],
          covariance2: [1, 0, 0, 1],
        }),
      () =>
        entropicGaussianCoupling({
          mean1: [0],
          covariance1: [1],
          mean2: [0],
          covariance2: [1],
          epsilon: 0,
        }),
      () => gaussianW2({ mean1: [Number.NaN], covariance1: [1], mean2: [0], covariance2: [1] }),
    ];
    for (const attempt of attempts) {
      try {
        attempt();
      } catch (error) {
        if (InvalidArgumentError.isInstance(error)) names.push(error.argumentName);
      }
    }
    expect(names).toEqual([
      'mean2',
      'covariance1',
      'covariance1[1]',
      'covariance2',
      'covariance1',
      'epsilon',
      'mean1[0]',
    ]);
  });
});

describe('symmetricEigen', () => {
  it('gives ascending eigenvalues and orthonormal eigenvectors of the symmetric part', () => {
    const { d, values, vectors } = symmetricEigen([2, 1, 1, 2], 2);
    expect(d).toBe(2);
    expect(maxAbsoluteDifference(values, [1, 3])).toBeLessThan(1e-15);
    const gram = vectors.transpose().mmul(vectors).to1DArray();
    expect(maxAbsoluteDifference(gram, [1, 0, 0, 1])).toBeLessThan(1e-15);
    expect(maxAbsoluteDifference(symmetricEigen([2, 0, 2, 2], 2).values, [1, 3])).toBeLessThan(
      1e-15,
    );
  });
});
