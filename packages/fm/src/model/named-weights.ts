import { createRandomGenerator, InvalidArgumentError } from '@sinkflow/core';
import * as tf from '@tensorflow/tfjs';
import type { NamedWeight } from './velocity-model.js';

/**
 * Copies a model's parameters out as {@link NamedWeight}s (row-major float32), in order: what
 * checkpoints store. @internal The weights of {@link DenseStack}, the base of every tfjs model.
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

/**
 * The parameters of a stack of dense layers of the given sizes (`sizes[0]` inputs, then each
 * layer's outputs), named `layer{k}.weight` (`[in, out]`) and `layer{k}.bias` (`[out]`), drawn
 * from `U(-1/sqrt(fan_in), 1/sqrt(fan_in))` as PyTorch's `nn.Linear` does [paszke2019], with the
 * Philox generator of `@sinkflow/core`: the same seed gives the same model everywhere.
 *
 * @example
 * ```ts
 * const { parameters, names } = createDenseParameters([34, 256, 256, 32], 0);
 * names; // ['layer0.weight', 'layer0.bias', 'layer1.weight', ...]
 * ```
 */
export function createDenseParameters(
  sizes: readonly number[],
  seed: number,
): { readonly parameters: tf.Variable[]; readonly names: string[] } {
  const random = createRandomGenerator({ seed });
  const parameters: tf.Variable[] = [];
  const names: string[] = [];
  for (let layer = 0; layer + 1 < sizes.length; layer += 1) {
    const fanIn = sizes[layer] as number;
    const fanOut = sizes[layer + 1] as number;
    const bound = 1 / Math.sqrt(fanIn);
    const draw = (length: number): Float32Array => {
      const values = random.fillUniform(new Float32Array(length));
      for (let k = 0; k < length; k += 1) values[k] = (2 * (values[k] as number) - 1) * bound;
      return values;
    };
    const weights = draw(fanIn * fanOut);
    const biases = draw(fanOut);
    // Variables survive tf.tidy; the initial-value tensors do not (they are copied).
    parameters.push(tf.tidy(() => tf.variable(tf.tensor2d(weights, [fanIn, fanOut]))));
    names.push(`layer${layer}.weight`);
    parameters.push(tf.tidy(() => tf.variable(tf.tensor1d(biases))));
    names.push(`layer${layer}.bias`);
  }
  return { parameters, names };
}
