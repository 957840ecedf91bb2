import { InvalidArgumentError } from '@sinkflow/core';
import * as tf from '@tensorflow/tfjs';
import type { NamedWeight } from '../model/velocity-model.js';

/**
 * An exponential moving average of a model's parameters (Polyak averaging [polyak1992], as
 * TensorFlow's `ExponentialMovingAverage` with `num_updates`): after the `k`-th optimizer step
 * (`k = 1, 2, ...`),
 *
 *     theta_bar_k = beta_k theta_bar_{k-1} + (1 - beta_k) theta_k,
 *     beta_k = min(beta, (1 + k) / (10 + k)),   theta_bar_0 = theta_0,
 *
 * so the early average forgets the initialisation quickly (`beta_1 = 2/11`) and spans about
 * `(10 + k) / 9` steps at step k, until `beta_k` reaches `decay` = beta (at k = 8990 for 0.999);
 * then about the last `1 / (1 - beta)` steps. The last iterate of Adam at a
 * constant learning rate wanders around the optimum; the average does not, which is why flow
 * and diffusion models are evaluated with it (TorchCFM's `ema_decay`) [tong2024].
 */
export interface WeightAverage {
  /** beta, in (0, 1). */
  readonly decay: number;
  /** Updates taken (optimizer steps averaged). */
  readonly updates: number;
  /** One more step: folds the model's current parameters into the average. */
  update(): void;
  /** A copy of the average, named as the model's parameters (for checkpoints and evaluation). */
  weights(): Promise<readonly NamedWeight[]>;
  /** Frees the average's tensors. */
  dispose(): void;
}

/**
 * Checks an `emaDecay` option, the beta of {@link WeightAverage} [polyak1992]: undefined (no
 * average) or a number in (0, 1). The trainer runs it on its option; front ends run it on theirs
 * (a command-line flag, a sweep option) to name that argument.
 *
 * @returns `value`, typed.
 * @throws {@link InvalidArgumentError} naming `argumentName`.
 * @example
 * ```ts
 * requireEmaDecay(0.999, 'sinkflow train', '--ema-decay'); // 0.999
 * ```
 */
export function requireEmaDecay(
  value: unknown,
  functionName: string,
  argumentName = 'emaDecay',
): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !(value > 0 && value < 1)) {
    throw new InvalidArgumentError({
      functionName,
      argumentName,
      message: 'must be a number in (0, 1), such as 0.999 (an average over about 1000 steps)',
      value,
    });
  }
  return value;
}

/**
 * @internal Starts a {@link WeightAverage} of `parameters` (named by `names`): at the parameters'
 * current values, or at `saved` (a checkpoint's average after `updates` steps; names and sizes
 * must match the parameters').
 */
export function createWeightAverage({
  parameters,
  names,
  decay,
  saved,
  functionName,
}: {
  readonly parameters: readonly tf.Variable[];
  readonly names: readonly string[];
  readonly decay: number;
  readonly saved?: { readonly updates: number; readonly weights: readonly NamedWeight[] };
  readonly functionName: string;
}): WeightAverage {
  if (saved !== undefined) {
    const matches =
      Number.isSafeInteger(saved.updates) &&
      saved.updates >= 0 &&
      saved.weights.length === parameters.length &&
      saved.weights.every(
        (weight, index) =>
          weight.name === names[index] &&
          weight.data.length === (parameters[index] as tf.Variable).size,
      );
    if (!matches) {
      throw new InvalidArgumentError({
        functionName,
        argumentName: 'checkpoint.ema',
        message: "the saved average does not match the model's parameters (names, sizes, updates)",
      });
    }
  }
  // Inside tidy: the initial values are freed, the variables (which copy them) are kept.
  const average = tf.tidy(() =>
    parameters.map((parameter, index) =>
      tf.variable(
        saved === undefined
          ? parameter.clone()
          : tf.tensor((saved.weights[index] as NamedWeight).data, parameter.shape, 'float32'),
        false,
      ),
    ),
  );
  let updates = saved?.updates ?? 0;
  return {
    decay,
    get updates() {
      return updates;
    },
    update() {
      updates += 1;
      const beta = Math.min(decay, (1 + updates) / (10 + updates));
      tf.tidy(() => {
        for (const [index, mean] of average.entries()) {
          const parameter = parameters[index] as tf.Variable;
          // theta_bar + (1 - beta) (theta - theta_bar): one rounding fewer than two products.
          mean.assign(mean.add(parameter.sub(mean).mul(1 - beta)));
        }
      });
    },
    async weights() {
      return Promise.all(
        average.map(async (mean, index) => ({
          name: names[index] as string,
          shape: [...mean.shape],
          data: (await mean.data()) as Float32Array,
        })),
      );
    },
    dispose() {
      for (const mean of average) mean.dispose();
    },
  };
}
