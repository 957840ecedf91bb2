import { createRandomGenerator, requireInteger } from '@sinkflow/core';
import {
  type Activation,
  type AdamOptions,
  type DistributionSampler,
  requireSampler,
} from '@sinkflow/fm';
import * as tf from '@tensorflow/tfjs';
import { createPseudoCoupling, type PseudoCoupling } from '../coupling/pseudo-coupling.js';
import { pairwiseSquaredDistances as pairwiseCost } from '../internal/squared-euclidean.js';
import { trainOnPairBatches } from '../internal/train-on-pair-batches.js';
import { createMlpNetwork } from '../network/mlp-network.js';
import type { FDivergenceRegularizer } from '../regularizer/regularizer.js';

/** Options of {@link trainDualPotentials}. */
export interface TrainDualPotentialsOptions {
  /** The source `mu`. */
  readonly source: DistributionSampler;
  /** The target `nu` (same dimension). */
  readonly target: DistributionSampler;
  /** `H*_lambda` and `M` (see {@link klRegularizer}, {@link chiSquaredRegularizer}). */
  readonly regularizer: FDivergenceRegularizer;
  /** Optimizer steps (Algorithm 1's `T`). @default 2000 */
  readonly steps?: number;
  /** Points per side and step (`m`; the penalty averages all `m^2` pairs). @default 256 */
  readonly batchSize?: number;
  /** Hidden layers of `phi` and `psi`. @default 3 */
  readonly hiddenLayers?: number;
  /** Width of their hidden layers. @default 128 */
  readonly width?: number;
  /** Their activation. @default 'silu' */
  readonly activation?: Activation;
  /**
   * A fixed factor on the networks' outputs: `phi = s f_theta`, `psi = s g_theta`. With the default
   * `s = lambda` the exponent `V / lambda` of `M` is O(1) at initialisation and Adam's steps, of
   * size about the learning rate on every weight, move the potentials in units of `lambda`.
   * @default regularizer.lambda
   */
  readonly potentialScale?: number;
  /** Adam [kingma2015] for both networks. @default { learningRate: 1e-3 } */
  readonly optimizer?: AdamOptions;
  /** Seeds the networks and the minibatches (Philox [salmon2011philox]). @default 0 */
  readonly seed?: number;
  /** Called after every step with the step (1-based) and the minibatch objective. */
  readonly onStep?: (report: { readonly step: number; readonly objective: number }) => void;
}

/**
 * What {@link trainDualPotentials} returns.
 *
 * @example
 * ```ts
 * const { coupling, objectiveHistory } = await trainDualPotentials({ source, target, regularizer });
 * ```
 */
export interface DualTrainingResult {
  /** The learned pseudo-coupling (owns the networks: dispose it). */
  readonly coupling: PseudoCoupling;
  /** The minibatch dual objective before each update (float64; noisy, increasing to a plateau). */
  readonly objectiveHistory: Float64Array;
  /** Steps done. */
  readonly steps: number;
  /** Wall-clock seconds. */
  readonly seconds: number;
}

/**
 * Algorithm 1 of SCONES [daniels2021] (the stochastic dual ascent of Seguy et al. [seguy2018]):
 * neural potentials `phi`, `psi` ({@link MlpNetwork}s) maximize the regularized dual
 *
 *     J(phi, psi) = E_mu phi(x) + E_nu psi(y) - E_{mu x nu} H*_lambda(phi(x) + psi(y) - ||x - y||^2)
 *
 * by Adam on minibatches: each step draws `x_1..x_m ~ mu`, `y_1..y_m ~ nu` and ascends
 * `(1/m) sum_i phi(x_i) + (1/m) sum_j psi(y_j) - (1/m^2) sum_ij H*(V(x_i, y_j))`. The cost is the
 * paper's `c(x, y) = ||x - y||^2` (no 1/2). Randomness comes only from `seed`: split Philox streams
 * for the two initialisations and the two samplers.
 *
 * @throws {@link InvalidArgumentError} naming the option (samplers of different dimensions, counts
 * that are not positive integers, bad network or optimizer settings).
 * @example
 * ```ts
 * const { coupling, objectiveHistory } = await trainDualPotentials({
 *   source, target, regularizer: klRegularizer({ lambda: 4 }), steps: 1000, seed: 0,
 * });
 * objectiveHistory.length; // 1000
 * coupling.dispose();
 * ```
 */
export async function trainDualPotentials({
  source,
  target,
  regularizer,
  steps = 2000,
  batchSize = 256,
  hiddenLayers = 3,
  width = 128,
  activation = 'silu',
  potentialScale,
  optimizer = {},
  seed = 0,
  onStep,
}: TrainDualPotentialsOptions): Promise<DualTrainingResult> {
  const functionName = 'trainDualPotentials';
  const mu = requireSampler(source, { functionName, argumentName: 'source' });
  const nu = requireSampler(target, { functionName, argumentName: 'target', d: mu.d });
  requireInteger(steps, { functionName, argumentName: 'steps', minimum: 1 });
  requireInteger(batchSize, { functionName, argumentName: 'batchSize', minimum: 2 });
  requireInteger(seed, { functionName, argumentName: 'seed', minimum: 0 });
  const { d } = mu;
  const root = createRandomGenerator({ seed });
  const initialisation = root.split(0);
  const networkOptions = {
    inputDimension: d,
    outputDimension: 1,
    hiddenLayers,
    width,
    activation,
    outputScale: potentialScale ?? regularizer.lambda,
  };
  const phi = createMlpNetwork({ ...networkOptions, seed: initialisation.integer(2 ** 31) });
  const psi = createMlpNetwork({ ...networkOptions, seed: initialisation.integer(2 ** 31) });
  const coupling = createPseudoCoupling({ phi, psi, regularizer });
  const parameters = [...phi.parameters, ...psi.parameters];
  try {
    const { lossHistory, seconds } = await trainOnPairBatches({
      source: mu,
      target: nu,
      random: root,
      batchSize,
      functionName,
      parameters,
      steps,
      optimizer,
      // Minimise -J; phi(x) and psi(y) are the row and column sums of V + c, so evaluate the
      // networks once and reuse them.
      loss: (x, y) => (weights) => {
        const phiX = phi.apply(x, weights.slice(0, phi.parameters.length));
        const psiY = psi.apply(y, weights.slice(phi.parameters.length));
        const violations = tf.sub(
          tf.add(phiX, tf.reshape(psiY, [1, batchSize])),
          pairwiseCost(x, y),
        );
        return tf.neg(
          tf.sub(tf.add(tf.mean(phiX), tf.mean(psiY)), tf.mean(regularizer.penalty(violations))),
        ) as tf.Scalar;
      },
      onStep: (step, negativeObjective) => onStep?.({ step, objective: -negativeObjective }),
    });
    return {
      coupling,
      objectiveHistory: lossHistory.map((value) => -value),
      steps,
      seconds,
    };
  } catch (error) {
    coupling.dispose();
    throw error;
  }
}
