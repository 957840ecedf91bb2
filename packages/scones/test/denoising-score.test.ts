import { createRandomGenerator } from '@sinkflow/core';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { gaussianTargetScore, trainDenoisingScoreModel } from '../src/index.js';
import { benchmark2d, gaussianSamplers, useFastBackend, windowMean } from './helpers.js';

beforeAll(useFastBackend);

describe('trainDenoisingScoreModel', () => {
  it('learns the smoothed score of a Gaussian target at each noise level [vincent2011]', async () => {
    const { target } = gaussianSamplers(benchmark2d);
    const noiseLevels = [1.5, 0.75, 0.35];
    const before = tf.memory().numTensors;
    const { score, lossHistory } = await trainDenoisingScoreModel({
      target,
      noiseLevels,
      steps: 800,
      batchSize: 256,
      hiddenLayers: 2,
      width: 32,
      optimizer: { learningRate: 3e-3 },
      seed: 0,
    });
    expect(windowMean(lossHistory, 0.8, 1)).toBeLessThan(windowMean(lossHistory, 0, 0.05));
    const exact = gaussianTargetScore({ mean: [0, 0], covariance: benchmark2d.targetCovariance });
    const points = await target.sample({ count: 400, random: createRandomGenerator({ seed: 9 }) });
    for (const level of noiseLevels) {
      const [error, size] = tf.tidy(() => {
        const y = tf.tensor2d(points, [400, 2]);
        const reference = exact.score(y, level);
        return [
          tf.sum(tf.square(tf.sub(score.score(y, level), reference))).dataSync()[0] as number,
          tf.sum(tf.square(reference)).dataSync()[0] as number,
        ];
      });
      // Relative L2 error over target samples below 20% at every level.
      expect(Math.sqrt(error / size)).toBeLessThan(0.2);
    }
    exact.dispose();
    score.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('rejects noise levels that are not positive and decreasing', async () => {
    const { target } = gaussianSamplers(benchmark2d);
    await expect(trainDenoisingScoreModel({ target, noiseLevels: [0.1, 1] })).rejects.toThrowError(
      /'noiseLevels'/,
    );
    await expect(trainDenoisingScoreModel({ target, noiseLevels: [1, 0] })).rejects.toThrowError(
      /'noiseLevels'/,
    );
  });
});
