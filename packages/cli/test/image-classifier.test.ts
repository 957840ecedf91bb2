import { createRandomGenerator } from '@sinkflow/core';
import { selectBackend } from '@sinkflow/fm';
import { featureFrechetDistance } from '@sinkflow/metrics';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { classifierAccuracy, createImageClassifier } from '../src/images/image-classifier.js';

beforeAll(async () => {
  await selectBackend({ preference: ['wasm', 'cpu'] });
});

/** `n` rows of `N(mean, diag(variance))` in float32. */
function gaussian(n: number, mean: number[], variance: number[], seed: number): Float32Array {
  const d = mean.length;
  const out = createRandomGenerator({ seed }).fillNormal(new Float32Array(n * d));
  for (let i = 0; i < n; i += 1) {
    for (let k = 0; k < d; k += 1) {
      out[i * d + k] =
        (mean[k] as number) + Math.sqrt(variance[k] as number) * (out[i * d + k] as number);
    }
  }
  return out;
}

describe('the classifier features of the Frechet distance', () => {
  it('give the closed-form Frechet distance of two Gaussians when the features are linear', async () => {
    // Layer 0 = I with bias 50 keeps the ReLU inactive on these samples; layer 1 = diag(2, 1/2):
    // the features are A (x + 50), so FD = sum_k a_k^2 ((m1_k - m2_k)^2 + (s1_k - s2_k)^2)
    // (s = standard deviations), here 4 (1 + 1/4) + 1/4 (4 + 1) = 6.25.
    const classifier = createImageClassifier({ sizes: [2, 2, 2, 3], seed: 0 });
    const before = tf.memory().numTensors;
    try {
      classifier.setWeights([
        { name: 'layer0.weight', shape: [2, 2], data: Float32Array.of(1, 0, 0, 1) },
        { name: 'layer0.bias', shape: [2], data: Float32Array.of(50, 50) },
        { name: 'layer1.weight', shape: [2, 2], data: Float32Array.of(2, 0, 0, 0.5) },
        { name: 'layer1.bias', shape: [2], data: Float32Array.of(0, 0) },
        { name: 'layer2.weight', shape: [2, 3], data: new Float32Array(6) },
        { name: 'layer2.bias', shape: [3], data: new Float32Array(3) },
      ]);
      const n = 40_000;
      const x = gaussian(n, [0, 0], [1, 4], 1);
      const y = gaussian(n, [1, -2], [0.25, 1], 2);
      const result = await featureFrechetDistance({
        x,
        y,
        d: 2,
        featureMap: classifier.featureMap,
      });
      const closedForm = 4 * (1 + 0.25) + 0.25 * (4 + 1);
      expect(result.distance).toBeGreaterThan(closedForm * 0.97);
      expect(result.distance).toBeLessThan(closedForm * 1.03);
      const same = await featureFrechetDistance({
        x,
        y: gaussian(n, [0, 0], [1, 4], 3),
        d: 2,
        featureMap: classifier.featureMap,
      });
      expect(same.distance).toBeLessThan(0.02);
      expect(tf.memory().numTensors).toBe(before);
    } finally {
      classifier.dispose();
    }
  });

  it('predicts the class of the largest logit', async () => {
    const classifier = createImageClassifier({ sizes: [2, 2, 2, 2], seed: 0 });
    try {
      classifier.setWeights([
        { name: 'layer0.weight', shape: [2, 2], data: Float32Array.of(1, 0, 0, 1) },
        { name: 'layer0.bias', shape: [2], data: Float32Array.of(0, 0) },
        { name: 'layer1.weight', shape: [2, 2], data: Float32Array.of(1, 0, 0, 1) },
        { name: 'layer1.bias', shape: [2], data: Float32Array.of(0, 0) },
        { name: 'layer2.weight', shape: [2, 2], data: Float32Array.of(1, 0, 0, 1) },
        { name: 'layer2.bias', shape: [2], data: Float32Array.of(0, 0) },
      ]);
      const images = Float32Array.of(3, 1, 0, 2, 5, 4);
      const accuracy = await classifierAccuracy({
        classifier,
        images,
        labels: Int32Array.of(0, 1, 1),
      });
      expect(accuracy).toBeCloseTo(2 / 3, 12);
    } finally {
      classifier.dispose();
    }
  });
});
