/** Adam's constants (Kingma and Ba's defaults). */
const ADAM_BETA1 = 0.9;
const ADAM_BETA2 = 0.999;
const ADAM_EPSILON = 1e-12;
/** The step size decays as `learningRate / sqrt(1 + step / LEARNING_RATE_DECAY_STEPS)`. */
const LEARNING_RATE_DECAY_STEPS = 100;

/** The iterate of the semidiscrete dual ascent, updated in place by {@link ascentStep} (internal). */
export interface AscentIterate {
  /** Adam's iterate `g`. */
  readonly g: Float64Array;
  /** The exponential moving average of the iterates: the dual that is used. */
  readonly gAverage: Float64Array;
  readonly firstMoment: Float64Array;
  readonly secondMoment: Float64Array;
  /** Steps taken so far (the next one is `step + 1`). */
  step: number;
}

/**
 * One step of Adam ascent on the semidiscrete dual `D(g) = E_x[f(x)] + <g, b>`
 * [mousavi2025semidiscrete] from the (soft) assignments of a batch of `batchSize` fresh draws:
 *
 *     grad_j = b_j - sums_j / batchSize,
 *     g <- g + lr_t m_hat / (sqrt(v_hat) + 1e-12),   lr_t = learningRate / sqrt(1 + t / 100),
 *     gAverage <- decay_t gAverage + (1 - decay_t) g,  decay_t = min(averageDecay, (1 + t) / (10 + t)),
 *
 * (Robbins-Monro decay 1 / sqrt(t): with the average it reaches any precision; the average's
 * warm-up lets the early iterates, far from the optimum, fade fast). Internal: shared by
 * `solveSemidiscrete` and a partner sampler that refines its dual.
 */
export function ascentStep(
  iterate: AscentIterate,
  {
    sums,
    batchSize,
    weights,
    learningRate,
    averageDecay,
  }: {
    /** Per point, the batch's rows assigned to it (hard) or its soft assignments, summed. */
    readonly sums: Float64Array;
    readonly batchSize: number;
    /** `b`, the points' weights. */
    readonly weights: Float64Array;
    readonly learningRate: number;
    readonly averageDecay: number;
  },
): void {
  const { g, gAverage, firstMoment, secondMoment } = iterate;
  iterate.step += 1;
  const step = iterate.step;
  const correction1 = 1 - ADAM_BETA1 ** step;
  const correction2 = 1 - ADAM_BETA2 ** step;
  const stepSize = learningRate / Math.sqrt(1 + step / LEARNING_RATE_DECAY_STEPS);
  const decay = Math.min(averageDecay, (1 + step) / (10 + step));
  for (let j = 0; j < g.length; j += 1) {
    const gradient = (weights[j] as number) - (sums[j] as number) / batchSize;
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
}
