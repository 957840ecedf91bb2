import * as tf from '@tensorflow/tfjs';
import { dense } from './dense.js';
import { assignNamedWeights, createDenseParameters, readNamedWeights } from './named-weights.js';
import type { Activation, NamedWeight } from './velocity-model.js';

/** What {@link DenseStack} is built from. */
export interface DenseStackOptions {
  /** Layer sizes `[in, hidden_1, ..., out]`, integers `>= 1` checked by the caller. */
  readonly sizes: readonly number[];
  /** The activation after every layer but the last. */
  readonly activation: Activation;
  /** Seed of the initialisation (Philox [salmon2011philox]). */
  readonly seed: number;
  /** The model's name in the errors of `setWeights` (`<name>.setWeights`). */
  readonly name: string;
}

/**
 * The multilayer perceptron of sinkflow, the base of every tfjs network (fm's velocity model,
 * scones' potentials, maps and scores): with `parameters = [W_1, b_1, ..., W_L, b_L]`,
 *
 *     h_0 = h,   h_l = act(h_{l-1} W_l + b_l) for l < L,   forward(h) = h_{L-1} W_L + b_L,
 *
 * `act` SiLU `x sigmoid(x)`, ReLU or tanh, each layer a dense product whose gradient uses only
 * plain products [smilkov2019]. Weights and biases are `tf.Variable`s drawn from
 * `U(-1/sqrt(fan_in), 1/sqrt(fan_in))` (PyTorch's default) layer by layer from a Philox generator,
 * so a seed gives the same network on every backend; `getWeights` / `setWeights` move them as
 * named float32 arrays (`layer<l>.weight`, `layer<l>.bias`), which checkpoints store.
 *
 * @example
 * ```ts
 * const stack = new DenseStack({ sizes: [2, 16, 1], activation: 'silu', seed: 0, name: 'Net' });
 * const y = tf.tidy(() => stack.forward(tf.ones([4, 2]))); // shape [4, 1]
 * stack.dispose();
 * ```
 */
export class DenseStack {
  readonly parameters: readonly tf.Variable[];
  readonly parameterNames: readonly string[];
  readonly #activation: Activation;
  readonly #name: string;

  constructor({ sizes, activation, seed, name }: DenseStackOptions) {
    const { parameters, names } = createDenseParameters(sizes, seed);
    this.parameters = parameters;
    this.parameterNames = names;
    this.#activation = activation;
    this.#name = name;
  }

  /**
   * The network on a batch `h: [rows, in]`; call it inside `tf.tidy` or a gradient function and
   * pass the tensors to differentiate as `parameters` (same order and shapes).
   */
  forward(h: tf.Tensor2D, parameters: readonly tf.Tensor[] = this.parameters): tf.Tensor2D {
    let out = h;
    const layers = parameters.length / 2;
    for (let layer = 0; layer < layers; layer += 1) {
      out = dense(
        out,
        parameters[2 * layer] as tf.Tensor2D,
        parameters[2 * layer + 1] as tf.Tensor1D,
      );
      if (layer === layers - 1) break;
      if (this.#activation === 'silu') out = tf.mul(out, tf.sigmoid(out));
      else if (this.#activation === 'relu') out = tf.relu(out);
      else out = tf.tanh(out);
    }
    return out;
  }

  /** A copy of the weights, in order (row-major float32). */
  async getWeights(): Promise<readonly NamedWeight[]> {
    return readNamedWeights(this.parameters, this.parameterNames);
  }

  /**
   * Assigns weights from {@link DenseStack.getWeights} (names and shapes must match).
   *
   * @throws {@link InvalidArgumentError} naming `weights` or `weights[i]`.
   */
  setWeights(weights: readonly NamedWeight[]): void {
    assignNamedWeights(`${this.#name}.setWeights`, this.parameters, this.parameterNames, weights);
  }

  /** Frees the variables. */
  dispose(): void {
    for (const parameter of this.parameters) parameter.dispose();
  }
}
