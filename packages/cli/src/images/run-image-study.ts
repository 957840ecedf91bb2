import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { createRandomGenerator, InvalidArgumentError } from '@sinkflow/core';
import { DEBIAN_FASHION_MNIST_DIRECTORY, readFashionMnist } from '@sinkflow/datasets/node';
import type { DistributionSampler, SemidiscreteFitReport, TrainingWorkers } from '@sinkflow/fm';
import { featureFrechetDistance } from '@sinkflow/metrics';
import { readJsonIfPresent, writeJsonAtomically } from '../sweep/run-files.js';
import { type ClassifierFacts, loadOrTrainClassifier } from './classifier-checkpoint.js';
import {
  evaluateImageModel,
  IMAGE_SAMPLERS,
  type ImageModelEvaluation,
  type ImageSamplerName,
} from './evaluate-image-model.js';
import { imageGridPng } from './image-grid-png.js';
import {
  type ImageCouplingKind,
  imageStudyPlans,
  openImagePairSource,
} from './image-pair-source.js';
import type { ImageStudyBudget } from './image-study-budgets.js';
import { trainImageFlow } from './train-image-flow.js';

/** One trained and evaluated flow of the study (a row of DESIGN.md's `runs`). */
export interface ImageStudyRun {
  readonly name: string;
  readonly coupling: ImageCouplingKind;
  /** Points per side of the coupling (the data set's N for semidiscrete; null for I-FM). */
  readonly n: number | null;
  /** E asked for (1 for I-FM, whose coupling is the independent one; 0 for the semidiscrete map). */
  readonly targetEntropy: number;
  /** E reached (1 for I-FM; the batches' mean for batch OT). */
  readonly renormalizedEntropy: number | null;
  /** Mean curvature of the bounded trajectories (see `divergedTrajectories`). */
  readonly curvature: number;
  readonly curvatureMedian: number;
  /** Curvature trajectories that diverged (left out of `curvature`). */
  readonly divergedTrajectories: number;
  readonly frechet: Record<ImageSamplerName, number>;
  readonly functionEvaluations: Record<ImageSamplerName, number>;
  readonly samples: Record<ImageSamplerName, string>;
  readonly grid: string;
  /**
   * OT seconds per example [klein2025]: the large coupling's solve / n, the batch couplings' mean,
   * or the semidiscrete fit / N; 0 for I-FM; null when unknown (batch OT resumed at its last step).
   */
  readonly sinkhornSecondsPerExample: number | null;
  /** Seconds of the large coupling's entropy search or of the semidiscrete fit (else null). */
  readonly couplingSeconds: number | null;
  readonly couplingMode: string | null;
  /** What the semidiscrete dual's fit reached (null, or absent in older runs, for the others). */
  readonly semidiscreteFit?: SemidiscreteFitReport | null;
  readonly trainSeconds: number;
  readonly finalLoss: number | null;
  readonly evaluationSeconds: number;
}

/** What `sinkflow images` reports (the JSON of DESIGN.md). */
export interface ImageStudyResult {
  readonly dataset: {
    readonly name: 'fashion-mnist';
    readonly directory: string;
    readonly trainImages: number;
    readonly testImages: number;
    readonly d: number;
    readonly pixelScale: '[-1, 1]';
  };
  readonly budget: ImageStudyBudget['name'];
  readonly seed: number;
  readonly classifier: ClassifierFacts;
  /**
   * The scale of the Fréchet distances: `train`, as many training images as samples (the floor a
   * perfect model reaches at this sample size); `noise`, the evaluation noise clipped to [-1, 1].
   */
  readonly reference: { readonly train: number; readonly noise: number };
  readonly runs: readonly ImageStudyRun[];
  /** PNG grids, one per sampler: a row per model, the same noises in every row. */
  readonly grids: Record<ImageSamplerName, string>;
  readonly seconds: number;
}

/** What the study is doing now, for a progress bar. */
export interface ImageStudyProgress {
  readonly phase: string;
  readonly step: number;
  readonly total: number;
}

/**
 * The Fashion-MNIST study of `sinkflow images` [klein2025, xiao2017fashion]: a classifier for the
 * Fréchet distance (trained once), then I-FM and one OT-FM per coupling size n and entropy E
 * (couplings between Gaussian noise and n training images, solved once at E and sampled into the
 * pairs of training), every flow trained on the same budget, sampled from the same noise at 2, 4,
 * 8, 16 Euler steps and Dopri5, scored by the classifier's feature Fréchet distance to the test
 * images and by curvature. Everything long is saved under `outDirectory` and reused on the next
 * run (the classifier, each coupling, each model's checkpoints and evaluation), so a killed study
 * resumes where it stopped. `onRun` sees each run as it finishes (to store it).
 *
 * @example
 * ```ts
 * const result = await runImageStudy({ outDirectory: 'images-small', budget: IMAGE_STUDY_BUDGETS.small });
 * result.runs.map((run) => [run.name, run.frechet['euler-4']]);
 * ```
 */
export async function runImageStudy({
  dataDirectory = DEBIAN_FASHION_MNIST_DIRECTORY,
  outDirectory,
  budget,
  seed = 0,
  memoryBudgetBytes,
  log = () => {},
  onProgress = () => {},
  onRun = async () => {},
  workers = 'auto',
  only,
}: {
  readonly dataDirectory?: string;
  readonly outDirectory: string;
  readonly budget: ImageStudyBudget;
  readonly seed?: number;
  readonly memoryBudgetBytes?: number | undefined;
  readonly log?: (message: string) => void;
  readonly onProgress?: (progress: ImageStudyProgress) => void;
  readonly onRun?: (run: ImageStudyRun, classifier: ClassifierFacts) => Promise<void>;
  /** Data-parallel replicas of each flow's training (`@sinkflow/fm`'s `workers`). @default 'auto' */
  readonly workers?: TrainingWorkers;
  /** Train only the flows of these names (`i-fm`, `ot-fm-n4096-e0.1`, ...); all when absent. */
  readonly only?: readonly string[] | undefined;
}): Promise<ImageStudyResult> {
  const started = performance.now();
  const train = await readFashionMnist({
    directory: dataDirectory,
    split: 'train',
    limit: budget.trainImages,
  });
  const test = await readFashionMnist({
    directory: dataDirectory,
    split: 'test',
    limit: budget.testImages,
  });
  const d = train.d;
  await mkdir(outDirectory, { recursive: true });
  await claimStudyDirectory(outDirectory, { budget: budget.name, seed });
  log(`Fashion-MNIST: ${train.n} training and ${test.n} test images from ${dataDirectory}`);

  const { classifier, facts, loaded } = await loadOrTrainClassifier({
    directory: join(outDirectory, 'classifier'),
    train,
    test,
    settings: { ...budget.classifier, seed, trainImages: train.n },
    onStep: (step, total) => onProgress({ phase: 'classifier', step, total }),
  });
  log(
    `classifier ${facts.settings.sizes.join('-')} ${loaded ? 'loaded' : `trained in ${facts.trainSeconds.toFixed(1)} s`}: test accuracy ${(100 * facts.testAccuracy).toFixed(2)} %`,
  );
  const frechetToTest = async (x: Float32Array) =>
    (
      await featureFrechetDistance({
        x,
        y: test.images,
        d,
        featureMap: classifier.featureMap,
        batchSize: 1000,
      })
    ).distance;
  try {
    const root = createRandomGenerator({ seed });
    // The same noise for every model: stream 1 of the root seed.
    const noise = root.split(1).fillNormal(new Float32Array(budget.evaluationSamples * d));
    const reference = {
      train: await frechetToTest(
        rowsOf(
          train.images,
          d,
          root.split(4).permutation(train.n).subarray(0, budget.evaluationSamples),
        ),
      ),
      noise: await frechetToTest(noise.map((value) => Math.min(1, Math.max(-1, value)))),
    };
    log(
      `feature Frechet distance to the test images of ${budget.evaluationSamples} training images: ${reference.train.toFixed(2)}, of clipped noise: ${reference.noise.toFixed(2)}`,
    );
    const images: DistributionSampler = {
      d,
      sample: ({ count, random }) => {
        const out = new Float32Array(count * d);
        for (let k = 0; k < count; k += 1) {
          const row = random.integer(train.n);
          out.set(train.images.subarray(row * d, (row + 1) * d), k * d);
        }
        return out;
      },
    };
    const plans = imageStudyPlans(budget, train.n).filter(
      (plan) => only === undefined || only.includes(plan.name),
    );
    const runs: ImageStudyRun[] = [];
    for (const [index, plan] of plans.entries()) {
      const directory = join(outDirectory, 'models', plan.name);
      await mkdir(directory, { recursive: true });
      const evaluationPath = join(directory, 'evaluation.json');
      const done = await readJsonIfPresent<ImageStudyRun>(evaluationPath);
      if (done !== null) {
        log(`${plan.name}: done earlier (${evaluationPath})`);
        runs.push(done);
        await onRun(done, facts);
        continue;
      }
      // The seed of a flow follows its place in the full list, so --only keeps it.
      const flowSeed = seed + planIndex(budget, train.n, plan.name, index);
      const { pairs, facts: pairFacts } = await openImagePairSource({
        plan,
        budget,
        images,
        train,
        d,
        root,
        seed: flowSeed,
        outDirectory,
        memoryBudgetBytes,
        log,
      });
      log(
        `${plan.name}: training ${budget.training.steps} steps of ${budget.training.batchSize} (MLP ${budget.model.hiddenLayers} x ${budget.model.width})`,
      );
      const trained = await trainImageFlow({
        pairs,
        d,
        budget,
        seed: flowSeed,
        directory: join(directory, 'checkpoint'),
        metadata: { name: plan.name, budget: budget.name, seed },
        onStep: (step, total) => onProgress({ phase: plan.name, step, total }),
        workers,
      });
      let evaluation: ImageModelEvaluation;
      try {
        if (trained.workersNote !== null) log(`${plan.name}: note: ${trained.workersNote}`);
        log(
          `${plan.name}: trained (${trained.trainSeconds.toFixed(1)} s, ${trained.workers} worker${trained.workers === 1 ? '' : 's'}); sampling and scoring`,
        );
        evaluation = await evaluateImageModel({
          model: trained.model,
          noise,
          classifier,
          testImages: test.images,
          directory,
          curvatureSamples: budget.curvatureSamples,
          curvatureSteps: budget.curvatureSteps,
        });
      } finally {
        trained.model.dispose();
      }
      const reached = pairFacts();
      const run: ImageStudyRun = {
        name: plan.name,
        coupling: plan.coupling,
        n: plan.n,
        targetEntropy: plan.targetEntropy,
        renormalizedEntropy: reached.renormalizedEntropy,
        curvature: evaluation.curvature,
        curvatureMedian: evaluation.curvatureMedian,
        divergedTrajectories: evaluation.divergedTrajectories,
        frechet: evaluation.frechet,
        functionEvaluations: evaluation.functionEvaluations,
        samples: evaluation.samples,
        grid: evaluation.grid,
        sinkhornSecondsPerExample: reached.sinkhornSecondsPerExample,
        couplingSeconds: reached.couplingSeconds,
        couplingMode: reached.couplingMode,
        semidiscreteFit: reached.semidiscreteFit,
        trainSeconds: trained.trainSeconds,
        finalLoss: trained.finalLoss,
        evaluationSeconds: evaluation.evaluationSeconds,
      };
      await writeJsonAtomically(evaluationPath, run);
      log(
        `${plan.name}: FD ${IMAGE_SAMPLERS.map((s) => `${s.name} ${run.frechet[s.name].toFixed(2)}`).join(', ')}; curvature ${run.curvature.toFixed(2)} (median ${run.curvatureMedian.toFixed(2)}, ${run.divergedTrajectories} diverged)`,
      );
      runs.push(run);
      await onRun(run, facts);
    }
    const grids = await writeComparisonGrids(outDirectory, runs, d);
    return {
      dataset: {
        name: 'fashion-mnist',
        directory: resolve(dataDirectory),
        trainImages: train.n,
        testImages: test.n,
        d,
        pixelScale: '[-1, 1]',
      },
      budget: budget.name,
      seed,
      classifier: facts,
      reference,
      runs,
      grids,
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    classifier.dispose();
  }
}

/**
 * Records the budget and seed of the study that `outDirectory` holds (`study.json`), and refuses
 * another: every saved part (classifier, couplings, the semidiscrete fit, models and their
 * evaluations) would otherwise be taken for the other study's. A folder from before `study.json`
 * is claimed as it is.
 */
async function claimStudyDirectory(
  outDirectory: string,
  study: { readonly budget: string; readonly seed: number },
): Promise<void> {
  const path = join(outDirectory, 'study.json');
  const saved = await readJsonIfPresent<{ budget?: unknown; seed?: unknown }>(path);
  if (saved !== null && (saved.budget !== study.budget || saved.seed !== study.seed)) {
    throw new InvalidArgumentError({
      functionName: 'runImageStudy',
      argumentName: '--out',
      message: `${outDirectory} holds the study of budget ${String(saved.budget)} and seed ${String(saved.seed)}, not budget ${study.budget} and seed ${study.seed}: give another --out`,
      value: outDirectory,
    });
  }
  if (saved === null) await writeJsonAtomically(path, study);
}

/** The place of a plan in the budget's full list (its seed offset), whatever `only` keeps. */
function planIndex(
  budget: ImageStudyBudget,
  trainImages: number,
  name: string,
  fallback: number,
): number {
  const index = imageStudyPlans(budget, trainImages).findIndex((plan) => plan.name === name);
  return index < 0 ? fallback : index;
}

/** The given rows of an `n x d` array. */
function rowsOf(data: Float32Array, d: number, rows: Int32Array): Float32Array {
  const out = new Float32Array(rows.length * d);
  for (const [k, row] of rows.entries()) out.set(data.subarray(row * d, (row + 1) * d), k * d);
  return out;
}

/** One PNG per sampler: a row of the first 10 samples of each run (the same noises). */
async function writeComparisonGrids(
  outDirectory: string,
  runs: readonly ImageStudyRun[],
  d: number,
): Promise<Record<ImageSamplerName, string>> {
  const { readNpyFile } = await import('@sinkflow/core/node');
  const grids = {} as Record<ImageSamplerName, string>;
  for (const sampler of IMAGE_SAMPLERS) {
    const rows: Float32Array[][] = [];
    for (const run of runs) {
      const samples = (await readNpyFile(run.samples[sampler.name])).data as Float32Array;
      const count = Math.min(10, samples.length / d);
      rows.push(Array.from({ length: count }, (_, i) => samples.subarray(i * d, (i + 1) * d)));
    }
    const path = join(outDirectory, `grid-${sampler.name}.png`);
    await writeFile(path, imageGridPng({ images: rows, height: 28, width: 28 }));
    grids[sampler.name] = path;
  }
  return grids;
}
