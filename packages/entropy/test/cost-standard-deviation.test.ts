import { createPointCloud, createRandomGenerator, type PointCloud } from '@sinkflow/core';
import { describe, expect, it } from 'vitest';
import { costStandardDeviation } from '../src/index.js';
import { sampleDistinctIndices } from '../src/internal/sample-distinct-indices.js';
import { expectClose } from './expect-close.js';
import { rejection } from './expect-rejection.js';
import { type CostStdCase, readFixture } from './read-fixture.js';

const { cases } = readFixture<{ cases: CostStdCase[] }>('cost_std.json');

// The reference reduces the materialized matrix in 80-bit long double; our float64 moments land
// within 1e-14 relative of it on every case (worst 8e-15: points around 1e3, sqeuclidean). 1e-12
// leaves 100x of margin for other platforms, and is tight enough that the textbook uncentred
// formula E[C^2] - E[C]^2 fails on the offset cases (5e-9 there; see 'the fixtures have teeth').
// The coordinates are exact float32 / float64 values and the reduction is float64 in both cases,
// so the same tolerance applies to both storages.
const tolerance = { relative: 1e-12 };

function cloudsOf(fixture: CostStdCase): { x: PointCloud; y: PointCloud } {
  const storage = fixture.precision === 'float32' ? Float32Array : Float64Array;
  return {
    x: createPointCloud(storage.from(fixture.x), { d: fixture.d }),
    y: createPointCloud(storage.from(fixture.y), { d: fixture.d }),
  };
}

describe('costStandardDeviation against numpy.std of the materialized matrix', () => {
  it.each(cases)('$name: n = $n, m = $m, d = $d', (fixture) => {
    const { x, y } = cloudsOf(fixture);
    for (const cost of ['dot', 'sqeuclidean'] as const) {
      const result = costStandardDeviation(x, y, { cost });
      const expected = fixture.expected[cost];
      expectClose(result.standardDeviation, expected.std, { tolerance, label: `${cost} std` });
      expectClose(result.mean, expected.mean, { tolerance, label: `${cost} mean` });
      // tr(S_x S_y) has no cancellation; absolute floor for the separable cases (exactly 0).
      expectClose(result.interactionStandardDeviation, expected.interactionStd, {
        tolerance: { relative: 1e-12, absolute: 1e-12 * (1 + expected.std) },
        label: `${cost} interaction std`,
      });
      expect(result).toEqual({
        standardDeviation: result.standardDeviation,
        mean: result.mean,
        interactionStandardDeviation: result.interactionStandardDeviation,
        sampled: false,
        pointsUsed: { x: fixture.n, y: fixture.m },
      });
    }
  });
});

describe('costStandardDeviation properties', () => {
  it('computes the documented example (entries 0, 2, 0.5, 0.5)', () => {
    const x = createPointCloud(new Float64Array([0, 1]), { d: 1 });
    const y = createPointCloud(new Float64Array([0, 2]), { d: 1 });
    expect(costStandardDeviation(x, y, { cost: 'sqeuclidean' })).toEqual({
      standardDeviation: 0.75,
      mean: 0.75,
      // doubly centred entries -0.5, 0.5, 0.5, -0.5
      interactionStandardDeviation: 0.5,
      sampled: false,
      pointsUsed: { x: 2, y: 2 },
    });
    // dot: entries -0, -0, -0, -2 -> mean -0.5, std sqrt(0.75)
    const dot = costStandardDeviation(x, y, { cost: 'dot' });
    expectClose([dot.mean, dot.standardDeviation], [-0.5, Math.sqrt(0.75)]);
    expect(Object.isFrozen(dot)).toBe(true);
  });

  it('ignores the weights of the clouds (unweighted over entries, as OTT-JAX)', () => {
    const data = new Float64Array([0, 1, 3, -2, 0.5, 4]);
    const uniform = createPointCloud(data, { d: 2 });
    const weighted = createPointCloud(data, { d: 2, weights: [0.7, 0.2, 0.1] });
    for (const cost of ['dot', 'sqeuclidean'] as const) {
      expect(costStandardDeviation(weighted, weighted, { cost })).toEqual(
        costStandardDeviation(uniform, uniform, { cost }),
      );
    }
  });

  it('is invariant to a common translation for sqeuclidean, even by 1e3 in float32', () => {
    // Dyadic coordinates k / 1024 with |k| < 2^13: exact in float32 both before and after adding 1024.
    const d = 5;
    const dyadic = (count: number, salt: number): number[] =>
      Array.from(
        { length: count * d },
        (_, index) => (((index * 7919 + salt) % 8191) - 4095) / 1024,
      );
    const xs = dyadic(40, 11);
    const ys = dyadic(29, 5);
    const at = (values: number[], offset: number): PointCloud =>
      createPointCloud(
        Float32Array.from(values, (value) => value + offset),
        { d },
      );
    const near = costStandardDeviation(at(xs, 0), at(ys, 0), { cost: 'sqeuclidean' });
    const far = costStandardDeviation(at(xs, 1024), at(ys, 1024), { cost: 'sqeuclidean' });
    expectClose(far.standardDeviation, near.standardDeviation, { tolerance: { relative: 1e-13 } });
    expectClose(far.mean, near.mean, { tolerance: { relative: 1e-13 } });
    // The dot cost is not translation invariant: its spread grows with the offset.
    const dotFar = costStandardDeviation(at(xs, 1024), at(ys, 1024), { cost: 'dot' });
    expect(dotFar.standardDeviation).toBeGreaterThan(100 * near.standardDeviation);
  });

  it('is 0 for two single points and for a cloud paired with copies of one point under the dot cost', () => {
    const one = createPointCloud(new Float32Array([1e3, -2e3]), { d: 2 });
    expect(costStandardDeviation(one, one, { cost: 'dot' }).standardDeviation).toBe(0);
    expect(costStandardDeviation(one, one, { cost: 'sqeuclidean' }).standardDeviation).toBe(0);
    const origin = createPointCloud(new Float64Array(6), { d: 2 });
    const x = createPointCloud(new Float64Array([1, 2, 3, 4]), { d: 2 });
    expect(costStandardDeviation(x, origin, { cost: 'dot' })).toEqual({
      standardDeviation: 0,
      mean: -0,
      interactionStandardDeviation: 0,
      sampled: false,
      pointsUsed: { x: 2, y: 3 },
    });
  });

  it('beats the uncentred textbook formula on the offset fixtures (the fixtures have teeth)', () => {
    const fixture = cases.find(({ name }) => name === 'common offset 1e3 (float64)');
    if (fixture === undefined) throw new Error('fixture missing');
    const { n, m, d, x, y } = fixture;
    // E[C^2] - E[C]^2 with C = -<x, y>, from uncentred moments: tr(M_x M_y) - <mu_x, mu_y>^2.
    const second = (values: number[], count: number): Float64Array => {
      const moment = new Float64Array(d * d);
      for (let i = 0; i < count; i += 1) {
        for (let k = 0; k < d; k += 1) {
          for (let l = 0; l < d; l += 1) {
            moment[k * d + l] =
              (moment[k * d + l] as number) +
              ((values[i * d + k] as number) * (values[i * d + l] as number)) / count;
          }
        }
      }
      return moment;
    };
    const mean = (values: number[], count: number): number[] =>
      Array.from(
        { length: d },
        (_, k) => values.filter((_, index) => index % d === k).reduce((s, v) => s + v, 0) / count,
      );
    const mx = second(x, n);
    const my = second(y, m);
    const muX = mean(x, n);
    const muY = mean(y, m);
    let trace = 0;
    for (let index = 0; index < d * d; index += 1)
      trace += (mx[index] as number) * (my[index] as number);
    const meanCost = muX.reduce((s, v, k) => s + v * (muY[k] as number), 0);
    const naive = Math.sqrt(Math.max(0, trace - meanCost * meanCost));
    const naiveError = Math.abs(naive - fixture.expected.dot.std) / fixture.expected.dot.std;
    expect(naiveError).toBeGreaterThan(1000 * tolerance.relative);
  });
});

/** A standard Gaussian cloud from a fixed-seed LCG and Box-Muller (test data only). */
function gaussianCloud(n: number, d: number, seed: number, shift: number): PointCloud {
  let state = seed >>> 0;
  const uniform = (): number => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return (state + 0.5) / 2 ** 32;
  };
  const data = new Float32Array(n * d);
  for (let index = 0; index < data.length; index += 2) {
    const radius = Math.sqrt(-2 * Math.log(uniform()));
    const angle = 2 * Math.PI * uniform();
    data[index] = radius * Math.cos(angle) + shift;
    if (index + 1 < data.length) data[index + 1] = radius * Math.sin(angle) + shift;
  }
  return createPointCloud(data, { d });
}

describe('costStandardDeviation subsampling', () => {
  const x = gaussianCloud(40000, 8, 1, 0);
  const y = gaussianCloud(30000, 8, 2, 0.5);
  const options = { maxPoints: 4096, maxMomentWork: 1e5 };

  it.each(['dot', 'sqeuclidean'] as const)(
    'stays within 3%% of the exact std on a large Gaussian cloud (%s)',
    (cost) => {
      const exact = costStandardDeviation(x, y, {
        cost,
        maxPoints: Number.POSITIVE_INFINITY,
        maxMomentWork: 1e5,
      });
      const sampled = costStandardDeviation(x, y, { cost, ...options });
      expect(exact.sampled).toBe(false);
      expect(exact.pointsUsed).toEqual({ x: 40000, y: 30000 });
      expect(sampled.sampled).toBe(true);
      expect(sampled.pointsUsed).toEqual({ x: 4096, y: 4096 });
      expectClose(sampled.standardDeviation, exact.standardDeviation, {
        tolerance: { relative: 0.03 },
      });
      expect(sampled.standardDeviation).not.toBe(exact.standardDeviation);
    },
  );

  it('is deterministic for a fixed seed and changes with the seed', () => {
    const first = costStandardDeviation(x, y, { cost: 'dot', ...options, seed: 7 });
    const again = costStandardDeviation(x, y, { cost: 'dot', ...options, seed: 7 });
    const other = costStandardDeviation(x, y, { cost: 'dot', ...options, seed: 8 });
    expect(again).toEqual(first);
    expect(other.standardDeviation).not.toBe(first.standardDeviation);
    expectClose(other.standardDeviation, first.standardDeviation, {
      tolerance: { relative: 0.05 },
    });
    expect(costStandardDeviation(x, y, { cost: 'dot', ...options })).toEqual(
      costStandardDeviation(x, y, { cost: 'dot', ...options, seed: 0 }),
    );
  });

  it('gives exactly the moments of the chosen rows (streams split(0) for x, split(1) for y)', () => {
    const seed = 11;
    const rowsOf = (cloud: PointCloud, stream: number): PointCloud => {
      const rows = sampleDistinctIndices({
        total: cloud.n,
        count: options.maxPoints,
        generator: createRandomGenerator({ seed }).split(stream),
      });
      const data = new Float32Array(rows.length * cloud.d);
      rows.forEach((row, position) => {
        data.set(cloud.data.subarray(row * cloud.d, (row + 1) * cloud.d), position * cloud.d);
      });
      return createPointCloud(data, { d: cloud.d });
    };
    const sampled = costStandardDeviation(x, y, { cost: 'sqeuclidean', ...options, seed });
    const direct = costStandardDeviation(rowsOf(x, 0), rowsOf(y, 1), { cost: 'sqeuclidean' });
    expect(sampled.standardDeviation).toBe(direct.standardDeviation);
    expect(sampled.mean).toBe(direct.mean);
  });

  it('samples only when d^2 (n + m) > maxMomentWork, and only the clouds larger than maxPoints', () => {
    // Work 64 * 70000 = 4.48e6 <= the default 2^28: every row is used.
    expect(costStandardDeviation(x, y, { cost: 'dot', maxPoints: 4096 }).pointsUsed).toEqual({
      x: 40000,
      y: 30000,
    });
    const small = gaussianCloud(3000, 8, 3, 0);
    const mixed = costStandardDeviation(x, small, { cost: 'sqeuclidean', ...options });
    expect(mixed).toMatchObject({ sampled: true, pointsUsed: { x: 4096, y: 3000 } });
    const none = costStandardDeviation(small, small, { cost: 'sqeuclidean', ...options });
    expect(none).toMatchObject({ sampled: false, pointsUsed: { x: 3000, y: 3000 } });
  });
});

describe('costStandardDeviation validation', () => {
  const x = createPointCloud(new Float64Array([0, 1, 2, 3]), { d: 2 });
  const argumentOf = (run: () => unknown): string => rejection(run).argumentName;

  it('rejects malformed clouds and mismatched dimensions', () => {
    const badLength = { data: new Float64Array(3), n: 2, d: 2 };
    expect(argumentOf(() => costStandardDeviation(badLength, x, { cost: 'dot' }))).toBe('x.data');
    const notFinite = { data: new Float64Array([0, Number.NaN]), n: 1, d: 2 };
    expect(argumentOf(() => costStandardDeviation(x, notFinite, { cost: 'dot' }))).toBe(
      'y.data[1]',
    );
    const otherDimension = createPointCloud(new Float64Array(3), { d: 3 });
    const error = rejection(() => costStandardDeviation(x, otherDimension, { cost: 'dot' }));
    expect(error.functionName).toBe('costStandardDeviation');
    expect(error.argumentName).toBe('y.d');
  });

  it('rejects bad options, naming each', () => {
    expect(argumentOf(() => costStandardDeviation(x, x, { cost: 'l1' as 'dot' }))).toBe(
      'options.cost',
    );
    expect(argumentOf(() => costStandardDeviation(x, x, {} as { cost: 'dot' }))).toBe(
      'options.cost',
    );
    for (const maxPoints of [0, 1.5, -1, Number.NaN, Number.NEGATIVE_INFINITY]) {
      expect(argumentOf(() => costStandardDeviation(x, x, { cost: 'dot', maxPoints }))).toBe(
        'options.maxPoints',
      );
    }
    for (const maxMomentWork of [0, -5, Number.NaN]) {
      expect(argumentOf(() => costStandardDeviation(x, x, { cost: 'dot', maxMomentWork }))).toBe(
        'options.maxMomentWork',
      );
    }
    for (const seed of [-1, 0.5, 2 ** 53]) {
      expect(argumentOf(() => costStandardDeviation(x, x, { cost: 'dot', seed }))).toBe(
        'options.seed',
      );
    }
  });
});

describe('costStandardDeviation interactionStandardDeviation', () => {
  it('equals the std of the doubly centred cost matrix, computed by brute force', () => {
    const random = createRandomGenerator({ seed: 11 });
    const n = 37;
    const m = 23;
    const d = 3;
    const x = createPointCloud(
      Float64Array.from({ length: n * d }, () => random.normal()),
      { d },
    );
    const y = createPointCloud(
      Float64Array.from({ length: m * d }, () => 3 + 2 * random.normal()),
      { d },
    );
    for (const cost of ['dot', 'sqeuclidean'] as const) {
      const entries = new Float64Array(n * m);
      for (let i = 0; i < n; i += 1) {
        for (let j = 0; j < m; j += 1) {
          let value = 0;
          for (let k = 0; k < d; k += 1) {
            const xi = x.data[i * d + k] as number;
            const yj = y.data[j * d + k] as number;
            value += cost === 'dot' ? -xi * yj : 0.5 * (xi - yj) ** 2;
          }
          entries[i * m + j] = value;
        }
      }
      const rowMean = (i: number) =>
        entries.subarray(i * m, i * m + m).reduce((s, v) => s + v, 0) / m;
      const columnMean = (j: number) => {
        let sum = 0;
        for (let i = 0; i < n; i += 1) sum += entries[i * m + j] as number;
        return sum / n;
      };
      const mean = entries.reduce((s, v) => s + v, 0) / (n * m);
      let variance = 0;
      for (let i = 0; i < n; i += 1) {
        for (let j = 0; j < m; j += 1) {
          variance += ((entries[i * m + j] as number) - rowMean(i) - columnMean(j) + mean) ** 2;
        }
      }
      const { interactionStandardDeviation } = costStandardDeviation(x, y, { cost });
      expectClose([interactionStandardDeviation], [Math.sqrt(variance / (n * m))]);
    }
  });

  it('is exactly 0 when every point of y is the same (a separable cost)', () => {
    const random = createRandomGenerator({ seed: 12 });
    const x = createPointCloud(
      Float32Array.from({ length: 40 }, () => random.normal()),
      { d: 4 },
    );
    const y = createPointCloud(
      Float32Array.from({ length: 40 }, (_, k) => [0.3, -1.7, 2.1, 5][k % 4] as number),
      { d: 4 },
    );
    const result = costStandardDeviation(x, y, { cost: 'dot' });
    expect(result.interactionStandardDeviation).toBe(0);
    expect(result.standardDeviation).toBeGreaterThan(0);
  });
});
