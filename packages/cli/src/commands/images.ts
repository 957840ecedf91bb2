import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { InvalidArgumentError } from '@sinkflow/core';
import { selectBackend } from '@sinkflow/fm';
import type { Command } from '../cli/command.js';
import { parseFlags } from '../cli/parse-flags.js';
import { workersFromFlags } from '../cli/workers-flag.js';
import { IMAGE_SAMPLERS } from '../images/evaluate-image-model.js';
import { imageStudyPlans } from '../images/image-pair-source.js';
import { IMAGE_STUDY_BUDGETS } from '../images/image-study-budgets.js';
import { type ImageStudyRun, runImageStudy } from '../images/run-image-study.js';
import { writeJsonSummary } from '../io/json-summary.js';
import { memoryBudget } from '../io/memory-budget.js';
import { checkOutputPaths, makeDirectory, outputFlag } from '../io/output-paths.js';
import { createProgress, type Progress } from '../io/progress.js';
import { openResultsStore } from '../sweep/results-store.js';

/** `sinkflow images`: the paper's image experiment on Fashion-MNIST (I-FM against OT-FM). */
export const imagesCommand: Command = {
  name: 'images',
  summary:
    'the Fashion-MNIST study: I-FM vs OT-FM at several n and E, classifier-feature FD at 2-16 Euler steps and Dopri5',
  help: `
Usage: sinkflow images [--data DIR] [--out DIR] [--json FILE] [--budget small|paper|tiny]
                       [--seed 0] [--db FILE] [--workers auto|N] [--only NAME,...]

The image experiment of Klein et al. (2025) on Fashion-MNIST (60 000 training and 10 000 test
images of 28 x 28, d = 784, pixels scaled to [-1, 1]). Trains a classifier once (an MLP; its
penultimate features replace Inception's in the Frechet distance), then I-FM and one OT-FM per
coupling size n and entropy E: Sinkhorn couplings (cost -<x, y> on principal components) between
Gaussian noise and n training images, solved once and sampled into the training pairs. The paper
budget adds batch OT-FM (a fresh coupling of every 256 noises and images) and semidiscrete OT-FM
(one dual over all 60 000 images, fitted on fresh noise, which then pairs fresh noise every
step; Mousavi-Hosseini et al., 2025). Every flow
is the same MLP on the same budget, sampled from the same noise with Euler at 2, 4, 8, 16 steps and
Dopri5, and scored by the feature Frechet distance to the test images (lower is better) and the
curvature of its trajectories.

Everything long is saved in --out and reused: the classifier, each coupling, each model's
checkpoints and evaluation. Run the same command again to resume a killed study.

Options:
  --data DIR      the four upstream files (train-images-idx3-ubyte.gz, ...)
                                  (default /usr/share/datasets/fashion-mnist, Debian's
                                  dataset-fashion-mnist package)
  --out DIR       classifier/, couplings/, models/NAME/ (checkpoint, samples-*.npy of N x 784
                  float32 in [-1, 1], grid.png, evaluation.json), grid-*.png (a row per model,
                  the same noises)                                  (default images-BUDGET)
  --budget NAME   small: n = 4096 at E = 0.1 against I-FM, 400 steps of 128, 1000 samples (a few
                  minutes on 2 cores); paper: n = 4096, 16 384, 60 000 by E = 0.05, 0.1, 0.2,
                  batch OT-FM at n = 256, semidiscrete OT-FM, 4000 steps of 256, 5000 samples
                  (hours); tiny: 400 images, 6 steps, every coupling (tests)
                                                                    (default small)
  --seed S        classifier, noise, couplings, models                (default 0)
  --db FILE       record every finished model in a DuckDB results database (sweep 'images')
  --workers N     data-parallel training replicas: every step's batch split among N copies of
                  the model in worker threads, gradients summed each step (auto: one per core
                  on the wasm backend, 1 on cpu; seeded runs repeat for a given N) (default auto)
  --only NAMES    train only these flows, comma-separated (i-fm, ot-fm-n4096-e0.1,
                  batch-ot-n256-e0.1, semidiscrete-hard, ...; seeds as in the full study)
  --json FILE     { dataset, classifier: { testAccuracy }, runs: [ { name, coupling, n,
                  targetEntropy, renormalizedEntropy, curvature, frechet: { euler-2, ...,
                  dopri5 }, samples, sinkhornSecondsPerExample, trainSeconds } ] } ('-': stdout)

The couplings keep their kernel in memory when it fits SINKFLOW_MEMORY_BUDGET (default half the
RAM): dense float32, else half-precision dense16, else recomputed online.

Example:
  sinkflow images --out images-small --json images-small.json --db images.duckdb
`,
  async run(args, io) {
    const options = parseFlags('images', args, {
      data: 'string',
      out: 'string',
      json: 'string',
      budget: 'string',
      seed: 'string',
      db: 'string',
      workers: 'string',
      only: 'string',
    });
    const budgetName = options.choice('budget', ['small', 'paper', 'tiny'] as const, 'small');
    const seed = options.integer('seed', { fallback: 0, minimum: 0, maximum: 2 ** 31 - 1 });
    const outDirectory = options.string('out', `images-${budgetName}`);
    const dataDirectory = options.optionalString('data');
    const databasePath = options.optionalString('db');
    const json = options.optionalString('json');
    const workers = workersFromFlags(options);
    const only = options
      .optionalString('only')
      ?.split(',')
      .map((name) => name.trim());
    if (only !== undefined) {
      // Plan names depend on the budget only (the number of images is not in them).
      const known = imageStudyPlans(IMAGE_STUDY_BUDGETS[budgetName], 60_000).map(
        (plan) => plan.name,
      );
      const unknown = only.find((name) => !known.includes(name));
      if (unknown !== undefined) {
        throw new InvalidArgumentError({
          functionName: 'sinkflow images',
          argumentName: '--only',
          message: `names no flow of the ${budgetName} budget; its flows are ${known.join(', ')}`,
          value: unknown,
        });
      }
    }
    await checkOutputPaths('images', [
      outputFlag(options, 'out', 'directory', outDirectory),
      outputFlag(options, 'db', 'file'),
      outputFlag(options, 'json', 'file'),
    ]);
    const budget = IMAGE_STUDY_BUDGETS[budgetName];
    const log = (message: string) => io.stderr.write(`${message}\n`);
    const backend = await selectBackend({ preference: ['wasm', 'cpu'], log });
    await makeDirectory(outDirectory);
    let phase: string | undefined;
    let progress: Progress | undefined;
    const store = async (run: ImageStudyRun, testAccuracy: number) => {
      if (databasePath === undefined) return;
      await makeDirectory(dirname(databasePath));
      const results = await openResultsStore(databasePath);
      try {
        const id = `images-${budgetName}-seed${seed}-${run.name}`;
        await results.addRuns([
          {
            id,
            sweep: 'images',
            kind: 'images',
            config: {
              dataset: 'fashion-mnist',
              budget: budgetName,
              seed,
              coupling: run.coupling,
              n: run.n,
              targetEntropy: run.targetEntropy,
              steps: budget.training.steps,
              batchSize: budget.training.batchSize,
              pcaComponents: budget.pcaComponents ?? null,
            },
          },
        ]);
        await results.setStatus(id, 'done', {
          metrics: {
            ...Object.fromEntries(
              IMAGE_SAMPLERS.map((sampler) => [
                `frechet-${sampler.name}`,
                run.frechet[sampler.name],
              ]),
            ),
            'functionEvaluations-dopri5': run.functionEvaluations.dopri5,
            curvature: run.curvature,
            curvatureMedian: run.curvatureMedian,
            divergedTrajectories: run.divergedTrajectories,
            renormalizedEntropy: run.renormalizedEntropy,
            sinkhornSecondsPerExample: run.sinkhornSecondsPerExample,
            ...(run.semidiscreteFit == null
              ? {}
              : {
                  semidiscreteFitSteps: run.semidiscreteFit.steps,
                  semidiscreteMarginalError: run.semidiscreteFit.marginalError,
                }),
            trainSeconds: run.trainSeconds,
            classifierTestAccuracy: testAccuracy,
            // The sample grid itself (a few kB), so that the report shows it without OUT.
            ...(await gridMetric(join(outDirectory, 'models', run.name, 'grid.png'))),
          },
          seconds: run.trainSeconds + run.evaluationSeconds + (run.couplingSeconds ?? 0),
        });
      } finally {
        results.close();
      }
    };
    const result = await runImageStudy({
      ...(dataDirectory === undefined ? {} : { dataDirectory }),
      outDirectory,
      budget,
      seed,
      memoryBudgetBytes: memoryBudget().bytes,
      workers,
      only,
      log: (message) => {
        progress?.stop();
        progress = undefined;
        phase = undefined;
        log(message);
      },
      onProgress: (report) => {
        if (report.phase !== phase) {
          progress?.stop();
          phase = report.phase;
          progress = createProgress(io, {
            total: report.total,
            format: `  ${phase} {bar} {value}/{total} steps, eta {eta} s`,
          });
        }
        progress?.update(report.step);
      },
      onRun: (run, classifier) => store(run, classifier.testAccuracy),
    });
    progress?.stop();
    const summary = { ...result, backend: backend.backend };
    if (json !== undefined) await writeJsonSummary(json, summary, io);
    const header = [
      'model',
      'E',
      ...IMAGE_SAMPLERS.map((sampler) => sampler.name),
      'curvature',
      'diverged',
    ];
    const rows = result.runs.map((run) => [
      run.name,
      run.renormalizedEntropy === null ? '-' : run.renormalizedEntropy.toFixed(3),
      ...IMAGE_SAMPLERS.map((sampler) => run.frechet[sampler.name].toFixed(2)),
      run.curvature.toFixed(2),
      String(run.divergedTrajectories),
    ]);
    const widths = header.map((title, k) =>
      Math.max(title.length, ...rows.map((row) => (row[k] as string).length)),
    );
    const line = (cells: readonly string[]) =>
      cells
        .map((cell, k) =>
          k === 0 ? cell.padEnd(widths[k] as number) : cell.padStart(widths[k] as number),
        )
        .join('  ');
    io.stdout.write(
      [
        `Fashion-MNIST, budget ${budgetName}, seed ${seed}: classifier test accuracy ${(100 * result.classifier.testAccuracy).toFixed(2)} %, ${result.seconds.toFixed(0)} s on ${backend.backend}`,
        `Frechet distance of classifier features to the test images (lower is better; ${result.reference.train.toFixed(2)} for as many training images, ${result.reference.noise.toFixed(2)} for clipped noise):`,
        line(header),
        ...rows.map(line),
        `grids: ${join(outDirectory, 'grid-euler-4.png')} (and the other samplers)`,
        '',
      ].join('\n'),
    );
  },
};

/** `{ gridPng }`: the grid as base64, or nothing when it cannot be read (the report then has none). */
async function gridMetric(path: string): Promise<{ gridPng?: string }> {
  try {
    return { gridPng: (await readFile(path)).toString('base64') };
  } catch {
    return {};
  }
}
