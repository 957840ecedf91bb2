import * as tf from '@tensorflow/tfjs';

/**
 * @internal `y = h W + b` with a hand-written gradient that uses only plain matrix products of
 * explicitly transposed operands (the same trick as `@sinkflow/fm`'s dense layer):
 *
 *     dL/dh = dy W^T,   dL/dW = h^T dy,   dL/db = 1^T dy.
 *
 * TensorFlow.js's own gradient of `matMul` asks for `transposeA` / `transposeB` products, which
 * the wasm backend runs far slower than a transpose followed by a plain product.
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
        // 1^T dy as a product: the wasm backend's column sum is much slower.
        tf.reshape(tf.matMul(tf.ones([1, dy.shape[0] as number]), dy as tf.Tensor2D), [
          dy.shape[1] as number,
        ]),
      ];
    },
  };
});

/** @internal `h W + b` for `h: [batch, in]`, `W: [in, out]`, `b: [out]`. */
export function dense(h: tf.Tensor2D, weight: tf.Tensor2D, bias: tf.Tensor1D): tf.Tensor2D {
  return denseWithGradient(h, weight, bias) as tf.Tensor2D;
}
