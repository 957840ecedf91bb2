import {
  InvalidArgumentError,
  requireFiniteNumber,
  requireInteger,
  requireOneOf,
} from '@sinkflow/core';
import type { Activation, NamedWeight } from '@sinkflow/fm';
import { DenseStack } from '@sinkflow/fm';
import * as tf from '@tensorflow/tfjs';
import { requireRows } from '../internal/require-rows.js';

/**
 * The architecture of an {@link MlpNetwork} (everything needed to rebuild it).
 *
 * @example
 * ```ts
 * createMlpNetwork({ inputDimension: 2, outputDimension: 1 }).config;
 * // { inputDimension: 2, outputDimension: 1, hiddenLayers: 3, width: 128, activation: 'silu', outputScale: 1 }
 * ```
 */
export interface MlpNetworkConfig {
  readonly inputDimension: number;
  readonly outputDimension: number;
  readonly hiddenLayers: number;
  readonly width: number;
  readonly activation: Activation;
  /** A fixed factor on the output layer (not trained). */
  readonly outputScale: number;
}

/**
 * A fully connected network `f(h) = s (h_L W_out + b_out)`, `h_l = act(h_{l-1} W_l + b_l)`, on
 * TensorFlow.js: fm's MLP (`DenseStack`) with a fixed output scale: the dual potentials `phi`, `psi` (output 1), the barycentric projection `T`
 * (output d) and the score model of SCONES [daniels2021] are all of this kind. `parameters` are
 * `tf.Variable`s in a fixed order (weight, bias per layer); `apply` builds the graph (inside
 * `tf.tidy` or a gradient function; `parameters` replaces the variables to differentiate);
 * `predict` is tensor-free and leaves no tensor behind.
 *
 * @example
 * ```ts
 * const phi = createMlpNetwork({ inputDimension: 2, outputDimension: 1, seed: 0 });
 * await phi.predict(Float32Array.of(0, 1, 2, 3)); // Float32Array(2): phi(0, 1), phi(2, 3)
 * phi.dispose();
 * ```
 */
export interface MlpNetwork {
  readonly config: MlpNetworkConfig;
  readonly parameters: readonly tf.Variable[];
  readonly parameterNames: readonly string[];
  apply(x: tf.Tensor2D, parameters?: readonly tf.Tensor[]): tf.Tensor2D;
  predict(x: Float32Array | Float64Array): Promise<Float32Array>;
  getWeights(): Promise<readonly NamedWeight[]>;
  setWeights(weights: readonly NamedWeight[]): void;
  dispose(): void;
}

/** Options of {@link createMlpNetwork}. */
export interface MlpNetworkOptions {
  /** Input size, an integer `>= 1`. */
  readonly inputDimension: number;
  /** Output size, an integer `>= 1`. */
  readonly outputDimension: number;
  /** Hidden layers. @default 3 (the paper's compatibility networks have 3 hidden layers of 2048) */
  readonly hiddenLayers?: number;
  /** Width of every hidden layer. @default 128 */
  readonly width?: number;
  /** Hidden activation. @default 'silu' (smooth, so that `grad_y psi` is continuous for Langevin) */
  readonly activation?: Activation;
  /** Fixed factor on the output. @default 1 */
  readonly outputScale?: number;
  /** Seed of the initialisation (Philox [salmon2011philox]). @default 0 */
  readonly seed?: number;
}

/**
 * Creates an {@link MlpNetwork}. Weights and biases are drawn from
 * `U(-1/sqrt(fan_in), 1/sqrt(fan_in))` (PyTorch's default for linear layers), layer by layer from a
 * Philox generator seeded with `seed`, so the same seed gives the same network on every backend.
 *
 * @throws {@link InvalidArgumentError} naming the option (dimensions, `hiddenLayers`, `width` not
 * positive integers, an unknown activation, a non-finite `outputScale`, a bad seed).
 * @example
 * ```ts
 * const psi = createMlpNetwork({ inputDimension: 16, outputDimension: 1, width: 64, seed: 1 });
 * psi.parameters.length; // 8 (3 hidden layers + output, weight and bias each)
 * psi.dispose();
 * ```
 */
export function createMlpNetwork({
  inputDimension,
  outputDimension,
  hiddenLayers = 3,
  width = 128,
  activation = 'silu',
  outputScale = 1,
  seed = 0,
}: MlpNetworkOptions): MlpNetwork {
  const functionName = 'createMlpNetwork';
  const config: MlpNetworkConfig = Object.freeze({
    inputDimension: requireInteger(inputDimension, {
      functionName,
      argumentName: 'inputDimension',
      minimum: 1,
    }),
    outputDimension: requireInteger(outputDimension, {
      functionName,
      argumentName: 'outputDimension',
      minimum: 1,
    }),
    hiddenLayers: requireInteger(hiddenLayers, {
      functionName,
      argumentName: 'hiddenLayers',
      minimum: 0,
    }),
    width: requireInteger(width, { functionName, argumentName: 'width', minimum: 1 }),
    activation: requireOneOf(activation, ['silu', 'relu', 'tanh'], {
      functionName,
      argumentName: 'activation',
    }),
    outputScale: requireFiniteNumber(outputScale, { functionName, argumentName: 'outputScale' }),
  });
  requireInteger(seed, { functionName, argumentName: 'seed', minimum: 0 });
  return new Mlp(config, seed);
}

class Mlp extends DenseStack implements MlpNetwork {
  readonly config: MlpNetworkConfig;

  constructor(config: MlpNetworkConfig, seed: number) {
    super({
      sizes: [
        config.inputDimension,
        ...Array.from({ length: config.hiddenLayers }, () => config.width),
        config.outputDimension,
      ],
      activation: config.activation,
      seed,
      name: 'MlpNetwork',
    });
    this.config = config;
  }

  apply(x: tf.Tensor2D, parameters: readonly tf.Tensor[] = this.parameters): tf.Tensor2D {
    return tf.tidy(() => {
      const h = this.forward(x, parameters);
      return this.config.outputScale === 1 ? h : tf.mul(h, this.config.outputScale);
    });
  }

  async predict(x: Float32Array | Float64Array): Promise<Float32Array> {
    const { inputDimension } = this.config;
    const rows = requireRows(x, inputDimension, 'MlpNetwork.predict');
    const output = tf.tidy(() =>
      this.apply(tf.tensor2d(Float32Array.from(x), [rows, inputDimension])),
    );
    try {
      return (await output.data()) as Float32Array;
    } finally {
      output.dispose();
    }
  }
}
