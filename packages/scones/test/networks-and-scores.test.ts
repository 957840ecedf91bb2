import { InvalidArgumentError } from '@sinkflow/core';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createMlpNetwork, gaussianTargetScore } from '../src/index.js';
import { useFastBackend } from './helpers.js';

beforeAll(useFastBackend);

describe('createMlpNetwork', () => {
  it('is initialised from its seed and predict equals apply without leaking tensors', async () => {
    const a = createMlpNetwork({ inputDimension: 3, outputDimension: 2, width: 8, seed: 5 });
    const b = createMlpNetwork({ inputDimension: 3, outputDimension: 2, width: 8, seed: 5 });
    const [wa, wb] = await Promise.all([a.getWeights(), b.getWeights()]);
    expect(wa.map((w) => Array.from(w.data))).toEqual(wb.map((w) => Array.from(w.data)));
    expect(a.parameters.map((p) => p.shape)).toEqual([
      [3, 8],
      [8],
      [8, 8],
      [8],
      [8, 8],
      [8],
      [8, 2],
      [2],
    ]);
    const x = Float32Array.of(0.1, -2, 3, 1, 1, 1);
    const before = tf.memory().numTensors;
    const predicted = await a.predict(x);
    expect(tf.memory().numTensors).toBe(before);
    const applied = tf.tidy(() => a.apply(tf.tensor2d(x, [2, 3])).dataSync());
    expect(Array.from(predicted)).toEqual(Array.from(applied));
    const scaled = createMlpNetwork({
      inputDimension: 3,
      outputDimension: 2,
      width: 8,
      seed: 5,
      outputScale: 4,
    });
    const four = await scaled.predict(x);
    for (const [k, value] of four.entries())
      expect(value).toBeCloseTo(4 * (predicted[k] as number), 5);
    b.setWeights(await scaled.getWeights());
    for (const network of [a, b, scaled]) network.dispose();
  });

  it('rejects bad options and inputs, naming them', async () => {
    expect(() => createMlpNetwork({ inputDimension: 0, outputDimension: 1 })).toThrowError(
      /'inputDimension'/,
    );
    expect(() =>
      createMlpNetwork({ inputDimension: 1, outputDimension: 1, activation: 'gelu' as 'relu' }),
    ).toThrowError(InvalidArgumentError);
    const network = createMlpNetwork({ inputDimension: 2, outputDimension: 1, width: 4 });
    await expect(network.predict(new Float32Array(3))).rejects.toThrowError(/'x'/);
    expect(() => network.setWeights([])).toThrowError(/'weights'/);
    network.dispose();
  });
});

describe('gaussianTargetScore', () => {
  it('is the gradient of log N(m, S + tau^2 I) (central differences), at every noise level', () => {
    const mean = [0.5, -1];
    const covariance = [2, 0.6, 0.6, 1];
    const score = gaussianTargetScore({ mean, covariance });
    const logDensity = (y: number[], tau: number) => {
      const a = (covariance[0] as number) + tau * tau;
      const b = covariance[1] as number;
      const c = (covariance[3] as number) + tau * tau;
      const det = a * c - b * b;
      const u = (y[0] as number) - (mean[0] as number);
      const v = (y[1] as number) - (mean[1] as number);
      return -0.5 * ((c * u * u - 2 * b * u * v + a * v * v) / det);
    };
    for (const tau of [0, 0.3, 2]) {
      const y = [1.3, 0.2];
      const analytic = tf.tidy(() => score.score(tf.tensor2d([y]), tau).dataSync());
      for (let j = 0; j < 2; j += 1) {
        const h = 1e-5;
        const plus = [...y];
        const minus = [...y];
        plus[j] = (plus[j] as number) + h;
        minus[j] = (minus[j] as number) - h;
        const numeric = (logDensity(plus, tau) - logDensity(minus, tau)) / (2 * h);
        expect(Math.abs((analytic[j] as number) - numeric)).toBeLessThan(1e-5);
      }
    }
    const before = tf.memory().numTensors;
    score.dispose();
    expect(tf.memory().numTensors).toBeLessThan(before);
  });

  it('rejects a covariance that is not positive definite or of the wrong size', () => {
    expect(() => gaussianTargetScore({ mean: [0, 0], covariance: [1, 2, 2, 1] })).toThrowError(
      /'covariance'/,
    );
    expect(() => gaussianTargetScore({ mean: [0, 0], covariance: [1] })).toThrowError(
      /'covariance'/,
    );
  });
});
