import * as tf from '@tensorflow/tfjs';
import { type AdamOptions, createAdamOptimizer } from './adam-optimizer.js';

/**
 * Options of {@link trainWithAdam}: the parameters, the number of steps, how to draw a step's
 * data and the loss on it.
 */
export interface TrainWithAdamOptions<Batch> {
  /** The variables to train, in a fixed order (the loss receives tensors in the same order). */
  readonly parameters: readonly tf.Variable[];
  /** Steps (Adam updates), an integer `>= 1` checked by the caller. */
  readonly steps: number;
  /** Adam's hyperparameters. @default {} (those of {@link createAdamOptimizer}) */
  readonly optimizer?: AdamOptions;
  /** Draws the data of step `step` (0-based), outside any `tf.tidy`: typed arrays, not tensors. */
  readonly draw: (step: number) => Promise<Batch>;
  /**
   * Builds the loss of one batch, inside `tf.tidy`: tensors made here (inputs, weights that are not
   * trained) are freed after the step; the returned function maps `parameters` to the scalar loss.
   */
  readonly loss: (batch: Batch) => (parameters: readonly tf.Tensor[]) => tf.Scalar;
  /** Called after every update with the step (1-based) and the loss before it. */
  readonly onStep?: (step: number, loss: number) => void;
}

/**
 * The training loop shared by the networks of sinkflow outside flow matching (the potentials,
 * maps and scores of `@sinkflow/scones`): for `s = 1..steps`, draw a batch, take
 * `g = grad_theta L(theta; batch)` by `tf.valueAndGrads` and apply one Adam update [kingma2015]
 * (PyTorch's, see {@link createAdamOptimizer}),
 *
 *     theta <- theta - (lr / (1 - b1^s)) m_s / (sqrt(v_s) / sqrt(1 - b2^s) + eps).
 *
 * Returns the loss before each update (float64 copies of float32 values) and the wall-clock
 * seconds; leaves no tensor behind (the optimizer's slots are freed, also on error).
 *
 * @throws {@link InvalidArgumentError} naming the option for bad Adam settings; whatever `draw`
 * or `loss` throws.
 * @example
 * ```ts
 * const { lossHistory } = await trainWithAdam({
 *   parameters: [w],
 *   steps: 100,
 *   draw: async () => Float32Array.of(1, 2, 3),
 *   loss: (data) => {
 *     const x = tf.tensor1d(data);
 *     return ([weight]) => tf.mean(tf.square(tf.sub(x, weight as tf.Tensor)));
 *   },
 * });
 * ```
 */
export async function trainWithAdam<Batch>({
  parameters,
  steps,
  optimizer = {},
  draw,
  loss,
  onStep,
}: TrainWithAdamOptions<Batch>): Promise<{
  readonly lossHistory: Float64Array;
  readonly seconds: number;
}> {
  const adam = createAdamOptimizer({ parameters, ...optimizer });
  try {
    const history = new Float64Array(steps);
    const started = performance.now();
    for (let step = 0; step < steps; step += 1) {
      const batch = await draw(step);
      const { value, grads } = tf.tidy(() => {
        const objective = loss(batch);
        return tf.valueAndGrads((...weights: tf.Tensor[]) => objective(weights))([...parameters]);
      });
      try {
        adam.update(grads);
        const current = ((await value.data()) as Float32Array)[0] as number;
        history[step] = current;
        onStep?.(step + 1, current);
      } finally {
        value.dispose();
        tf.dispose(grads);
      }
    }
    return { lossHistory: history, seconds: (performance.now() - started) / 1000 };
  } finally {
    adam.dispose();
  }
}
