import * as tf from '@tensorflow/tfjs';

/**
 * @internal The cost `c(x_i, y_j) = ||x_i - y_j||^2` of every pair, `[n, m]`, as
 * `||x_i||^2 + ||y_j||^2 - 2 <x_i, y_j>` (one matrix product; rounding can make it slightly
 * negative for coincident points, which no formula here minds).
 */
export function pairwiseSquaredDistances(x: tf.Tensor2D, y: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => {
    const xx = tf.sum(tf.square(x), 1, true);
    const yy = tf.reshape(tf.sum(tf.square(y), 1), [1, y.shape[0]]);
    return tf.sub(tf.add(xx, yy), tf.mul(tf.matMul(x, tf.transpose(y)), 2)) as tf.Tensor2D;
  });
}

/** @internal `||x_i - y_i||^2` row by row, `[n, 1]`. */
export function rowSquaredDistances(x: tf.Tensor2D, y: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => tf.sum(tf.square(tf.sub(x, y)), 1, true));
}
