/**
 * The pair sources of {@link PairSource}, one per coupling the paper compares [klein2025].
 *
 * @example
 * ```ts
 * const kind: PairSourceKind = pairs.kind; // 'batch-ot'
 * ```
 */
export type PairSourceKind =
  | 'independent'
  | 'batch-ot'
  | 'precomputed'
  | 'exact'
  | 'supervised'
  | 'semidiscrete';

/**
 * What one coupling cost and reached: the paper's x-axis is the Sinkhorn time per example
 * (`seconds / n`) and its legend the renormalized entropy `E` [klein2025, Fig. 1].
 *
 * @example
 * ```ts
 * const [report] = (await pairs.next({ count: 2048 })).couplings;
 * report?.renormalizedEntropy; // e.g. 0.1
 * report?.secondsPerExample; // e.g. 2.5e-5
 * ```
 */
export interface CouplingReport {
  /** The chunk of the stream this coupling produced (0-based). */
  readonly chunk: number;
  /** Points per side of the coupling (the OT batch size n). */
  readonly n: number;
  /** `E(P) = 2 H(P) / (H(a) + H(b)) - 1`; 0 for an exact assignment. */
  readonly renormalizedEntropy: number;
  /** The relative epsilon used (`eps / std(C)`); 0 for an exact assignment. */
  readonly relativeEpsilon: number;
  /** Whether Sinkhorn met its threshold (always true for an assignment). */
  readonly converged: boolean;
  /** Sinkhorn iterations (summed over the entropy search); 0 for an assignment. */
  readonly iterations: number;
  /** `<P, 1/2 ||x - y||^2>` of the coupling. */
  readonly transportCostSqEuclidean: number;
  /** Seconds of the solve (every solve of an entropy search; the assignment for `exact`). */
  readonly seconds: number;
  /** `seconds / n`, the paper's cost axis. */
  readonly secondsPerExample: number;
}

/**
 * Pairs for one training batch (Algorithm 2, lines 1-4 [klein2025]): row `k` of `x0` is coupled
 * with row `k` of `x1`.
 *
 * @example
 * ```ts
 * const { x0, x1, count, d } = await pairs.next({ count: 256 });
 * x0.length === count * d; // true
 * ```
 */
export interface PairBatch {
  /** Number of pairs. */
  readonly count: number;
  /** Dimension. */
  readonly d: number;
  /** `x_0^{i_k}`, row-major `count x d` (source, noise). */
  readonly x0: Float32Array;
  /** `x_1^{j_k}`, row-major `count x d` (target, data). */
  readonly x1: Float32Array;
  /** The couplings whose first pairs appear in this batch (empty for independent and supervised). */
  readonly couplings: readonly CouplingReport[];
}

/**
 * The position of a pair stream, as stored in a checkpoint: the chunk being consumed, how many
 * of its pairs were used, source-specific JSON (`extra`) and arrays (`arrays`: the potentials of a
 * precomputed coupling, written as `.npy`).
 *
 * @example
 * ```ts
 * const state: PairSourceState = pairs.getState(); // { kind: 'batch-ot', version: 1, chunk: 3, offset: 512, ... }
 * await pairs.start({ state }); // continues exactly there
 * ```
 */
export interface PairSourceState {
  readonly kind: PairSourceKind;
  readonly version: 1;
  /** Index of the chunk holding the next pair. */
  readonly chunk: number;
  /** Pairs of that chunk already used. */
  readonly offset: number;
  /** Source-specific data (JSON). */
  readonly extra: Readonly<Record<string, number | string | boolean | null>>;
  /** Source-specific arrays (float64), such as the potentials `f`, `g` of a precomputed coupling. */
  readonly arrays: Readonly<Record<string, Float64Array>>;
}

/**
 * Totals over the couplings a source has produced since it was started: the paper's two axes,
 * `E` and OT seconds per example [klein2025], and where the OT ran.
 *
 * @example
 * ```ts
 * const { execution, meanRenormalizedEntropy, otSecondsPerExample } = pairs.statistics();
 * ```
 */
export interface PairSourceStatistics {
  readonly kind: PairSourceKind;
  /** Where the OT runs: `'worker'`, `'main-thread'`, or `'none'` for sources without OT. */
  readonly execution: 'worker' | 'main-thread' | 'none';
  /** Why the worker was not used, when it was asked for and not available; else null. */
  readonly executionNote: string | null;
  /** Couplings (or assignments) computed. */
  readonly couplings: number;
  /** Pairs handed out. */
  readonly pairs: number;
  /** `E` of the last coupling, or null. */
  readonly lastRenormalizedEntropy: number | null;
  /** Mean `E` over the couplings, or null. */
  readonly meanRenormalizedEntropy: number | null;
  /** Total OT seconds (solves and, for `precomputed`, the one solve only). */
  readonly otSeconds: number;
  /** OT seconds per coupled example (`sum seconds / sum n`); 0 without OT. */
  readonly otSecondsPerExample: number;
  /** Seconds spent sampling pairs from a precomputed coupling. */
  readonly samplingSeconds: number;
  /** True when every Sinkhorn solve converged. */
  readonly allConverged: boolean;
  /** The semidiscrete dual's fit (`semidiscrete` sources; null or absent for the others). */
  readonly semidiscreteFit?: SemidiscreteFitReport | null;
}

/**
 * What the fit of a semidiscrete dual `g` reached [mousavi2025semidiscrete]: its steps, its
 * chi-square marginal error `sum_j (p_j - b_j)^2 / b_j` (bias-corrected Monte-Carlo estimate on
 * fresh noise, with its standard error) against the threshold, its seconds, epsilon, and the
 * principal components it worked on. `origin` says whether this source fitted `g`, was given it,
 * or read it from a checkpoint.
 *
 * @example
 * ```ts
 * const fit = pairs.statistics().semidiscreteFit;
 * if (fit && !fit.converged) console.warn(`chi-square ${fit.marginalError} > ${fit.threshold}`);
 * ```
 */
export interface SemidiscreteFitReport {
  /** N, the data points (the length of `g`). */
  readonly n: number;
  /** Optimizer steps of the fit (0 for a given dual). */
  readonly steps: number;
  /** The chi-square marginal error of the last evaluation, or null when unknown (a given dual). */
  readonly marginalError: number | null;
  readonly marginalErrorStandardError: number | null;
  /** The fit's stopping threshold on the chi-square error, or null when unknown. */
  readonly threshold: number | null;
  readonly converged: boolean;
  readonly seconds: number;
  /** Absolute epsilon (0: the hard coupling). */
  readonly epsilon: number;
  /** Principal components of the cost, or null for the full dimension. */
  readonly pcaComponents: number | null;
  /** Fraction of the data's variance those components keep, or null without PCA. */
  readonly explainedVarianceRatio: number | null;
  readonly origin: 'fit' | 'given' | 'checkpoint';
  /**
   * Steps of the fit taken during training, one per chunk of pairs (`refineDual`); absent when the
   * dual is not refined. `steps` counts the fit before training only.
   */
  readonly refinedSteps?: number;
}

/**
 * A stream of training pairs `(x_0, x_1)` (the pair preparation of Algorithm 2, lines 1-4
 * [klein2025]): independent (I-FM [lipman2023]), batch-OT by Sinkhorn (OT-FM [tong2024]), one large
 * precomputed coupling, the exact assignment, or supervised ground-truth pairs. A source cuts its
 * stream into chunks (one coupling, one sampling draw, one independent batch) and prepares the
 * next chunks ahead while the trainer consumes the current one; `next` waits only when they are
 * not ready.
 *
 * Lifecycle: `start()` (from the beginning, or from a checkpoint's state), any number of
 * `next({ count })`, `getState()` for checkpoints, `dispose()`.
 *
 * @example
 * ```ts
 * const pairs: PairSource = createIndependentPairSource({ source, target, seed: 0 });
 * await pairs.start();
 * const batch = await pairs.next({ count: 256 }); // batch.x0, batch.x1: Float32Array(256 * d)
 * await pairs.dispose();
 * ```
 */
export interface PairSource {
  readonly kind: PairSourceKind;
  /** Dimension of the points. */
  readonly d: number;
  /** (Re)starts the stream at the beginning, or at a saved state. */
  start(options?: { readonly state?: PairSourceState }): Promise<void>;
  /** The next `count` pairs of the stream. */
  next(options: { readonly count: number }): Promise<PairBatch>;
  /** The position of the next unconsumed pair. */
  getState(): PairSourceState;
  /** Totals since `start`. */
  statistics(): PairSourceStatistics;
  /** Stops the preparation (terminates the worker). */
  dispose(): Promise<void>;
}
