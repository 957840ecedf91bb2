import type { RandomGenerator } from '@sinkflow/core';
import {
  type AdamOptions,
  type DistributionSampler,
  drawPoints,
  trainWithAdam,
} from '@sinkflow/fm';
import * as tf from '@tensorflow/tfjs';

/**
 * @internal The minibatch loop of Algorithm 1 [daniels2021] and of the barycentric projection
 * [seguy2018] on fm's {@link trainWithAdam}: each step draws `batchSize` points of `source` (stream
 * 1 of `random`) and of `target` (stream 2), as `x` and `y` tensors, and takes one Adam step on
 * `loss(x, y)`. Errors of the samplers name `functionName` and `source` or `target`.
 */
export async function trainOnPairBatches({
  source,
  target,
  random,
  batchSize,
  functionName,
  parameters,
  steps,
  optimizer,
  loss,
  onStep,
}: {
  readonly source: DistributionSampler;
  readonly target: DistributionSampler;
  readonly random: RandomGenerator;
  readonly batchSize: number;
  readonly functionName: string;
  readonly parameters: readonly tf.Variable[];
  readonly steps: number;
  readonly optimizer: AdamOptions;
  readonly loss: (
    x: tf.Tensor2D,
    y: tf.Tensor2D,
  ) => (parameters: readonly tf.Tensor[]) => tf.Scalar;
  readonly onStep: (step: number, loss: number) => void;
}): Promise<{ readonly lossHistory: Float64Array; readonly seconds: number }> {
  const sourceRandom = random.split(1);
  const targetRandom = random.split(2);
  return trainWithAdam({
    parameters,
    steps,
    optimizer,
    draw: async () => ({
      xs: await drawPoints(source, {
        d: source.d,
        count: batchSize,
        random: sourceRandom,
        functionName,
        argumentName: 'source',
      }),
      ys: await drawPoints(target, {
        d: target.d,
        count: batchSize,
        random: targetRandom,
        functionName,
        argumentName: 'target',
      }),
    }),
    loss: ({ xs, ys }) =>
      loss(tf.tensor2d(xs, [batchSize, source.d]), tf.tensor2d(ys, [batchSize, target.d])),
    onStep,
  });
}
