import { InvalidArgumentError } from '@sinkflow/core';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { chiSquaredRegularizer, type FDivergenceRegularizer, klRegularizer } from '../src/index.js';
import { useFastBackend } from './helpers.js';

beforeAll(useFastBackend);

const grid = [-30, -9, -4.5, -1, -0.25, 0, 0.3, 1, 2.5, 7];

/** `f*(v) = sup_{t >= 0} v t - f(t)` by a fine search (the conjugate's definition). */
function numericConjugate(f: (t: number) => number, v: number): number {
  let best = Number.NEGATIVE_INFINITY;
  for (let k = 0; k <= 200_000; k += 1) {
    const t = k * 1e-4;
    best = Math.max(best, v * t - f(t));
  }
  return best;
}

const cases: [string, FDivergenceRegularizer, (t: number) => number][] = [
  ['kl', klRegularizer({ lambda: 3 }), (t) => (t === 0 ? 0 : t * Math.log(t))],
  ['chi-squared', chiSquaredRegularizer({ lambda: 3 }), (t) => (t - 1) ** 2],
];

describe.each(cases)('%s regularizer [daniels2021, Table 3]', (_name, regularizer, f) => {
  const { lambda } = regularizer;

  it('has H*_lambda(v) = lambda f*(v / lambda) with f* the convex conjugate of f', () => {
    for (const v of [-4.5, -1, 0, 1, 2.5]) {
      const expected = lambda * numericConjugate(f, v / lambda);
      expect(Math.abs(regularizer.penaltyOf(v) - expected)).toBeLessThan(
        1e-6 * (1 + Math.abs(expected)),
      );
    }
  });

  it("has M(v) = d/dv H*_lambda(v) = f*'(v / lambda) (central differences)", () => {
    for (const v of grid) {
      const h = 1e-5;
      const derivative = (regularizer.penaltyOf(v + h) - regularizer.penaltyOf(v - h)) / (2 * h);
      expect(Math.abs(regularizer.compatibilityOf(v) - derivative)).toBeLessThan(1e-6);
      expect(regularizer.compatibilityOf(v)).toBeGreaterThanOrEqual(0);
    }
  });

  it('tensor forms equal the float64 forms; log M is finite with a finite gradient', () => {
    const v = tf.tensor1d(grid);
    const [penalty, compatibility, logCompatibility, gradient] = tf.tidy(() => [
      regularizer.penalty(v).arraySync() as number[],
      regularizer.compatibility(v).arraySync() as number[],
      regularizer.logCompatibility(v).arraySync() as number[],
      tf
        .grad((input: tf.Tensor) => tf.sum(regularizer.logCompatibility(input)))(v)
        .arraySync() as number[],
    ]);
    v.dispose();
    grid.forEach((value, k) => {
      const scale = 1 + Math.abs(regularizer.penaltyOf(value));
      expect(Math.abs((penalty[k] as number) - regularizer.penaltyOf(value))).toBeLessThan(
        1e-5 * scale,
      );
      expect(
        Math.abs((compatibility[k] as number) - regularizer.compatibilityOf(value)),
      ).toBeLessThan(1e-5);
      expect(Number.isFinite(logCompatibility[k])).toBe(true);
      expect(Number.isFinite(gradient[k])).toBe(true);
      if (regularizer.compatibilityOf(value) > 0.01)
        expect(
          Math.abs((logCompatibility[k] as number) - Math.log(regularizer.compatibilityOf(value))),
        ).toBeLessThan(1e-3);
    });
  });
});

describe('regularizer options', () => {
  it('KL: M(v) = exp(v / lambda - 1), the Sinkhorn coupling [daniels2021, Prop. 2.3]', () => {
    const kl = klRegularizer({ lambda: 2 });
    expect(kl.compatibilityOf(2)).toBeCloseTo(1, 12);
    expect(kl.penaltyOf(0)).toBeCloseTo(2 / Math.E, 12);
    expect(kl.kind).toBe('kl');
  });

  it('chi^2: M vanishes below V = -2 lambda (a sparse coupling) and is affine above', () => {
    const chi2 = chiSquaredRegularizer({ lambda: 1 });
    expect(chi2.compatibilityOf(-5)).toBe(0);
    expect(chi2.compatibilityOf(2)).toBe(2);
    expect(chi2.penaltyOf(2)).toBe(3);
  });

  it('rejects a bad lambda or sharpness, naming it', () => {
    expect(() => klRegularizer({ lambda: 0 })).toThrowError(InvalidArgumentError);
    expect(() => klRegularizer({ lambda: Number.NaN })).toThrowError(/'lambda'/);
    expect(() => chiSquaredRegularizer({ lambda: 1, softplusSharpness: -1 })).toThrowError(
      /'softplusSharpness'/,
    );
  });
});
