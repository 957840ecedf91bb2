import { InvalidArgumentError, requireInteger, requireOneOf } from '@sinkflow/core';
import * as tf from '@tensorflow/tfjs';
import { DenseStack } from './dense-stack.js';
import { defaultTimeFrequencies, fourierTimeFeatures } from './fourier-time-features.js';
import type { Activation, MlpVelocityModelConfig, VelocityModel } from './velocity-model.js';

/** Options of {@link createMlpVelocityModel}. */
export interface MlpVelocityModelOptions {
  /** Dimension of the data, an integer `>= 1`. */
  readonly d: number;
  /** Hidden layers. @default 5 (the paper's) */
  readonly hiddenLayers?: number;
  /** Width of the hidden layers. @default 512 for d <= 64, 1024 above (the paper's) */
  readonly width?: number;
  /** Time frequencies `K` (`2K` features). @default max(1, floor(d / 8)) */
  readonly timeFrequencies?: number;
  /** Activation of the hidden layers. @default 'silu' */
  readonly activation?: Activation;
  /** Seed of the initialisation (Philox [salmon2011philox]). @default 0 */
  readonly seed?: number;
}

/**
 * The paper's velocity field [klein2025, Sec. 4.2]: an MLP on `[x, phi(t)]`, with `phi` the
 * Fourier time features (`2K` of them, see {@link fourierTimeFeatures}):
 *
 *     h_0 = [x, phi(t)],   h_l = act(h_{l-1} W_l + b_l)  (l = 1..L, width w),   v = h_L W_out + b_out.
 *
 * Defaults are the paper's: `L = 5` hidden layers of `w = 512` for `d <= 64` and `1024` for
 * larger `d`, `K = d/8` (at least 1), SiLU activations. Every weight and bias is drawn from
 * `U(-1/sqrt(fan_in), 1/sqrt(fan_in))` (PyTorch's default for linear layers), layer by layer,
 * weight (row-major `[in, out]`) then bias, from a Philox generator seeded with `seed`: the same
 * seed gives the same model on every backend and platform.
 *
 * @throws {@link InvalidArgumentError} naming the option (`d`, `hiddenLayers`, `width`,
 * `timeFrequencies` not positive integers, an unknown `activation`, a bad `seed`).
 * @example
 * ```ts
 * const model = createMlpVelocityModel({ d: 32, seed: 0 }); // 5 x 512, 4 frequencies
 * model.parameters.length; // 12 (6 weights, 6 biases)
 * model.dispose();
 * ```
 */
export function createMlpVelocityModel({
  d,
  hiddenLayers = 5,
  width,
  timeFrequencies,
  activation = 'silu',
  seed = 0,
}: MlpVelocityModelOptions): VelocityModel {
  const functionName = 'createMlpVelocityModel';
  requireInteger(d, { functionName, argumentName: 'd', minimum: 1 });
  const config: MlpVelocityModelConfig = Object.freeze({
    kind: 'mlp',
    d,
    hiddenLayers: requireInteger(hiddenLayers, {
      functionName,
      argumentName: 'hiddenLayers',
      minimum: 1,
    }),
    width: requireInteger(width ?? (d <= 64 ? 512 : 1024), {
      functionName,
      argumentName: 'width',
      minimum: 1,
    }),
    timeFrequencies: requireInteger(timeFrequencies ?? defaultTimeFrequencies(d), {
      functionName,
      argumentName: 'timeFrequencies',
      minimum: 1,
    }),
    activation: requireOneOf(activation, ['silu', 'relu', 'tanh'], {
      functionName,
      argumentName: 'activation',
    }),
  });
  requireInteger(seed, { functionName, argumentName: 'seed', minimum: 0 });
  return new MlpVelocityModel(config, seed);
}

/**
 * Rebuilds an MLP velocity field from its configuration (as stored in a checkpoint); the weights
 * are initialised with `seed` and usually overwritten by `setWeights`.
 *
 * @example
 * ```ts
 * const copy = mlpVelocityModelFromConfig({ config: model.config });
 * copy.setWeights(await model.getWeights());
 * ```
 */
export function mlpVelocityModelFromConfig({
  config,
  seed = 0,
}: {
  readonly config: MlpVelocityModelConfig;
  readonly seed?: number;
}): VelocityModel {
  if (config?.kind !== 'mlp') {
    throw new InvalidArgumentError({
      functionName: 'mlpVelocityModelFromConfig',
      argumentName: 'config.kind',
      message: "must be 'mlp'",
      value: (config as { kind?: unknown } | undefined)?.kind,
    });
  }
  return createMlpVelocityModel({ ...config, seed });
}

class MlpVelocityModel extends DenseStack implements VelocityModel {
  readonly d: number;
  readonly config: MlpVelocityModelConfig;

  constructor(config: MlpVelocityModelConfig, seed: number) {
    super({
      sizes: [
        config.d + 2 * config.timeFrequencies,
        ...Array.from({ length: config.hiddenLayers }, () => config.width),
        config.d,
      ],
      activation: config.activation,
      seed,
      name: 'VelocityModel',
    });
    this.d = config.d;
    this.config = config;
  }

  apply({
    x,
    t,
    parameters = this.parameters,
  }: {
    readonly x: tf.Tensor2D;
    readonly t: tf.Tensor2D;
    readonly parameters?: readonly tf.Tensor[];
  }): tf.Tensor2D {
    return tf.tidy(() => {
      const h: tf.Tensor2D = tf.concat([x, fourierTimeFeatures(t, this.config.timeFrequencies)], 1);
      return this.forward(h, parameters);
    });
  }

  async predict({
    x,
    t,
  }: {
    readonly x: Float32Array | Float64Array;
    readonly t: number | Float32Array | Float64Array;
  }): Promise<Float32Array> {
    const functionName = 'VelocityModel.predict';
    const count = x.length / this.d;
    if (!Number.isInteger(count)) {
      throw new InvalidArgumentError({
        functionName,
        argumentName: 'x',
        message: `length must be a multiple of d = ${this.d}`,
        value: x.length,
      });
    }
    if (typeof t !== 'number' && t.length !== count) {
      throw new InvalidArgumentError({
        functionName,
        argumentName: 't',
        message: `must be a number or hold one time per row (${count})`,
        value: t.length,
      });
    }
    const output = tf.tidy(() => {
      const points = tf.tensor2d(Float32Array.from(x), [count, this.d]);
      const times =
        typeof t === 'number'
          ? tf.fill([count, 1], t)
          : tf.tensor2d(Float32Array.from(t), [count, 1]);
      return this.apply({ x: points, t: times as tf.Tensor2D });
    });
    try {
      return (await output.data()) as Float32Array;
    } finally {
      output.dispose();
    }
  }
}
