import { InvalidArgumentError } from '@sinkflow/core';
import * as tf from '@tensorflow/tfjs';
import type { NamedWeight } from './velocity-model.js';

/**
 * Copies a model's parameters out as {@link NamedWeight}s (row-major float32), in order: what
 * checkpoints store. Shared by every tfjs model of sinkflow (fm's velocity MLP, scones' networks).
 *
 * @example
 * ```ts
 * const weights = await readNamedWeights(parameters, ['layer0.weight', 'layer0.bias']);
 * ```
 */
export async function readNamedWeights(
  parameters: readonly tf.Variable[],
  names: readonly string[],
): Promise<readonly NamedWeight[]> {
  return Promise.all(
    parameters.map(async (parameter, index) => ({
      name: names[index] as string,
      shape: [...parameter.shape],
      data: Float32Array.from((await parameter.data()) as Float32Array),
    })),
  );
}

/**
 * Assigns {@link NamedWeight}s to a model's parameters after checking that every one has the
 * parameter's name and shape (all are checked before any is assigned, so a bad list changes
 * nothing).
 *
 * @throws {@link InvalidArgumentError} naming `weights` or `weights[i]`.
 * @example
 * ```ts
 * assignNamedWeights('MyModel.setWeights', parameters, names, await other.getWeights());
 * ```
 */
export function assignNamedWeights(
  functionName: string,
  parameters: readonly tf.Variable[],
  names: readonly string[],
  weights: readonly NamedWeight[],
): void {
  if (!Array.isArray(weights) || weights.length !== parameters.length) {
    throw new InvalidArgumentError({
      functionName,
      argumentName: 'weights',
      message: `must hold ${parameters.length} arrays`,
      value: weights,
    });
  }
  parameters.forEach((parameter, index) => {
    const weight = weights[index] as NamedWeight;
    const name = names[index] as string;
    if (
      weight?.name !== name ||
      weight.data?.length !== parameter.size ||
      weight.shape?.join('x') !== parameter.shape.join('x')
    ) {
      throw new InvalidArgumentError({
        functionName,
        argumentName: `weights[${index}]`,
        message: `must be '${name}' of shape [${parameter.shape.join(', ')}]`,
        value: weight?.name,
      });
    }
  });
  tf.tidy(() => {
    parameters.forEach((parameter, index) => {
      parameter.assign(tf.tensor((weights[index] as NamedWeight).data, parameter.shape));
    });
  });
}
