/**
 * The settings of one run of {@link runGaussianStudy}: network sizes, steps and sampling.
 *
 * @example
 * ```ts
 * const settings: GaussianStudySettings = { ...GAUSSIAN_STUDY_BUDGETS.small, pairs: 4000 };
 * ```
 */
export interface GaussianStudySettings {
  /** Hidden layers of phi, psi and T. */
  readonly hiddenLayers: number;
  /** Their width. */
  readonly width: number;
  /** Steps of dual ascent (Algorithm 1). */
  readonly dualSteps: number;
  /** Steps of the barycentric projection's regression. */
  readonly projectionSteps: number;
  /** Points per side of every minibatch. */
  readonly batchSize: number;
  /** Adam's learning rate (both trainings). */
  readonly learningRate: number;
  /** Sampled pairs `(x, y)` whose joint covariance is scored (the paper: 10 000). */
  readonly pairs: number;
  /** Langevin steps (the paper: 1000, no annealing). */
  readonly langevinSteps: number;
  /** Langevin step size epsilon (Algorithm 2's `y + epsilon/2 score + sqrt(epsilon) z`). */
  readonly stepSize: number;
}

/**
 * Named budgets of {@link runGaussianStudy}. `paper` follows the paper's protocol for sampling and
 * scoring [daniels2021, Sec. 5.2 and Table 7]: 10 000 pairs, 1000 Langevin steps without annealing
 * on the exact target score, KL regularization with `lambda = 2d`; its networks (3 x 128 SiLU) and
 * step counts are sized for a CPU, not the paper's 3 x 2048 ReLU networks trained on a GPU.
 * `small` is for tests and CI (seconds at d = 2).
 *
 * @example
 * ```ts
 * GAUSSIAN_STUDY_BUDGETS.paper.pairs; // 10000
 * ```
 */
export const GAUSSIAN_STUDY_BUDGETS: Readonly<Record<'small' | 'paper', GaussianStudySettings>> =
  Object.freeze({
    small: Object.freeze({
      hiddenLayers: 2,
      width: 32,
      dualSteps: 400,
      projectionSteps: 200,
      batchSize: 128,
      learningRate: 3e-3,
      pairs: 2000,
      langevinSteps: 300,
      stepSize: 0.02,
    }),
    paper: Object.freeze({
      hiddenLayers: 3,
      width: 128,
      dualSteps: 3000,
      projectionSteps: 1500,
      batchSize: 256,
      learningRate: 1e-3,
      pairs: 10_000,
      langevinSteps: 1000,
      stepSize: 0.01,
    }),
  });
