import * as tf from '@tensorflow/tfjs';
import type { VelocityModel } from '../model/velocity-model.js';
import type { AdamOptimizer } from '../optim/adam-optimizer.js';

/**
 * @internal The gradient of the flow-matching loss over `count` rows of a batch of `total`
 * examples, in micro-batches of at most `microBatchSize` whose gradients are summed:
 *
 *     L_part(theta) = 1 / (total d) sum_{k in rows} || u_k - v_theta(x_k, t_k) ||^2,
 *
 * each micro-batch contributing its squared errors divided by the full `total d`, so that the
 * parts of a batch (micro-batches here, the shards of data-parallel replicas) add up to the
 * gradient of the whole batch's loss. Returns the gradients (parameter order) and `L_part` as
 * tensors that the caller disposes.
 */
export function accumulateGradients({
  model,
  xt,
  t,
  velocity,
  count,
  total,
  microBatchSize,
}: {
  readonly model: VelocityModel;
  readonly xt: Float32Array;
  readonly t: Float32Array;
  readonly velocity: Float32Array;
  /** Rows in `xt`, `t`, `velocity`. */
  readonly count: number;
  /** Examples of the whole batch (the loss's normaliser). */
  readonly total: number;
  readonly microBatchSize: number;
}): { readonly gradients: tf.Tensor[]; readonly loss: tf.Scalar } {
  const { d } = model;
  const scale = 1 / (total * d);
  const parameters = [...model.parameters];
  let gradients: tf.Tensor[] | null = null;
  let loss: tf.Scalar | null = null;
  try {
    for (let start = 0; start < count; start += microBatchSize) {
      const rows = Math.min(microBatchSize, count - start);
      const part = tf.tidy(() => {
        const x = tf.tensor2d(xt.subarray(start * d, (start + rows) * d), [rows, d]);
        const times = tf.tensor2d(t.subarray(start, start + rows), [rows, 1]);
        const target = tf.tensor2d(velocity.subarray(start * d, (start + rows) * d), [rows, d]);
        const objective = (...weights: tf.Tensor[]): tf.Scalar =>
          tf.mul(
            tf.sum(tf.square(tf.sub(model.apply({ x, t: times, parameters: weights }), target))),
            scale,
          );
        return tf.valueAndGrads(objective)(parameters);
      });
      if (gradients === null || loss === null) {
        gradients = part.grads;
        loss = part.value;
        continue;
      }
      const previous: tf.Tensor[] = gradients;
      const previousLoss: tf.Scalar = loss;
      gradients = tf.tidy(() =>
        previous.map((gradient, index) => tf.add(gradient, part.grads[index] as tf.Tensor)),
      );
      loss = tf.add(previousLoss, part.value) as tf.Scalar;
      tf.dispose([...previous, previousLoss, ...part.grads, part.value]);
    }
    if (gradients === null || loss === null) {
      // No rows (a replica whose shard is empty): zero gradients, zero loss.
      gradients = parameters.map((parameter) => tf.zerosLike(parameter));
      loss = tf.scalar(0);
    }
    return { gradients, loss };
  } catch (error) {
    if (gradients !== null) tf.dispose(gradients);
    if (loss !== null) loss.dispose();
    throw error;
  }
}

/**
 * @internal One optimizer step of the flow-matching loss on a batch of `count` examples, in
 * micro-batches of at most `microBatchSize` whose gradients are summed before the update:
 *
 *     L(theta) = 1 / (count d) sum_k || u_k - v_theta(x_k, t_k) ||^2,
 *
 * (see {@link accumulateGradients}). Returns L; leaves no tensor.
 */
export async function gradientStep({
  model,
  optimizer,
  xt,
  t,
  velocity,
  count,
  microBatchSize,
}: {
  readonly model: VelocityModel;
  readonly optimizer: AdamOptimizer;
  readonly xt: Float32Array;
  readonly t: Float32Array;
  readonly velocity: Float32Array;
  readonly count: number;
  readonly microBatchSize: number;
}): Promise<number> {
  const { gradients, loss } = accumulateGradients({
    model,
    xt,
    t,
    velocity,
    count,
    total: count,
    microBatchSize,
  });
  try {
    optimizer.update(gradients);
    return ((await loss.data()) as Float32Array)[0] as number;
  } finally {
    tf.dispose(gradients);
    loss.dispose();
  }
}
