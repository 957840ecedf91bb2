import { createRandomGenerator, InvalidArgumentError, requireInteger } from '@sinkflow/core';
import {
  type Activation,
  type AdamOptions,
  type DistributionSampler,
  drawPoints,
  requireSampler,
  trainWithAdam,
} from '@sinkflow/fm';
import * as tf from '@tensorflow/tfjs';
import { createMlpNetwork, type MlpNetwork } from '../network/mlp-network.js';
import type { TargetScore } from './target-score.js';

/** Options of {@link trainDenoisingScoreModel}. */
export interface TrainDenoisingScoreModelOptions {
  /** Samples of the target `nu`. */
  readonly target: DistributionSampler;
  /** Noise levels `tau_1 > ... > tau_N > 0` (geometric, as Song and Ermon [song2019]). */
  readonly noiseLevels: readonly number[];
  /** Optimizer steps. @default 2000 */
  readonly steps?: number;
  /** Target points per step (each with one level drawn uniformly). @default 256 */
  readonly batchSize?: number;
  /** Hidden layers. @default 3 */
  readonly hiddenLayers?: number;
  /** Width. @default 128 */
  readonly width?: number;
  /** Activation. @default 'silu' */
  readonly activation?: Activation;
  /** Adam [kingma2015]. @default { learningRate: 1e-3 } */
  readonly optimizer?: AdamOptions;
  /** Seeds the network, the points, the levels and the noise (Philox). @default 0 */
  readonly seed?: number;
  /** Called after every step with the (1-based) step and the minibatch loss. */
  readonly onStep?: (report: { readonly step: number; readonly loss: number }) => void;
}

/**
 * What {@link trainDenoisingScoreModel} returns: a {@link TargetScore} backed by the network.
 *
 * @example
 * ```ts
 * const { score, lossHistory } = await trainDenoisingScoreModel({ target, noiseLevels: [1, 0.5, 0.25] });
 * ```
 */
export interface DenoisingScoreModelResult {
  /** The learned score (its `dispose` frees the network); `score(y, 0)` uses the smallest level. */
  readonly score: TargetScore & {
    readonly network: MlpNetwork;
    readonly noiseLevels: readonly number[];
  };
  /** The minibatch loss before each update. */
  readonly lossHistory: Float64Array;
  readonly steps: number;
  readonly seconds: number;
}

/**
 * A noise-conditional score network for a target known only by samples, trained by denoising score
 * matching [vincent2011] at several noise levels [song2019] (the `s_theta` of SCONES [daniels2021,
 * Sec. 2.2]): with `s_theta(y, tau) = net([y, log tau]) / tau` (the `1 / tau` output scaling of
 * NCSNv2) and Song and Ermon's weighting `tau^2`, the loss
 *
 *     L = E_{tau ~ U(levels)} E_{y ~ nu, z ~ N(0, I)} 1/2 || net([y + tau z, log tau]) + z ||^2
 *
 * is minimised by `s_theta(., tau) = grad log (nu * N(0, tau^2 I))`. Use it with annealed Langevin
 * sampling ({@link sampleConditional} with the same `noiseLevels`). A query at a level outside the
 * training levels is answered by the network all the same (`tau = 0` is mapped to the smallest level).
 *
 * @throws {@link InvalidArgumentError} naming the option (noise levels that are not positive and
 * decreasing, counts that are not positive integers).
 * @example
 * ```ts
 * const { score } = await trainDenoisingScoreModel({ target, noiseLevels: [1, 0.5, 0.25, 0.1], steps: 2000 });
 * const y = await sampleConditional({ coupling, targetScore: score, x, noiseLevels: [1, 0.5, 0.25, 0.1], stepsPerLevel: 100 });
 * score.dispose();
 * ```
 */
export async function trainDenoisingScoreModel({
  target,
  noiseLevels,
  steps = 2000,
  batchSize = 256,
  hiddenLayers = 3,
  width = 128,
  activation = 'silu',
  optimizer = {},
  seed = 0,
  onStep,
}: TrainDenoisingScoreModelOptions): Promise<DenoisingScoreModelResult> {
  const functionName = 'trainDenoisingScoreModel';
  const nu = requireSampler(target, { functionName, argumentName: 'target' });
  if (
    !Array.isArray(noiseLevels) ||
    noiseLevels.length === 0 ||
    noiseLevels.some(
      (level, index) =>
        typeof level !== 'number' ||
        !(level > 0) ||
        !Number.isFinite(level) ||
        (index > 0 && !(level < (noiseLevels[index - 1] as number))),
    )
  ) {
    throw new InvalidArgumentError({
      functionName,
      argumentName: 'noiseLevels',
      message: 'must be a non-empty, strictly decreasing list of positive finite numbers',
      value: noiseLevels,
    });
  }
  requireInteger(steps, { functionName, argumentName: 'steps', minimum: 1 });
  requireInteger(batchSize, { functionName, argumentName: 'batchSize', minimum: 1 });
  requireInteger(seed, { functionName, argumentName: 'seed', minimum: 0 });
  const { d } = nu;
  const levels = Object.freeze([...noiseLevels]);
  const root = createRandomGenerator({ seed });
  const network = createMlpNetwork({
    inputDimension: d + 1,
    outputDimension: d,
    hiddenLayers,
    width,
    activation,
    seed: root.split(0).integer(2 ** 31),
  });
  const apply = (y: tf.Tensor2D, logTau: tf.Tensor2D, parameters?: readonly tf.Tensor[]) =>
    network.apply(tf.concat([y, logTau], 1) as tf.Tensor2D, parameters);
  try {
    const pointsRandom = root.split(1);
    const noiseRandom = root.split(2);
    const noise = new Float32Array(batchSize * d);
    const tau = new Float32Array(batchSize);
    const { lossHistory, seconds } = await trainWithAdam({
      parameters: network.parameters,
      steps,
      optimizer,
      draw: async () => {
        const ys = await drawPoints(nu, {
          d: nu.d,
          count: batchSize,
          random: pointsRandom,
          functionName,
          argumentName: 'target',
        });
        noiseRandom.fillNormal(noise);
        for (let i = 0; i < batchSize; i += 1)
          tau[i] = levels[noiseRandom.integer(levels.length)] as number;
        return ys;
      },
      loss: (ys) => {
        const z = tf.tensor2d(noise, [batchSize, d]);
        const scale = tf.tensor2d(tau, [batchSize, 1]);
        const noisy = tf.add(tf.tensor2d(ys, [batchSize, d]), tf.mul(z, scale)) as tf.Tensor2D;
        const logTau = tf.log(scale) as tf.Tensor2D;
        return (parameters) =>
          tf.div(tf.sum(tf.square(tf.add(apply(noisy, logTau, parameters), z))), 2 * batchSize);
      },
      onStep: (step, loss) => onStep?.({ step, loss }),
    });
    const smallest = levels.at(-1) as number;
    const score = Object.freeze({
      d,
      network,
      noiseLevels: levels,
      score(y: tf.Tensor2D, noiseLevel: number): tf.Tensor2D {
        const level = noiseLevel > 0 ? noiseLevel : smallest;
        return tf.tidy(() =>
          tf.div(apply(y, tf.fill([y.shape[0], 1], Math.log(level)) as tf.Tensor2D), level),
        ) as tf.Tensor2D;
      },
      dispose: () => network.dispose(),
    });
    return { score, lossHistory, steps, seconds };
  } catch (error) {
    network.dispose();
    throw error;
  }
}
