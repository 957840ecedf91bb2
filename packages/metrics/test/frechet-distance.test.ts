import { gaussianW2 } from '@sinkflow/ot';
import { describe, expect, it } from 'vitest';
import { frechetDistance, sampleMoments } from '../src/index.js';
import { expectClose, readFixture, rejection } from './helpers.js';

interface FrechetCase {
  readonly name: string;
  readonly d: number;
  readonly mean1: number[];
  readonly covariance1: number[];
  readonly mean2: number[];
  readonly covariance2: number[];
  readonly distance: number;
  readonly meanTerm: number;
}

interface MomentsCase {
  readonly name: string;
  readonly d: number;
  readonly samples: number[];
  readonly mean: number[];
  readonly covariance: number[];
  readonly populationCovariance: number[];
}

const fixtures = readFixture<{ frechet: FrechetCase[]; moments: MomentsCase[] }>('metrics.json');

describe('frechetDistance against scipy (pytorch-fid formula)', () => {
  it.each(fixtures.frechet)('$name', (fixture) => {
    const result = frechetDistance(fixture);
    // Both sides are float64 eigen / Schur square roots; full-rank cases agree to ~3e-15 relative,
    // the rank-deficient one loses half the digits on its zero eigenvalues (sqrt of rounding).
    const relative = fixture.name.startsWith('rank') ? 1e-7 : 1e-12;
    expectClose(result.distance, fixture.distance, { tolerance: { relative } });
    expectClose(result.meanTerm, fixture.meanTerm, { tolerance: { relative: 1e-13 } });
    expectClose(result.meanTerm + result.covarianceTerm, result.distance, {
      tolerance: { relative: 1e-15 },
    });
  });

  it.each(fixtures.frechet)('$name: agrees with gaussianW2 of @sinkflow/ot', (fixture) => {
    const ours = frechetDistance(fixture).distance;
    const theirs = gaussianW2({
      mean1: fixture.mean1,
      covariance1: fixture.covariance1,
      mean2: fixture.mean2,
      covariance2: fixture.covariance2,
    }).squaredDistance;
    expectClose(ours, theirs, { tolerance: { relative: 1e-7 } });
  });

  it('is symmetric and 0 between equal Gaussians', () => {
    const fixture = fixtures.frechet[2] as FrechetCase;
    const forward = frechetDistance(fixture).distance;
    const backward = frechetDistance({
      mean1: fixture.mean2,
      covariance1: fixture.covariance2,
      mean2: fixture.mean1,
      covariance2: fixture.covariance1,
    }).distance;
    expectClose(backward, forward, { tolerance: { relative: 1e-12 } });
    const same = frechetDistance({
      mean1: fixture.mean1,
      covariance1: fixture.covariance1,
      mean2: fixture.mean1,
      covariance2: fixture.covariance1,
    });
    expect(same.distance).toBeGreaterThanOrEqual(0);
    expect(same.distance).toBeLessThan(1e-12 * fixture.d);
  });

  it('matches the documented example', () => {
    const result = frechetDistance({
      mean1: [0, 0],
      covariance1: [1, 0, 0, 1],
      mean2: [3, 4],
      covariance2: [4, 0, 0, 9],
    });
    expectClose([result.distance, result.meanTerm, result.covarianceTerm], [30, 25, 5], {
      tolerance: { relative: 1e-14 },
    });
  });

  it.each([
    ['mean1', { mean1: [], covariance1: [], mean2: [], covariance2: [] }],
    ['mean2', { mean1: [0, 0], covariance1: [1, 0, 0, 1], mean2: [0], covariance2: [1, 0, 0, 1] }],
    [
      'covariance1',
      { mean1: [0, 0], covariance1: [1, 0, 0], mean2: [0, 0], covariance2: [1, 0, 0, 1] },
    ],
    [
      'covariance2',
      { mean1: [0, 0], covariance1: [1, 0, 0, 1], mean2: [0, 0], covariance2: [1, 1, 0, 1] },
    ],
  ])('rejects a bad %s', async (argumentName, options) => {
    const error = await rejection(() => frechetDistance(options));
    expect(error.argumentName).toBe(argumentName);
  });
});

describe('sampleMoments against np.mean / np.cov', () => {
  it.each(fixtures.moments)('$name (offset 1e3: two-pass accuracy)', (fixture) => {
    const samples = Float64Array.from(fixture.samples);
    const unbiased = sampleMoments({ samples, d: fixture.d });
    expectClose(unbiased.mean, fixture.mean, { tolerance: { relative: 1e-14 } });
    expectClose(unbiased.covariance, fixture.covariance, {
      tolerance: { relative: 1e-11, absolute: 1e-13 },
    });
    const population = sampleMoments({ samples, d: fixture.d, ddof: 0 });
    expectClose(population.covariance, fixture.populationCovariance, {
      tolerance: { relative: 1e-11, absolute: 1e-13 },
    });
    expect(unbiased.count).toBe(fixture.samples.length / fixture.d);
  });

  it('rejects a single row for the unbiased covariance, and a bad ddof', async () => {
    expect(
      (await rejection(() => sampleMoments({ samples: Float64Array.of(1, 2), d: 2 }))).argumentName,
    ).toBe('samples');
    const badDdof = () => sampleMoments({ samples: Float64Array.of(1, 2), d: 1, ddof: 2 as 1 });
    expect((await rejection(badDdof)).argumentName).toBe('ddof');
  });
});
