import { createRandomGenerator, InvalidArgumentError } from '@sinkflow/core';
import { DenseStack, type NamedWeight, trainWithAdam } from '@sinkflow/fm';
import type { FeatureMap } from '@sinkflow/metrics';
import * as tf from '@tensorflow/tfjs';

/** The layer sizes of the default classifier: 784 pixels, two ReLU layers, 10 classes. */
export const DEFAULT_CLASSIFIER_SIZES: readonly number[] = [784, 256, 128, 10];

/**
 * A small MLP classifier of images whose penultimate ReLU layer is the feature map of the Fréchet
 * distance (the role Inception-v3's pool3 plays in the FID [heusel2017], whose weights cannot be
 * fetched here): `h_0 = x`, `h_{l+1} = relu(h_l W_l + b_l)`, logits `h_{L-1} W_{L-1} + b_{L-1}`;
 * the features are `h_{L-1}` (`sizes.at(-2)` numbers per image).
 */
export interface ImageClassifier {
  /** `[inputs, hidden..., classes]`. */
  readonly sizes: readonly number[];
  /** The penultimate features, for `featureFrechetDistance` of `@sinkflow/metrics`. */
  readonly featureMap: FeatureMap;
  /** The trainable parameters (weights and biases of each layer). */
  readonly parameters: readonly tf.Variable[];
  /** Logits of a batch (`batch x classes`), inside the caller's `tf.tidy`. */
  logits(x: tf.Tensor2D, parameters?: readonly tf.Tensor[]): tf.Tensor2D;
  /** The most likely class of each of `batch` rows. */
  predict(x: Float32Array | Float64Array, batch: number): Promise<Int32Array>;
  getWeights(): Promise<readonly NamedWeight[]>;
  setWeights(weights: readonly NamedWeight[]): void;
  dispose(): void;
}

/**
 * Creates the classifier with seeded uniform `+-1/sqrt(fan_in)` weights (fm's `DenseStack`).
 *
 * @param options.sizes - `[inputs, hidden..., classes]`, at least one hidden layer.
 *   @default DEFAULT_CLASSIFIER_SIZES
 * @param options.seed - seed of the initial weights. @default 0
 * @throws {@link InvalidArgumentError} naming `sizes` without a hidden layer.
 * @example
 * ```ts
 * const classifier = createImageClassifier({ sizes: [784, 256, 128, 10], seed: 0 });
 * classifier.featureMap.featureDimension; // 128
 * ```
 */
export function createImageClassifier({
  sizes = DEFAULT_CLASSIFIER_SIZES,
  seed = 0,
}: {
  readonly sizes?: readonly number[];
  readonly seed?: number;
} = {}): ImageClassifier {
  if (
    !Array.isArray(sizes) ||
    sizes.length < 3 ||
    !sizes.every((size) => Number.isSafeInteger(size) && size >= 1)
  ) {
    throw new InvalidArgumentError({
      functionName: 'createImageClassifier',
      argumentName: 'sizes',
      message: 'must be [inputs, hidden..., classes] with at least one hidden layer',
      value: sizes,
    });
  }
  const stack = new DenseStack({ sizes, activation: 'relu', seed, name: 'createImageClassifier' });
  const inputs = sizes[0] as number;
  const featureLayers = 2 * (sizes.length - 2);
  const features = (x: tf.Tensor2D): tf.Tensor2D =>
    tf.relu(stack.forward(x, stack.parameters.slice(0, featureLayers)));
  const asTensor = (x: Float32Array | Float64Array, batch: number) =>
    tf.tensor2d(x instanceof Float32Array ? x : Float32Array.from(x), [batch, inputs]);
  return {
    sizes,
    parameters: stack.parameters,
    featureMap: {
      featureDimension: sizes.at(-2) as number,
      extract: async (x, batch) => {
        const out = tf.tidy(() => features(asTensor(x, batch)));
        try {
          return (await out.data()) as Float32Array;
        } finally {
          out.dispose();
        }
      },
    },
    logits: (x, parameters = stack.parameters) => stack.forward(x, parameters),
    predict: async (x, batch) => {
      const classes = tf.tidy(() => tf.argMax(stack.forward(asTensor(x, batch)), 1));
      try {
        return Int32Array.from((await classes.data()) as Int32Array);
      } finally {
        classes.dispose();
      }
    },
    getWeights: () => stack.getWeights(),
    setWeights: (weights) => stack.setWeights(weights),
    dispose: () => stack.dispose(),
  };
}

/**
 * Trains the classifier by Adam on the softmax cross-entropy `-log softmax(logits)_label`,
 * `epochs` passes over the images in a seeded order (a fresh permutation each epoch).
 *
 * @param options.images - `n x d` float32 images (row-major), `options.labels` their `n` classes.
 * @param options.epochs - @default 3
 * @param options.batchSize - @default 128
 * @param options.learningRate - @default 1e-3
 * @param options.seed - the order of the images. @default 0
 * @returns the mean loss of the last epoch and the seconds spent.
 * @example
 * ```ts
 * await trainImageClassifier({ classifier, images: train.images, labels: train.labels, epochs: 3 });
 * ```
 */
export async function trainImageClassifier({
  classifier,
  images,
  labels,
  epochs = 3,
  batchSize = 128,
  learningRate = 1e-3,
  seed = 0,
  onStep,
}: {
  readonly classifier: ImageClassifier;
  readonly images: Float32Array;
  readonly labels: Int32Array;
  readonly epochs?: number;
  readonly batchSize?: number;
  readonly learningRate?: number;
  readonly seed?: number;
  readonly onStep?: (step: number, total: number, loss: number) => void;
}): Promise<{ readonly finalLoss: number; readonly seconds: number }> {
  const d = classifier.sizes[0] as number;
  const classes = classifier.sizes.at(-1) as number;
  const n = labels.length;
  const stepsPerEpoch = Math.ceil(n / batchSize);
  const total = epochs * stepsPerEpoch;
  const random = createRandomGenerator({ seed });
  let order = random.permutation(n);
  const x = new Float32Array(batchSize * d);
  const y = new Int32Array(batchSize);
  const { lossHistory, seconds } = await trainWithAdam({
    parameters: classifier.parameters,
    steps: total,
    optimizer: { learningRate },
    draw: async (step) => {
      const within = step % stepsPerEpoch;
      if (within === 0 && step > 0) order = random.permutation(n);
      const start = within * batchSize;
      const count = Math.min(batchSize, n - start);
      for (let k = 0; k < count; k += 1) {
        const row = order[start + k] as number;
        x.set(images.subarray(row * d, (row + 1) * d), k * d);
        y[k] = labels[row] as number;
      }
      return { count };
    },
    loss:
      ({ count }) =>
      (parameters) => {
        const logits = classifier.logits(
          tf.tensor2d(x.subarray(0, count * d), [count, d]),
          parameters,
        );
        const oneHot = tf.oneHot(tf.tensor1d(y.subarray(0, count), 'int32'), classes);
        return tf.losses.softmaxCrossEntropy(oneHot, logits) as tf.Scalar;
      },
    ...(onStep === undefined ? {} : { onStep: (step, loss) => onStep(step, total, loss) }),
  });
  const last = lossHistory.subarray(Math.max(0, total - stepsPerEpoch));
  return { finalLoss: last.reduce((sum, value) => sum + value, 0) / last.length, seconds };
}

/**
 * The fraction of images whose most likely class is their label.
 *
 * @example
 * ```ts
 * await classifierAccuracy({ classifier, images: test.images, labels: test.labels }); // 0.87
 * ```
 */
export async function classifierAccuracy({
  classifier,
  images,
  labels,
  batchSize = 1000,
}: {
  readonly classifier: ImageClassifier;
  readonly images: Float32Array;
  readonly labels: Int32Array;
  readonly batchSize?: number;
}): Promise<number> {
  const d = classifier.sizes[0] as number;
  let correct = 0;
  for (let start = 0; start < labels.length; start += batchSize) {
    const count = Math.min(batchSize, labels.length - start);
    const predicted = await classifier.predict(
      images.subarray(start * d, (start + count) * d),
      count,
    );
    for (let k = 0; k < count; k += 1) if (predicted[k] === labels[start + k]) correct += 1;
  }
  return correct / labels.length;
}
