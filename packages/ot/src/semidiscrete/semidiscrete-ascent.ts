import { InvalidArgumentError } from '@sinkflow/core';
import type { ScoreKernel } from './semidiscrete-score-pass.js';
import type { SemidiscreteState } from './semidiscrete-state.js';
import { type SemidiscreteTarget, scoreOffsets } from './semidiscrete-target.js';

/** Adam's constants (Kingma and Ba's defaults). */
const ADAM_BETA1 = 0.9;
const ADAM_BETA2 = 0.999;
const ADAM_EPSILON = 1e-12;
/** The step size decays as `learningRate / sqrt(1 + step / LEARNING_RATE_DECAY_STEPS)`. */
const LEARNING_RATE_DECAY_STEPS = 100;
/** The moving average's decay when none is given. */
export const DEFAULT_AVERAGE_DECAY = 0.99;

/** Adam's step size when none is given: 0.01 std(C), in the units of the cost (internal). */
export function defaultLearningRate(costStd: number): number {
  return 0.01 * (costStd > 0 ? costStd : 1);
}

/** Checks an `averageDecay` option: a number in [0, 1) (internal). */
export function requireAverageDecay(
  value: unknown,
  functionName: string,
  argumentName: string,
): number {
  if (!(typeof value === 'number' && value >= 0 && value < 1)) {
    throw new InvalidArgumentError({
      functionName,
      argumentName,
      message: 'must be a number in [0, 1)',
      value,
    });
  }
  return value;
}

/**
 * The semidiscrete dual ascent [mousavi2025semidiscrete] from a saved state, stepped by batches of
 * fresh draws (internal): shared by `solveSemidiscrete` and a partner sampler that refines its
 * dual, so that both take exactly the same steps.
 */
export interface DualAscent {
  /** Adam's iterate `g`, the moving average that is used, and the steps taken. */
  readonly g: Float64Array;
  readonly gAverage: Float64Array;
  readonly step: number;
  /**
   * One step on the `count` rows `x` (`count x d`): their (soft) assignments under the iterate
   * `g` (`kernel` in `argmax` mode when hard, `softmax` when entropic), then
   *
   *     grad_j = b_j - sums_j / count,
   *     g <- g + lr_t m_hat / (sqrt(v_hat) + 1e-12),   lr_t = learningRate / sqrt(1 + t / 100),
   *     gAverage <- decay_t gAverage + (1 - decay_t) g,  decay_t = min(averageDecay, (1 + t) / (10 + t)),
   *
   * (Robbins-Monro decay 1 / sqrt(t): with the average it reaches any precision; the average's
   * warm-up lets the early iterates, far from the optimum, fade fast).
   */
  advance(kernel: ScoreKernel, x: Float32Array | Float64Array, count: number): void;
  /** The iterate's part of a {@link SemidiscreteState}, copied. */
  saved(): Pick<SemidiscreteState, 'step' | 'g' | 'gAverage' | 'firstMoment' | 'secondMoment'>;
}

/** Starts the ascent of {@link DualAscent} at `state`'s iterate (the arrays are copied). */
export function createDualAscent({
  target,
  state,
  epsilon,
  learningRate,
  averageDecay,
}: {
  readonly target: SemidiscreteTarget;
  readonly state: Pick<
    SemidiscreteState,
    'step' | 'g' | 'gAverage' | 'firstMoment' | 'secondMoment'
  >;
  readonly epsilon: number;
  readonly learningRate: number;
  readonly averageDecay: number;
}): DualAscent {
  const g = Float64Array.from(state.g);
  const gAverage = Float64Array.from(state.gAverage);
  const firstMoment = Float64Array.from(state.firstMoment);
  const secondMoment = Float64Array.from(state.secondMoment);
  let step = state.step;
  const offsets = new Float64Array(target.count);
  const sums = new Float64Array(target.count);
  const { weights } = target;
  return {
    g,
    gAverage,
    get step() {
      return step;
    },
    advance(kernel, x, count) {
      scoreOffsets(target, g, epsilon, offsets);
      sums.fill(0);
      kernel(target, {
        x,
        count,
        offsets,
        mode: epsilon > 0 ? 'softmax' : 'argmax',
        epsilon,
        assignmentSums: sums,
      });
      step += 1;
      const correction1 = 1 - ADAM_BETA1 ** step;
      const correction2 = 1 - ADAM_BETA2 ** step;
      const stepSize = learningRate / Math.sqrt(1 + step / LEARNING_RATE_DECAY_STEPS);
      const decay = Math.min(averageDecay, (1 + step) / (10 + step));
      for (let j = 0; j < g.length; j += 1) {
        const gradient = (weights[j] as number) - (sums[j] as number) / count;
        const m = ADAM_BETA1 * (firstMoment[j] as number) + (1 - ADAM_BETA1) * gradient;
        const v = ADAM_BETA2 * (secondMoment[j] as number) + (1 - ADAM_BETA2) * gradient * gradient;
        firstMoment[j] = m;
        secondMoment[j] = v;
        const next =
          (g[j] as number) +
          (stepSize * (m / correction1)) / (Math.sqrt(v / correction2) + ADAM_EPSILON);
        g[j] = next;
        gAverage[j] = decay * (gAverage[j] as number) + (1 - decay) * next;
      }
    },
    saved: () => ({
      step,
      g: Array.from(g),
      gAverage: Array.from(gAverage),
      firstMoment: Array.from(firstMoment),
      secondMoment: Array.from(secondMoment),
    }),
  };
}
