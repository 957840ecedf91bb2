import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { RandomGenerator } from '@sinkflow/core';
import {
  createBatchOtPairSource,
  createIndependentPairSource,
  createSemidiscretePairSource,
  type DistributionSampler,
  type PairSource,
  type PairSourceStatistics,
  type SemidiscreteFitReport,
  standardNormalSampler,
} from '@sinkflow/fm';
import type { SemidiscreteState } from '@sinkflow/ot';
import { readJsonIfPresent, writeJsonAtomically } from '../sweep/run-files.js';
import { loadOrSolveImageCoupling } from './image-coupling.js';
import type { ImageStudyBudget } from './image-study-budgets.js';
import { createSampledPairSource } from './sampled-pair-source.js';

/**
 * How a flow of the study gets its pairs: independent (I-FM [lipman2023]), one large Sinkhorn
 * coupling solved once (OT-FM at n [klein2025]), a fresh Sinkhorn coupling of every training
 * batch (batch OT-FM [tong2024]), or the semidiscrete coupling between the noise and all training
 * images (one dual vector, fresh noise every step [mousavi2025semidiscrete]).
 */
export type ImageCouplingKind = 'independent' | 'sinkhorn' | 'batch-sinkhorn' | 'semidiscrete';

/** One flow of the study: its name (and folder), its pairs, n and the E asked for. */
export interface ImageStudyPlan {
  readonly name: string;
  readonly coupling: ImageCouplingKind;
  /** Points per side of the coupling (the data set's N for semidiscrete; null for I-FM). */
  readonly n: number | null;
  /** E asked for: 1 for I-FM, 0 for the hard semidiscrete coupling (a map). */
  readonly targetEntropy: number;
}

/**
 * The flows a budget trains, in order: I-FM, one OT-FM per (n, E) of the budget, then batch
 * OT-FM and semidiscrete OT-FM when the budget has them.
 *
 * @example
 * ```ts
 * imageStudyPlans(IMAGE_STUDY_BUDGETS.tiny, 400).map((plan) => plan.name);
 * // ['i-fm', 'ot-fm-n256-e0.1', 'batch-ot-n32-e0.1', 'semidiscrete-hard']
 * ```
 */
export function imageStudyPlans(budget: ImageStudyBudget, trainImages: number): ImageStudyPlan[] {
  const plans: ImageStudyPlan[] = [
    { name: 'i-fm', coupling: 'independent', n: null, targetEntropy: 1 },
    ...budget.couplingSizes.flatMap((n) =>
      budget.targetEntropies.map((targetEntropy) => ({
        name: `ot-fm-n${n}-e${targetEntropy}`,
        coupling: 'sinkhorn' as const,
        n: Math.min(n, trainImages),
        targetEntropy,
      })),
    ),
  ];
  const { batchCoupling, semidiscrete } = budget;
  if (batchCoupling !== null) {
    plans.push({
      name: `batch-ot-n${batchCoupling.couplingSize}-e${batchCoupling.targetEntropy}`,
      coupling: 'batch-sinkhorn',
      n: batchCoupling.couplingSize,
      targetEntropy: batchCoupling.targetEntropy,
    });
  }
  if (semidiscrete !== null) {
    plans.push({
      name: 'semidiscrete-hard',
      coupling: 'semidiscrete',
      n: trainImages,
      targetEntropy: 0,
    });
  }
  return plans;
}

/** What a flow's pairs cost and reached, for its row of the study. */
export interface ImagePairFacts {
  /** E of the coupling (mean over batches for batch OT; 1 for I-FM; 0 for the hard semidiscrete map). */
  readonly renormalizedEntropy: number | null;
  /**
   * OT seconds per coupled example: solve / n, the batches' mean, or the dual's fit / N; null
   * when unknown (batch OT resumed at its last step solves nothing).
   */
  readonly sinkhornSecondsPerExample: number | null;
  /** Seconds of the large coupling's search or of the semidiscrete fit (null otherwise). */
  readonly couplingSeconds: number | null;
  readonly couplingMode: string | null;
  /** What the semidiscrete dual's fit reached (null for the other couplings). */
  readonly semidiscreteFit: SemidiscreteFitReport | null;
}

/**
 * Opens the pairs of one plan: for `sinkhorn`, the coupling of n noises and n training images is
 * loaded or solved (and saved) first; for `semidiscrete`, the dual's fit is saved to
 * `couplings/semidiscrete/fit-state.json` at every evaluation and resumed from there. `facts()`
 * reads what the pairs reached once training has used them (it survives `dispose`).
 */
export async function openImagePairSource({
  plan,
  budget,
  images,
  train,
  d,
  root,
  seed,
  outDirectory,
  memoryBudgetBytes,
  log,
}: {
  readonly plan: ImageStudyPlan;
  readonly budget: ImageStudyBudget;
  /** Training images drawn uniformly, for I-FM and batch OT. */
  readonly images: DistributionSampler;
  readonly train: { readonly images: Float32Array; readonly n: number };
  readonly d: number;
  /** The study's root generator (streams 2 and 3: the large couplings' noise and images). */
  readonly root: RandomGenerator;
  /** This flow's seed. */
  readonly seed: number;
  readonly outDirectory: string;
  readonly memoryBudgetBytes: number | undefined;
  readonly log: (message: string) => void;
}): Promise<{ readonly pairs: PairSource; readonly facts: () => ImagePairFacts }> {
  const noise = standardNormalSampler({ d });
  switch (plan.coupling) {
    case 'independent': {
      const pairs = createIndependentPairSource({ source: noise, target: images, seed });
      return {
        pairs,
        facts: () => ({
          renormalizedEntropy: 1,
          sinkhornSecondsPerExample: 0,
          couplingSeconds: null,
          couplingMode: null,
          semidiscreteFit: null,
        }),
      };
    }
    case 'sinkhorn': {
      const n = plan.n as number;
      // Noise and images of the coupling depend on n only, so the couplings at every E share them.
      const x0 = root
        .split(2)
        .split(n)
        .fillNormal(new Float32Array(n * d));
      const order = root.split(3).permutation(train.n);
      const x1 = new Float32Array(n * d);
      for (let k = 0; k < n; k += 1) {
        const row = order[k] as number;
        x1.set(train.images.subarray(row * d, (row + 1) * d), k * d);
      }
      log(`${plan.name}: coupling of ${n} noises and ${n} images at E = ${plan.targetEntropy}`);
      const coupling = await loadOrSolveImageCoupling({
        directory: join(outDirectory, 'couplings', `n${n}-e${plan.targetEntropy}`),
        x0,
        x1,
        d,
        settings: {
          n,
          targetEntropy: plan.targetEntropy,
          pcaComponents: budget.pcaComponents,
          pairs: budget.training.steps * budget.training.batchSize,
          seed,
        },
        memoryBudgetBytes,
      });
      const c = coupling.facts;
      log(
        `  ${coupling.loaded ? 'loaded' : 'solved'}: E = ${c.renormalizedEntropy?.toFixed(4)} (relative epsilon ${c.relativeEpsilon?.toExponential(3)}, ${c.solves} solves, ${c.iterations} iterations, ${c.mode} on ${c.backend}), ${c.solveSeconds.toFixed(1)} s = ${c.secondsPerExample.toExponential(3)} s per example`,
      );
      const pairs = createSampledPairSource({
        x0,
        x1,
        d,
        rows: coupling.rows,
        columns: coupling.columns,
        renormalizedEntropy: c.renormalizedEntropy ?? 1,
        secondsPerExample: c.secondsPerExample,
      });
      return {
        pairs,
        facts: () => ({
          renormalizedEntropy: c.renormalizedEntropy,
          sinkhornSecondsPerExample: c.secondsPerExample,
          couplingSeconds: c.solveSeconds,
          couplingMode: c.mode,
          semidiscreteFit: null,
        }),
      };
    }
    case 'batch-sinkhorn': {
      const kept = keepingStatistics(
        createBatchOtPairSource({
          source: noise,
          target: images,
          couplingSize: plan.n as number,
          targetEntropy: plan.targetEntropy,
          seed,
        }),
      );
      return {
        pairs: kept.pairs,
        facts: () => {
          const statistics = kept.statistics();
          // A flow resumed at its last step solved nothing in this process: no E, no cost.
          const solved = statistics.couplings > 0;
          return {
            renormalizedEntropy: solved ? statistics.meanRenormalizedEntropy : null,
            sinkhornSecondsPerExample: solved ? statistics.otSecondsPerExample : null,
            couplingSeconds: null,
            couplingMode: null,
            semidiscreteFit: null,
          };
        },
      };
    }
    case 'semidiscrete': {
      const settings = budget.semidiscrete as NonNullable<ImageStudyBudget['semidiscrete']>;
      const directory = join(outDirectory, 'couplings', 'semidiscrete');
      await mkdir(directory, { recursive: true });
      const statePath = join(directory, 'fit-state.json');
      // The saved state is resumed only by the same fit: the same points, components, settings
      // and seed (a state resumes its own random stream, whatever the seed).
      const fitSettings = {
        n: train.n,
        pcaComponents: budget.pcaComponents ?? null,
        seed,
        ...settings,
      };
      const saved = await readJsonIfPresent<{ settings?: unknown; state?: SemidiscreteState }>(
        statePath,
      );
      const resumable =
        saved?.state !== undefined && JSON.stringify(saved.settings) === JSON.stringify(fitSettings)
          ? saved.state
          : null;
      if (resumable !== null) {
        log(`${plan.name}: resuming the dual's fit at step ${resumable.step}`);
      } else if (saved !== null) {
        log(`${plan.name}: ${statePath} holds another fit's state; fitting from the start`);
      }
      // Saves one after the other; a failed save is reported and the fit goes on.
      let saving = Promise.resolve();
      log(
        `${plan.name}: fitting one dual over ${train.n} images (hard, ${budget.pcaComponents ?? d} components, at most ${settings.maxSteps} steps of ${settings.batchSize} noises)`,
      );
      const kept = keepingStatistics(
        createSemidiscretePairSource({
          source: noise,
          data: { data: train.images, n: train.n, d },
          ...(budget.pcaComponents === undefined ? {} : { pcaComponents: budget.pcaComponents }),
          fit: { ...settings, ...(resumable === null ? {} : { initialState: resumable }) },
          samplesPerChunk: budget.training.batchSize,
          seed,
          onFitProgress: (progress) => {
            log(
              `  fit step ${progress.step}: chi-square ${progress.marginalError.toPrecision(4)} ± ${progress.marginalErrorStandardError.toPrecision(2)} (${progress.seconds.toFixed(0)} s)`,
            );
            const state = progress.checkpoint();
            saving = saving
              .then(() => writeJsonAtomically(statePath, { settings: fitSettings, state }))
              .catch((error: unknown) => log(`  could not save the fit's state: ${String(error)}`));
          },
        }),
      );
      return {
        pairs: kept.pairs,
        facts: () => {
          const statistics = kept.statistics();
          return {
            renormalizedEntropy: 0,
            sinkhornSecondsPerExample: statistics.otSecondsPerExample,
            couplingSeconds: statistics.semidiscreteFit?.seconds ?? null,
            couplingMode: null,
            semidiscreteFit: statistics.semidiscreteFit ?? null,
          };
        },
      };
    }
  }
}

/** The source itself, whose statistics stay readable after `dispose` (the trainer disposes it). */
function keepingStatistics(pairs: PairSource): {
  readonly pairs: PairSource;
  readonly statistics: () => PairSourceStatistics;
} {
  let last: PairSourceStatistics | null = null;
  return {
    pairs: {
      ...pairs,
      dispose: async () => {
        last = pairs.statistics();
        await pairs.dispose();
      },
    },
    statistics: () => last ?? pairs.statistics(),
  };
}
