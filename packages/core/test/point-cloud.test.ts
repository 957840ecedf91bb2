import { describe, expect, it } from 'vitest';
import {
  compensatedSum,
  createPointCloud,
  InvalidArgumentError,
  normalizeWeights,
  type PointCloud,
  pointCloudWeights,
  validatePointCloud,
} from '../src/index.js';

function rejection(run: () => unknown): InvalidArgumentError {
  try {
    run();
  } catch (error) {
    if (InvalidArgumentError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected an InvalidArgumentError');
}

describe('createPointCloud', () => {
  it('infers n, keeps the data and leaves uniform weights implicit', () => {
    const data = new Float32Array([0, 0, 1, 0, 0, 1]);
    const cloud = createPointCloud(data, { d: 2 });
    expect(cloud).toEqual({ data, n: 3, d: 2 });
    expect(cloud.data).toBe(data);
    expect(Array.from(pointCloudWeights(cloud))).toEqual([1 / 3, 1 / 3, 1 / 3]);
  });

  it('normalises weights to sum to 1', () => {
    const cloud = createPointCloud(new Float64Array(4), { d: 2, weights: [1, 3] });
    expect(Array.from(cloud.weights ?? [])).toEqual([0.25, 0.75]);
    expect(pointCloudWeights(cloud)).toBe(cloud.weights);
  });

  it('accepts zero weights as long as the total is positive', () => {
    const cloud = createPointCloud(new Float64Array(6), { d: 2, weights: [0, 2, 0] });
    expect(Array.from(cloud.weights ?? [])).toEqual([0, 1, 0]);
  });

  it('names the argument and the function in every error', () => {
    const context = { functionName: 'solveSinkhorn', argumentName: 'x' };
    const cases: Array<[() => unknown, string, RegExp]> = [
      [
        () => createPointCloud([1, 2] as unknown as Float32Array, { d: 1 }, context),
        'x',
        /Float32Array or a Float64Array/,
      ],
      [() => createPointCloud(new Float32Array(4), { d: 0 }, context), 'x.d', /integer >= 1/],
      [() => createPointCloud(new Float32Array(4), { d: 1.5 }, context), 'x.d', /safe integer/],
      [
        () => createPointCloud(new Float32Array(5), { d: 2 }, context),
        'x.n',
        /length 5 is not a multiple of d = 2/,
      ],
      [() => createPointCloud(new Float32Array(0), { d: 2 }, context), 'x.n', /at least one point/],
      [
        () => createPointCloud(new Float32Array(6), { d: 2, n: 2 }, context),
        'x.data',
        /n \* d = 2 \* 2 = 4/,
      ],
      [
        () => createPointCloud(new Float32Array([0, 1, Number.NaN, 3]), { d: 2 }, context),
        'x.data[2]',
        /row 1, column 0/,
      ],
      [
        () => createPointCloud(new Float64Array([0, Number.POSITIVE_INFINITY]), { d: 2 }, context),
        'x.data[1]',
        /finite/,
      ],
      [
        () => createPointCloud(new Float32Array(4), { d: 2, weights: [1] }, context),
        'x.weights',
        /one weight per point \(2\)/,
      ],
      [
        () => createPointCloud(new Float32Array(4), { d: 2, weights: [1, -1] }, context),
        'x.weights[1]',
        /non-negative/,
      ],
      [
        () => createPointCloud(new Float32Array(4), { d: 2, weights: [1, Number.NaN] }, context),
        'x.weights[1]',
        /finite/,
      ],
      [
        () => createPointCloud(new Float32Array(4), { d: 2, weights: [0, 0] }, context),
        'x.weights',
        /positive, finite sum/,
      ],
      [
        () => createPointCloud(new Float32Array(4), { d: 2, weights: [1e308, 1e308] }, context),
        'x.weights',
        /positive, finite sum/,
      ],
    ];
    for (const [run, argumentName, pattern] of cases) {
      const error = rejection(run);
      expect(error.functionName).toBe('solveSinkhorn');
      expect(error.argumentName).toBe(argumentName);
      expect(error.message).toMatch(pattern);
      expect(error.message.startsWith(`solveSinkhorn: invalid argument '${argumentName}'`)).toBe(
        true,
      );
    }
  });
});

describe('validatePointCloud', () => {
  const good: PointCloud = { data: new Float32Array([1, 2, 3, 4]), n: 2, d: 2 };

  it('accepts a well-formed cloud with or without weights', () => {
    expect(() => validatePointCloud(good)).not.toThrow();
    expect(() =>
      validatePointCloud({ ...good, weights: new Float64Array([0.5, 0.5]) }),
    ).not.toThrow();
  });

  it('rejects malformed clouds, naming the field', () => {
    const context = { functionName: 'sample', argumentName: 'y' };
    expect(
      rejection(() => validatePointCloud(null as unknown as PointCloud, context)).argumentName,
    ).toBe('y');
    expect(rejection(() => validatePointCloud({ ...good, n: 3 }, context)).argumentName).toBe(
      'y.data',
    );
    expect(rejection(() => validatePointCloud({ ...good, n: 0 }, context)).argumentName).toBe(
      'y.n',
    );
    expect(rejection(() => validatePointCloud({ ...good, d: -1 }, context)).argumentName).toBe(
      'y.d',
    );
    expect(
      rejection(() =>
        validatePointCloud(
          { ...good, data: new Int32Array(4) as unknown as Float32Array },
          context,
        ),
      ).argumentName,
    ).toBe('y.data');
    const notNormalised = rejection(() =>
      validatePointCloud({ ...good, weights: new Float64Array([1, 1]) }, context),
    );
    expect(notNormalised.argumentName).toBe('y.weights');
    expect(notNormalised.message).toMatch(/must sum to 1 .*received 2\)/);
    expect(
      rejection(() => validatePointCloud({ ...good, weights: new Float64Array([1]) }, context))
        .message,
    ).toMatch(/length n = 2/);
    expect(
      rejection(() =>
        validatePointCloud({ ...good, weights: new Float64Array([1.5, -0.5]) }, context),
      ).argumentName,
    ).toBe('y.weights[1]');
  });

  it('uses default names when no context is given', () => {
    expect(rejection(() => validatePointCloud({ ...good, n: 3 })).message).toMatch(
      /^validatePointCloud: invalid argument 'cloud.data'/,
    );
  });
});

describe('weights arithmetic', () => {
  it('normalizeWeights rescales and validates', () => {
    expect(Array.from(normalizeWeights([2, 6], { functionName: 'f', argumentName: 'a' }))).toEqual([
      0.25, 0.75,
    ]);
    expect(
      rejection(() => normalizeWeights([], { functionName: 'f', argumentName: 'a' })).message,
    ).toMatch(/must not be empty/);
  });

  it('compensatedSum keeps the low-order bits that a naive sum loses', () => {
    expect(compensatedSum([1e16, 1, -1e16])).toBe(1);
    const tiny = new Float64Array(1_000_000).fill(0.1);
    expect(compensatedSum(tiny)).toBe(100000); // a plain loop gives 100000.00000133288
    expect(compensatedSum([])).toBe(0);
  });

  it('normalised many small weights sum to 1 within a few ulps', () => {
    const weights = normalizeWeights(new Float64Array(1_000_003).fill(3), {
      functionName: 'f',
      argumentName: 'a',
    });
    expect(Math.abs(compensatedSum(weights) - 1)).toBeLessThan(4 * 2 ** -52);
  });
});
