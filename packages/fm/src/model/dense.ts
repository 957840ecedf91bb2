import * as tf from '@tensorflow/tfjs';

/**
 * `y = h W + b` with a hand-written gradient that uses only plain matrix products of
 * explicitly transposed operands:
 *
 *     dL/dh = dy W^T,   dL/dW = h^T dy,   dL/db = 1^T dy.
 *
 * TensorFlow.js's own gradient of `matMul` asks for `transposeA` / `transposeB` products, which
 * the wasm backend runs about 25 times slower than a transpose followed by a plain product
 * (measured at 2048 x 512 x 512); the cpu backend is indifferent.
 */
const denseWithGradient = tf.customGrad((...inputs) => {
  const [h, weight, bias, save] = inputs as [
    tf.Tensor2D,
    tf.Tensor2D,
    tf.Tensor1D,
    tf.GradSaveFunc,
  ];
  save([h, weight]);
  return {
    value: tf.add(tf.matMul(h, weight), bias),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [input, kernel] = saved as [tf.Tensor2D, tf.Tensor2D];
      return [
        tf.matMul(dy as tf.Tensor2D, tf.transpose(kernel)),
        tf.matMul(tf.transpose(input), dy as tf.Tensor2D),
        // 1^T dy as a product: the wasm backend's column sum is 50 times slower.
        tf.reshape(tf.matMul(tf.ones([1, dy.shape[0] as number]), dy as tf.Tensor2D), [
          dy.shape[1] as number,
        ]),
      ];
    },
  };
});

/**
 * @internal A dense layer `y = h W + b` for `h: [batch, in]`, `W: [in, out]`, `b: [out]`, whose gradient
 * uses only plain products of explicitly transposed operands:
 *
 *   dL/dh = dy W^T,   dL/dW = h^T dy,   dL/db = 1^T dy (as a product).
 *
 * Same values as `tf.add(tf.matMul(h, W), b)`; its backward pass avoids the `transposeA` /
 * `transposeB` products that TensorFlow.js's wasm backend runs several times slower
 * (docs/performance.md) [smilkov2019]. Internal: the layers of {@link applyDenseStack}, the MLP
 * of the velocity model and of `@sinkflow/scones`.
 *
 * @example
 * ```ts
 * const y = dense(tf.ones([4, 3]), tf.ones([3, 2]), tf.zeros([2])); // [[3, 3], x4]
 * ```
 */
export function dense(h: tf.Tensor2D, weight: tf.Tensor2D, bias: tf.Tensor1D): tf.Tensor2D {
  return denseWithGradient(h, weight, bias) as tf.Tensor2D;
}
