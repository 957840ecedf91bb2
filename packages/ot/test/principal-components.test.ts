import { describe, expect, it } from 'vitest';
import { cloudsMean, principalComponents, projectOnComponents } from '../src/index.js';

// Closed form: points p = a_i u + b_i w in d = 3 with u, w orthonormal and the coefficients
// centred and uncorrelated (sum a_i b_i = 0) have covariance var(a) u u^T + var(b) w w^T, so the
// components are u then w, keeping var(a) / (var(a) + var(b)) and 1 of the variance.
const u = [0.6, 0.8, 0];
const w = [0, 0, 1];
const a = [3, -3, 1, -1, 2, -2];
const b = [0.5, 0.5, -1, -1, 0.5, 0.5];
const n = a.length;
const data = new Float32Array(n * 3);
for (let i = 0; i < n; i += 1) {
  for (let c = 0; c < 3; c += 1)
    data[i * 3 + c] = (a[i] as number) * (u[c] as number) + (b[i] as number) * (w[c] as number);
}
const variance = (values: number[]) => values.reduce((sum, v) => sum + v * v, 0) / values.length;

describe('principalComponents and projectOnComponents', () => {
  it('finds the closed-form components, their variance share, and the coordinates on them', () => {
    const mean = new Float64Array(3);
    const one = principalComponents([{ data, n, d: 3 }], mean, 1);
    expect(one.explainedVarianceRatio).toBeCloseTo(variance(a) / (variance(a) + variance(b)), 6);
    const sign = Math.sign(one.basis[0] as number);
    expect(Array.from(one.basis, (value) => sign * value)).toEqual(
      u.map((value) => expect.closeTo(value, 6)),
    );
    const two = principalComponents([{ data, n, d: 3 }], mean, 2);
    expect(two.explainedVarianceRatio).toBeCloseTo(1, 6);
    const projected = projectOnComponents(data, n, mean, one);
    expect(Array.from(projected, (value) => sign * value)).toEqual(
      a.map((value) => expect.closeTo(value, 5)),
    );
    // A shift moves the coordinates by -W s.
    const shift = Float64Array.from([1, 2, 3]);
    const shifted = projectOnComponents(data, n, shift, one);
    const ws = sign * (0.6 * 1 + 0.8 * 2);
    for (let i = 0; i < n; i += 1)
      expect(sign * (shifted[i] as number)).toBeCloseTo((a[i] as number) - ws, 5);
  });

  it('cloudsMean is the mean of the union of the clouds, each point counted once', () => {
    const x = { data: Float32Array.from([1, 2, 3, 4]), n: 2, d: 2 };
    const y = { data: Float32Array.from([5, 6]), n: 1, d: 2 };
    expect(Array.from(cloudsMean([x, y]))).toEqual([3, 4]);
    expect(Array.from(cloudsMean([{ data, n, d: 3 }]), (value) => Math.abs(value))).toEqual(
      [0, 0, 0].map(() => expect.closeTo(0, 6)),
    );
    for (const bad of [[], [x, { data, n, d: 3 }], [{ data: new Float32Array(0), n: 0, d: 2 }]])
      expect(() => cloudsMean(bad)).toThrow(expect.objectContaining({ argumentName: 'clouds' }));
  });

  it('names the bad argument', () => {
    const mean = new Float64Array(3);
    expect(() => principalComponents([{ data, n, d: 3 }], mean, 4)).toThrow(
      expect.objectContaining({ argumentName: 'k' }),
    );
    expect(() => principalComponents([{ data, n, d: 2 }], mean, 1)).toThrow(
      expect.objectContaining({ argumentName: 'clouds[0]' }),
    );
    expect(() => principalComponents([{ data: new Float32Array(0), n: 0, d: 3 }], mean, 1)).toThrow(
      expect.objectContaining({ argumentName: 'clouds' }),
    );
    const pca = principalComponents([{ data, n, d: 3 }], mean, 1);
    expect(() => projectOnComponents(data, 1.5, mean, pca)).toThrow(
      expect.objectContaining({ argumentName: 'n' }),
    );
    expect(() => projectOnComponents(data, n + 1, mean, pca)).toThrow(
      expect.objectContaining({ argumentName: 'data' }),
    );
  });
});
