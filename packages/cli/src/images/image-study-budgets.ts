/** The sizes of a run of `sinkflow images` (see {@link IMAGE_STUDY_BUDGETS}). */
export interface ImageStudyBudget {
  readonly name: 'tiny' | 'small' | 'paper';
  /** Training images read (the first ones of the split; 60 000 is all). */
  readonly trainImages: number;
  /** Test images the Fréchet distance compares with (10 000 is all). */
  readonly testImages: number;
  readonly classifier: {
    readonly sizes: readonly number[];
    readonly epochs: number;
    readonly batchSize: number;
    readonly learningRate: number;
  };
  /** n: points per side of each coupling (at most `trainImages`). */
  readonly couplingSizes: readonly number[];
  /** E: the renormalized entropies of the couplings (I-FM is E = 1). */
  readonly targetEntropies: readonly number[];
  /** Principal components of the coupling's cost; undefined for the full 784 pixels. */
  readonly pcaComponents: number | undefined;
  /** The velocity MLP (fm's createMlpVelocityModel: Fourier time features, SiLU). */
  readonly model: { readonly hiddenLayers: number; readonly width: number };
  /** Adam steps and examples per step of every flow (I-FM and OT-FM alike). */
  readonly training: { readonly steps: number; readonly batchSize: number };
  /** Steps between training checkpoints. */
  readonly checkpointEvery: number;
  /** Noises sampled by every model (the Fréchet distance's sample size). */
  readonly evaluationSamples: number;
  readonly curvatureSamples: number;
  /** Euler steps of the curvature's trajectories. */
  readonly curvatureSteps: number;
  /**
   * Batch OT-FM [tong2024]: a fresh Sinkhorn coupling of `couplingSize` noises and images at E for
   * every `couplingSize` pairs; null for none.
   */
  readonly batchCoupling: { readonly couplingSize: number; readonly targetEntropy: number } | null;
  /**
   * Semidiscrete OT-FM [mousavi2025semidiscrete]: the hard dual over all training images (on the
   * budget's principal components), fitted by Adam on `batchSize` fresh noises a step for at most
   * `maxSteps` steps or until the chi-square marginal error is below `threshold` (estimated on
   * `evaluationSize` noises every `evaluateEvery` steps); null for none.
   */
  readonly semidiscrete: {
    readonly batchSize: number;
    readonly maxSteps: number;
    readonly threshold: number;
    readonly evaluateEvery: number;
    readonly evaluationSize: number;
  } | null;
}

/**
 * The budgets of `sinkflow images`: `small` (the default: a few minutes on 2 cores, one coupling
 * against I-FM), `paper` (the study: n = 4096, 16 384, 60 000 by E = 0.05, 0.1, 0.2, then batch
 * OT-FM at n = 256 and semidiscrete OT-FM over the 60 000 images; hours) and `tiny` (the
 * end-to-end test: a few hundred images, a few steps, every kind of coupling).
 */
export const IMAGE_STUDY_BUDGETS: Readonly<Record<ImageStudyBudget['name'], ImageStudyBudget>> = {
  tiny: {
    name: 'tiny',
    trainImages: 400,
    testImages: 200,
    classifier: { sizes: [784, 32, 16, 10], epochs: 1, batchSize: 50, learningRate: 1e-3 },
    couplingSizes: [256],
    targetEntropies: [0.1],
    pcaComponents: 16,
    model: { hiddenLayers: 1, width: 32 },
    training: { steps: 6, batchSize: 32 },
    checkpointEvery: 3,
    evaluationSamples: 48,
    curvatureSamples: 16,
    curvatureSteps: 4,
    batchCoupling: { couplingSize: 32, targetEntropy: 0.1 },
    semidiscrete: {
      batchSize: 64,
      maxSteps: 20,
      threshold: 0.05,
      evaluateEvery: 10,
      evaluationSize: 4096,
    },
  },
  small: {
    name: 'small',
    trainImages: 60_000,
    testImages: 10_000,
    classifier: { sizes: [784, 256, 128, 10], epochs: 2, batchSize: 128, learningRate: 1e-3 },
    couplingSizes: [4096],
    targetEntropies: [0.1],
    pcaComponents: 64,
    model: { hiddenLayers: 3, width: 512 },
    training: { steps: 400, batchSize: 128 },
    checkpointEvery: 100,
    evaluationSamples: 1000,
    curvatureSamples: 256,
    curvatureSteps: 32,
    batchCoupling: null,
    semidiscrete: null,
  },
  paper: {
    name: 'paper',
    trainImages: 60_000,
    testImages: 10_000,
    classifier: { sizes: [784, 256, 128, 10], epochs: 5, batchSize: 128, learningRate: 1e-3 },
    couplingSizes: [4096, 16_384, 60_000],
    targetEntropies: [0.05, 0.1, 0.2],
    pcaComponents: 64,
    model: { hiddenLayers: 3, width: 512 },
    training: { steps: 4000, batchSize: 256 },
    checkpointEvery: 250,
    evaluationSamples: 5000,
    curvatureSamples: 512,
    curvatureSteps: 64,
    batchCoupling: { couplingSize: 256, targetEntropy: 0.1 },
    semidiscrete: {
      batchSize: 1024,
      maxSteps: 3000,
      threshold: 0.05,
      evaluateEvery: 250,
      evaluationSize: 65_536,
    },
  },
};
