import { createRandomGenerator, requireInteger } from '@sinkflow/core';
import {
  type Activation,
  type AdamOptions,
  type DistributionSampler,
  requireSampler,
} from '@sinkflow/fm';
import * as tf from '@tensorflow/tfjs';
import type { PseudoCoupling } from '../coupling/pseudo-coupling.js';
import { pairwiseSquaredDistances } from '../internal/squared-euclidean.js';
import { trainOnPairBatches } from '../internal/train-on-pair-batches.js';
import { createMlpNetwork, type MlpNetwork } from '../network/mlp-network.js';

/** Options of {@link trainBarycentricProjection}. */
export interface TrainBarycentricProjectionOptions {
  /** The learned coupling whose weights `M(V(x, y))` define the regression. */
  readonly coupling: PseudoCoupling;
  /** The source `mu` (the coupling's). */
  readonly source: DistributionSampler;
  /** The target `nu` (the coupling's). */
  readonly target: DistributionSampler;
  /** Optimizer steps. @default 2000 */
  readonly steps?: number;
  /** Points per side and step (the loss averages all `m^2` pairs). @default 256 */
  readonly batchSize?: number;
  /** Hidden layers of `T`. @default 3 */
  readonly hiddenLayers?: number;
  /** Width of its hidden layers. @default 128 */
  readonly width?: number;
  /** Its activation. @default 'silu' */
  readonly activation?: Activation;
  /** Adam [kingma2015]. @default { learningRate: 1e-3 } */
  readonly optimizer?: AdamOptions;
  /** Seeds the network and the minibatches (Philox [salmon2011philox]). @default 0 */
  readonly seed?: number;
  /** Called after every step with the (1-based) step and the minibatch loss. */
  readonly onStep?: (report: { readonly step: number; readonly loss: number }) => void;
}

/**
 * What {@link trainBarycentricProjection} returns.
 *
 * @example
 * ```ts
 * const { map, lossHistory } = await trainBarycentricProjection({ coupling, source, target });
 * await map.predict(x); // T(x_i), row-major
 * ```
 */
export interface BarycentricProjectionResult {
  /** `T: R^d -> R^d` (dispose it). */
  readonly map: MlpNetwork;
  /** The minibatch loss before each update (float64). */
  readonly lossHistory: Float64Array;
  readonly steps: number;
  readonly seconds: number;
}

/**
 * The barycentric projection baseline of Seguy et al. [seguy2018] that SCONES compares against
 * [daniels2021, Sec. 5]: a network `T` minimising the transport-weighted regression
 *
 *     L(T) = E_pi ||T(x) - y||^2 = E_{mu x nu} [ M(V(x, y)) ||T(x) - y||^2 ],
 *
 * estimated on minibatches by `(1/m^2) sum_ij M(V(x_i, y_j)) ||T(x_i) - y_j||^2` (the coupling is
 * held fixed). Its minimiser is the conditional mean `T(x) = E_pi[y | x]`, a deterministic map: the
 * pairs `(x, T(x))` miss the conditional spread of an entropic coupling, which is what SCONES'
 * Langevin sampling recovers.
 *
 * @throws {@link InvalidArgumentError} naming the option (samplers of another dimension than the
 * coupling, counts that are not positive integers, bad network or optimizer settings).
 * @example
 * ```ts
 * const { map } = await trainBarycentricProjection({ coupling, source, target, steps: 1000 });
 * const images = await map.predict(x);
 * map.dispose();
 * ```
 */
export async function trainBarycentricProjection({
  coupling,
  source,
  target,
  steps = 2000,
  batchSize = 256,
  hiddenLayers = 3,
  width = 128,
  activation = 'silu',
  optimizer = {},
  seed = 0,
  onStep,
}: TrainBarycentricProjectionOptions): Promise<BarycentricProjectionResult> {
  const functionName = 'trainBarycentricProjection';
  const { d } = coupling;
  const mu = requireSampler(source, { functionName, argumentName: 'source', d });
  const nu = requireSampler(target, { functionName, argumentName: 'target', d });
  requireInteger(steps, { functionName, argumentName: 'steps', minimum: 1 });
  requireInteger(batchSize, { functionName, argumentName: 'batchSize', minimum: 1 });
  requireInteger(seed, { functionName, argumentName: 'seed', minimum: 0 });
  const root = createRandomGenerator({ seed });
  const map = createMlpNetwork({
    inputDimension: d,
    outputDimension: d,
    hiddenLayers,
    width,
    activation,
    seed: root.split(0).integer(2 ** 31),
  });
  try {
    const { lossHistory, seconds } = await trainOnPairBatches({
      source: mu,
      target: nu,
      random: root,
      batchSize,
      functionName,
      parameters: map.parameters,
      steps,
      optimizer,
      loss: (x, y) => {
        const weights = coupling.regularizer.compatibility(coupling.pairViolations(x, y));
        return (parameters) =>
          tf.mean(tf.mul(weights, pairwiseSquaredDistances(map.apply(x, parameters), y)));
      },
      onStep: (step, loss) => onStep?.({ step, loss }),
    });
    return { map, lossHistory, steps, seconds };
  } catch (error) {
    map.dispose();
    throw error;
  }
}
