import { InvalidArgumentError } from '@sinkflow/core';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  createAdamOptimizer,
  createMlpVelocityModel,
  defaultTimeFrequencies,
  fourierTimeFeatures,
  mlpVelocityModelFromConfig,
  trainWithAdam,
} from '../src/index.js';
import { useCpuBackend } from './helpers.js';

beforeAll(useCpuBackend);

describe('createMlpVelocityModel', () => {
  it("has the paper's defaults: 5 hidden layers, width 512 (d <= 64) or 1024, d/8 frequencies", () => {
    const small = createMlpVelocityModel({ d: 32 });
    const shapes = small.parameters.map((parameter) => parameter.shape);
    // input [x, cos(pi k t), sin(pi k t)] of width 32 + 2 * 4
    expect(shapes[0]).toEqual([40, 512]);
    expect(shapes).toHaveLength(12);
    expect(shapes.at(-2)).toEqual([512, 32]);
    expect(small.config).toMatchObject({ hiddenLayers: 5, width: 512, timeFrequencies: 4 });
    small.dispose();
    expect(defaultTimeFrequencies(128)).toBe(16);
    expect(defaultTimeFrequencies(4)).toBe(1);
    const large = createMlpVelocityModel({ d: 128, hiddenLayers: 1 });
    expect(large.config.width).toBe(1024);
    large.dispose();
  });

  it('is initialised from its seed, U(-1/sqrt(fan_in), 1/sqrt(fan_in))', async () => {
    const a = createMlpVelocityModel({ d: 3, hiddenLayers: 2, width: 16, seed: 7 });
    const b = createMlpVelocityModel({ d: 3, hiddenLayers: 2, width: 16, seed: 7 });
    const c = createMlpVelocityModel({ d: 3, hiddenLayers: 2, width: 16, seed: 8 });
    const [wa, wb, wc] = await Promise.all([a.getWeights(), b.getWeights(), c.getWeights()]);
    expect(wa.map((w) => Array.from(w.data))).toEqual(wb.map((w) => Array.from(w.data)));
    expect(Array.from(wa[0]?.data ?? [])).not.toEqual(Array.from(wc[0]?.data ?? []));
    const first = wa[0]?.data ?? new Float32Array();
    const bound = 1 / Math.sqrt(3 + 2);
    expect(Math.max(...first.map(Math.abs))).toBeLessThanOrEqual(bound);
    expect(Math.max(...first.map(Math.abs))).toBeGreaterThan(0.8 * bound);
    for (const model of [a, b, c]) model.dispose();
  });

  it('encodes time with cos(pi k t), sin(pi k t), one-to-one on [0, 1]', () => {
    const features = tf.tidy(() =>
      fourierTimeFeatures(tf.tensor2d([[0], [0.5], [1]]), 2).arraySync(),
    );
    const expected = [
      [1, 1, 0, 0],
      [Math.cos(Math.PI / 2), Math.cos(Math.PI), 1, Math.sin(Math.PI)],
      [-1, 1, Math.sin(Math.PI), Math.sin(2 * Math.PI)],
    ];
    features.forEach((row, i) => {
      row.forEach((value, j) => {
        expect(value).toBeCloseTo(expected[i]?.[j] as number, 6);
      });
    });
  });

  it('predict matches apply, leaves no tensor, and checks its input', async () => {
    const model = createMlpVelocityModel({ d: 2, hiddenLayers: 2, width: 8, seed: 1 });
    const before = tf.memory().numTensors;
    const x = Float32Array.of(0.5, -1, 2, 0.25);
    const viaPredict = await model.predict({ x, t: Float32Array.of(0.1, 0.9) });
    const viaApply = tf.tidy(() =>
      model.apply({ x: tf.tensor2d(x, [2, 2]), t: tf.tensor2d([[0.1], [0.9]]) }).dataSync(),
    );
    expect(Array.from(viaPredict)).toEqual(Array.from(viaApply));
    expect(tf.memory().numTensors).toBe(before);
    await expect(model.predict({ x: new Float32Array(3), t: 0 })).rejects.toThrowError(/'x'/);
    model.dispose();
  });

  it("gradients equal TensorFlow.js's own (the dense layers use a hand-written gradient)", () => {
    const model = createMlpVelocityModel({ d: 3, hiddenLayers: 2, width: 6, seed: 4 });
    const x = tf.tensor2d([0.3, -1, 2, 1, 0.5, -0.2], [2, 3]);
    const t = tf.tensor2d([[0.2], [0.7]]);
    const reference = (...weights: tf.Tensor[]): tf.Scalar =>
      tf.tidy(() => {
        let h: tf.Tensor = tf.concat([x, fourierTimeFeatures(t, 1)], 1);
        for (let layer = 0; layer < 3; layer += 1) {
          h = tf.add(
            tf.matMul(h, weights[2 * layer] as tf.Tensor),
            weights[2 * layer + 1] as tf.Tensor,
          );
          if (layer < 2) h = tf.mul(h, tf.sigmoid(h));
        }
        return tf.sum(tf.square(h));
      });
    const ours = (...weights: tf.Tensor[]): tf.Scalar =>
      tf.sum(tf.square(model.apply({ x, t, parameters: weights })));
    const expected = tf
      .grads(reference)([...model.parameters])
      .map((g) => Array.from(g.dataSync()));
    const actual = tf
      .grads(ours)([...model.parameters])
      .map((g) => Array.from(g.dataSync()));
    actual.forEach((gradient, index) => {
      gradient.forEach((value, k) => {
        expect(value).toBeCloseTo(expected[index]?.[k] as number, 5);
      });
    });
    model.dispose();
  });

  it('rebuilds from its config and weights', async () => {
    const model = createMlpVelocityModel({ d: 2, hiddenLayers: 1, width: 4, activation: 'tanh' });
    const copy = mlpVelocityModelFromConfig({ config: model.config, seed: 99 });
    copy.setWeights(await model.getWeights());
    const x = Float32Array.of(1, 2);
    expect(await copy.predict({ x, t: 0.3 })).toEqual(await model.predict({ x, t: 0.3 }));
    expect(() => copy.setWeights([])).toThrowError(InvalidArgumentError);
    expect(() => createMlpVelocityModel({ d: 2, activation: 'gelu' as 'relu' })).toThrowError(
      /'activation'/,
    );
    model.dispose();
    copy.dispose();
  });
});

describe('createAdamOptimizer', () => {
  it('first step moves each weight by lr g / (|g| + eps) (closed form of Adam at step 1)', async () => {
    const weight = tf.variable(tf.tensor1d([1, -2, 3]));
    const adam = createAdamOptimizer({ parameters: [weight], learningRate: 0.1 });
    const gradient = tf.tensor1d([0.5, -4, 0]);
    adam.update([gradient]);
    const after = Array.from(await weight.data());
    const g = [0.5, -4, 0];
    [1, -2, 3].forEach((start, index) => {
      const gi = g[index] as number;
      expect(after[index]).toBeCloseTo(start - (0.1 * gi) / (Math.abs(gi) + 1e-8), 6);
    });
    const state = await adam.getState();
    expect(state.step).toBe(1);
    expect(Array.from(state.firstMoments[0] ?? [])).toEqual(
      Array.from(Float32Array.of(0.05, -0.4, 0)),
    );
    expect(() => createAdamOptimizer({ parameters: [weight], beta1: 1 })).toThrowError(/'beta1'/);
    adam.dispose();
    weight.dispose();
    gradient.dispose();
  });
});

describe('trainWithAdam', () => {
  it('takes one Adam step per batch, records the loss before it, and leaves no tensor', async () => {
    const weight = tf.variable(tf.tensor1d([0]));
    const before = tf.memory().numTensors;
    const drawn: number[] = [];
    const steps: number[] = [];
    const { lossHistory, seconds } = await trainWithAdam({
      parameters: [weight],
      steps: 200,
      optimizer: { learningRate: 0.1 },
      draw: async (step) => {
        drawn.push(step);
        return Float32Array.of(1, 2, 3);
      },
      loss: (data) => {
        const x = tf.tensor1d(data);
        return ([w]) => tf.mean(tf.square(tf.sub(x, w as tf.Tensor))) as tf.Scalar;
      },
      onStep: (step) => steps.push(step),
    });
    expect(tf.memory().numTensors).toBe(before);
    expect(drawn).toEqual(Array.from({ length: 200 }, (_, step) => step));
    expect(steps.at(-1)).toBe(200);
    // L(w) = mean((x - w)^2) = 14/3 at w = 0; its minimum 2/3 at the mean w = 2.
    expect(lossHistory[0]).toBeCloseTo(14 / 3, 5);
    expect(lossHistory[199]).toBeLessThan(2 / 3 + 1e-3);
    expect((await weight.data())[0]).toBeCloseTo(2, 2);
    expect(seconds).toBeGreaterThan(0);
    weight.dispose();
  });
});
