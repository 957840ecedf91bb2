import { createRandomGenerator } from '@sinkflow/core';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { chiSquaredRegularizer, trainDualPotentials } from '../src/index.js';
import { benchmark2d, gaussianSamplers, useFastBackend, windowMean } from './helpers.js';

beforeAll(useFastBackend);

describe('trainDualPotentials (chi^2, d = 2)', () => {
  it('ascends to a plateau with marginals within 0.1 of the inputs', async () => {
    const { source, target } = gaussianSamplers(benchmark2d);
    const before = tf.memory().numTensors;
    const { coupling, objectiveHistory } = await trainDualPotentials({
      source,
      target,
      regularizer: chiSquaredRegularizer({ lambda: 4 }),
      steps: 500,
      batchSize: 128,
      hiddenLayers: 2,
      width: 32,
      optimizer: { learningRate: 3e-3 },
      seed: 3,
    });
    const last = windowMean(objectiveHistory, 0.85, 1);
    expect(last).toBeGreaterThan(windowMean(objectiveHistory, 0, 0.02) + 1);
    expect(Math.abs(last - windowMean(objectiveHistory, 0.7, 0.85))).toBeLessThan(
      0.03 * Math.abs(last),
    );
    const random = createRandomGenerator({ seed: 4 });
    const x = await source.sample({ count: 800, random });
    const y = await target.sample({ count: 800, random });
    const ratios = await coupling.marginalRatios({ x, y });
    const meanDeviation = (values: Float64Array) =>
      values.reduce((sum, value) => sum + Math.abs(value - 1), 0) / values.length;
    expect(Math.abs(ratios.mass - 1)).toBeLessThan(0.05);
    expect(meanDeviation(ratios.source)).toBeLessThan(0.1);
    expect(meanDeviation(ratios.target)).toBeLessThan(0.1);
    // A sparse coupling: some far pairs get exactly zero density.
    const far = await coupling.density({ x: Float32Array.of(3, 3), y: Float32Array.of(-3, -3) });
    expect(far[0]).toBe(0);
    coupling.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
