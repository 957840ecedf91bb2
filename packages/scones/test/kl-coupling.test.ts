import { createRandomGenerator } from '@sinkflow/core';
import { entropicGaussianCoupling } from '@sinkflow/ot';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type DualTrainingResult,
  gaussianTargetScore,
  klRegularizer,
  sampleConditional,
  trainBarycentricProjection,
  trainDenoisingScoreModel,
  trainDualPotentials,
} from '../src/index.js';
import {
  benchmark2d,
  closedFormConditional,
  expectNoTensorLeak,
  gaussianSamplers,
  moments2,
  useFastBackend,
  windowMean,
} from './helpers.js';

// The synthetic study's setting at d = 2 [daniels2021, Sec. 5.2]: cost ||x - y||^2, lambda = 2d.
const d = 2;
const lambda = 2 * d;
const { source, target } = gaussianSamplers(benchmark2d);
const zeros = new Float64Array(d);
const closedForm = (epsilon: number) =>
  entropicGaussianCoupling({
    mean1: zeros,
    covariance1: benchmark2d.sourceCovariance,
    mean2: zeros,
    covariance2: benchmark2d.targetCovariance,
    epsilon,
  });

let trained: DualTrainingResult;
let tensorsBefore = 0;

beforeAll(async () => {
  await useFastBackend();
  tensorsBefore = tf.memory().numTensors;
  trained = await trainDualPotentials({
    source,
    target,
    regularizer: klRegularizer({ lambda }),
    steps: 500,
    batchSize: 128,
    hiddenLayers: 2,
    width: 32,
    optimizer: { learningRate: 3e-3 },
    seed: 0,
  });
}, 120_000);

afterAll(() => {
  trained?.coupling.dispose();
});

describe('trainDualPotentials (KL, d = 2, lambda = 2d)', () => {
  it('increases the dual objective to a plateau', () => {
    const history = trained.objectiveHistory;
    expect(history).toHaveLength(500);
    expect(history.every(Number.isFinite)).toBe(true);
    // From about 0 (zero-ish potentials) to the optimum (about 3.5) within the first tenth.
    const first = windowMean(history, 0, 0.02);
    const middle = windowMean(history, 0.5, 0.7);
    const late = windowMean(history, 0.7, 0.85);
    const last = windowMean(history, 0.85, 1);
    expect(last).toBeGreaterThan(first + 2);
    expect(middle).toBeGreaterThan(windowMean(history, 0, 0.1));
    // Plateau: the last two windows agree to 2% of the objective (minibatch noise is about 1%).
    expect(Math.abs(last - late)).toBeLessThan(0.02 * Math.abs(last));
  });

  it('plateaus at the closed-form entropic cost with epsilon = lambda (not lambda / 2 or 2 lambda)', async () => {
    // Strong duality [daniels2021, Prop. 2.4]: max J = min E||x - y||^2 + lambda KL(pi | mu x nu),
    // which is entropicGaussianCoupling's cost at epsilon = lambda (its cost is ||x - y||^2 too).
    const random = createRandomGenerator({ seed: 11 });
    const x = await source.sample({ count: 1500, random });
    const y = await target.sample({ count: 1500, random });
    const held = await trained.coupling.dualObjective({ x, y });
    const exact = closedForm(lambda).cost;
    expect(Math.abs(held - exact)).toBeLessThan(0.02 * exact);
    expect(Math.abs(windowMean(trained.objectiveHistory, 0.85, 1) - exact)).toBeLessThan(
      0.02 * exact,
    );
    for (const wrong of [lambda / 2, 2 * lambda])
      expect(Math.abs(held - closedForm(wrong).cost)).toBeGreaterThan(0.1 * exact);
  });

  it('has marginals that match the inputs: E_nu M(V(x, .)) = 1 and E_mu M(V(., y)) = 1 within 0.08', async () => {
    const random = createRandomGenerator({ seed: 12 });
    const x = await source.sample({ count: 1000, random });
    const y = await target.sample({ count: 1000, random });
    const ratios = await expectNoTensorLeak(() =>
      trained.coupling.marginalRatios({ x, y, blockSize: 300 }),
    );
    const meanDeviation = (values: Float64Array) =>
      values.reduce((sum, value) => sum + Math.abs(value - 1), 0) / values.length;
    expect(Math.abs(ratios.mass - 1)).toBeLessThan(0.05);
    expect(meanDeviation(ratios.source)).toBeLessThan(0.08);
    expect(meanDeviation(ratios.target)).toBeLessThan(0.08);
    // Density weights reproduce the closed-form cross-covariance: E_pi[x y^T] = E_{mu x nu}[M(V) x y^T].
    const densities = await trained.coupling.density({ x, y });
    expect(densities.every((value) => value > 0)).toBe(true);
  });

  it('samples the closed-form conditional y | x by Langevin dynamics (Algorithm 2)', async () => {
    const targetScore = gaussianTargetScore({
      mean: zeros,
      covariance: benchmark2d.targetCovariance,
    });
    const count = 2000;
    for (const [index, point] of [
      [0, 0],
      [1.2, -0.8],
      [-1, -1.5],
    ].entries()) {
      const x = new Float32Array(count * d);
      for (let i = 0; i < count; i += 1) x.set(point as number[], i * d);
      const y = await expectNoTensorLeak(() =>
        sampleConditional({
          coupling: trained.coupling,
          targetScore,
          x,
          stepsPerLevel: 400,
          stepSize: 0.02,
          seed: index,
        }),
      );
      const expected = closedFormConditional(benchmark2d, lambda, point as number[]);
      const actual = moments2(y);
      // Statistical tolerance: 4 standard errors of the mean (sd / sqrt(n)) plus 0.1 sd for the
      // learned potentials; covariance entries within 10% of the trace (sampling error about 3%).
      const trace = (expected.covariance[0] as number) + (expected.covariance[3] as number);
      for (let j = 0; j < d; j += 1) {
        const sd = Math.sqrt(expected.covariance[j * 3] as number);
        expect(Math.abs((actual.mean[j] as number) - (expected.mean[j] as number))).toBeLessThan(
          (4 * sd) / Math.sqrt(count) + 0.1 * sd,
        );
      }
      for (let k = 0; k < 4; k += 1)
        expect(
          Math.abs((actual.covariance[k] as number) - (expected.covariance[k] as number)),
        ).toBeLessThan(0.1 * trace);
    }
    targetScore.dispose();
  });

  it('samples it by annealed Langevin with a denoising-score-matching target score', async () => {
    // The target known only by samples: s_theta from DSM at noise levels 0.5 > 0.25 > 0.1, then
    // annealed Langevin [song2019] with the compatibility term at every level (Algorithm 2).
    const noiseLevels = [0.5, 0.25, 0.1];
    const { score } = await trainDenoisingScoreModel({
      target,
      noiseLevels,
      steps: 800,
      batchSize: 256,
      hiddenLayers: 2,
      width: 32,
      optimizer: { learningRate: 3e-3 },
      seed: 2,
    });
    const count = 2000;
    const point = [1.2, -0.8];
    const x = new Float32Array(count * d);
    for (let i = 0; i < count; i += 1) x.set(point, i * d);
    const y = await expectNoTensorLeak(() =>
      sampleConditional({
        coupling: trained.coupling,
        targetScore: score,
        x,
        noiseLevels,
        stepsPerLevel: 200,
        stepSize: 0.02,
        seed: 7,
      }),
    );
    score.dispose();
    const expected = closedFormConditional(benchmark2d, lambda, point);
    const actual = moments2(y);
    // Looser than with the exact score: the learned score and the last level's smoothing
    // (variance + 0.1^2) add errors; still far from the unconditional N(0, S1).
    const trace = (expected.covariance[0] as number) + (expected.covariance[3] as number);
    for (let j = 0; j < d; j += 1)
      expect(Math.abs((actual.mean[j] as number) - (expected.mean[j] as number))).toBeLessThan(
        0.15,
      );
    for (let k = 0; k < 4; k += 1)
      expect(
        Math.abs((actual.covariance[k] as number) - (expected.covariance[k] as number)),
      ).toBeLessThan(0.15 * trace);
  });

  it('trains a barycentric projection close to the conditional mean E_pi[y | x]', async () => {
    const { map, lossHistory } = await trainBarycentricProjection({
      coupling: trained.coupling,
      source,
      target,
      steps: 300,
      batchSize: 128,
      hiddenLayers: 2,
      width: 32,
      optimizer: { learningRate: 3e-3 },
      seed: 1,
    });
    expect(windowMean(lossHistory, 0.8, 1)).toBeLessThan(windowMean(lossHistory, 0, 0.1));
    const points = [0.5, 0.5, -1, 1, 1.5, -0.5];
    const images = await map.predict(Float32Array.from(points));
    for (let row = 0; row < 3; row += 1) {
      const expected = closedFormConditional(
        benchmark2d,
        lambda,
        points.slice(2 * row, 2 * row + 2),
      );
      for (let j = 0; j < d; j += 1)
        expect(
          Math.abs((images[2 * row + j] as number) - (expected.mean[j] as number)),
        ).toBeLessThan(0.15);
    }
    map.dispose();
  });

  it('rejects bad arguments, naming them', async () => {
    const { coupling } = trained;
    const x = Float32Array.of(0, 0, 1, 1);
    await expect(coupling.marginalRatios({ x, y: x, blockSize: 0 })).rejects.toThrowError(
      /'blockSize'/,
    );
    await expect(coupling.density({ x, y: Float32Array.of(0, 0) })).rejects.toThrowError(/'y'/);
    await expect(coupling.dualObjective({ x: new Float32Array(3), y: x })).rejects.toThrowError(
      /'x'/,
    );
    const targetScore = gaussianTargetScore({ mean: [0], covariance: [1] });
    await expect(sampleConditional({ coupling, targetScore, x })).rejects.toThrowError(
      /'targetScore.d'/,
    );
    targetScore.dispose();
    const score2 = gaussianTargetScore({ mean: zeros, covariance: benchmark2d.targetCovariance });
    await expect(
      sampleConditional({ coupling, targetScore: score2, x, noiseLevels: [0.1, 1] }),
    ).rejects.toThrowError(/'noiseLevels'/);
    await expect(
      sampleConditional({ coupling, targetScore: score2, x, initial: new Float32Array(2) }),
    ).rejects.toThrowError(/'initial'/);
    await expect(
      sampleConditional({ coupling, targetScore: score2, x, stepSize: 0 }),
    ).rejects.toThrowError(/'stepSize'/);
    score2.dispose();
    await expect(
      trainDualPotentials({
        source,
        target: { d: 3, sample: () => new Float32Array(3) },
        regularizer: klRegularizer({ lambda }),
      }),
    ).rejects.toThrowError(/'target.d'/);
  });

  it('leaves no tensor behind but the two networks', () => {
    const owned = trained.coupling.phi.parameters.length + trained.coupling.psi.parameters.length;
    expect(tf.memory().numTensors - tensorsBefore).toBe(owned);
  });
});
