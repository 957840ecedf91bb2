import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { BENCHMARK_NAMES } from '@sinkflow/benchmarks';
import { InvalidArgumentError } from '@sinkflow/core';
import type { SemidiscreteFitReport } from '@sinkflow/fm';
import {
  readCheckpoint,
  recoverCheckpoint,
  requireEmaDecay,
  selectBackend,
  type TrainingWorkers,
} from '@sinkflow/fm';
import type { Command, CommandIo } from '../cli/command.js';
import { type Flags, parseFlags } from '../cli/parse-flags.js';
import { sinkhornSettingsFromFlags } from '../cli/sinkhorn-flags.js';
import { workersFromFlags } from '../cli/workers-flag.js';
import { writeJsonFile } from '../io/cloud-files.js';
import { writeJsonSummary } from '../io/json-summary.js';
import { createProgress } from '../io/progress.js';
import { acquireRunLock } from '../sweep/run-lock.js';
import { stopOnInterrupt } from '../sweep/stop-on-interrupt.js';
import { sinkhornSettingsOfRun } from '../sweep/sweep-config.js';
import { COUPLING_NAMES } from '../training/coupling-pair-source.js';
import { loadFlowTask } from '../training/flow-task.js';
import { checkpointDirectoryOf, trainFlowModel } from '../training/train-flow-model.js';
import {
  resolveTrainRunConfig,
  savedTrainRunConfig,
  type TrainRunConfig,
  type TrainRunFlags,
  trainRunMetadata,
} from '../training/train-run-config.js';

/** `sinkflow train`: one flow-matching model with one coupling, checkpointed and resumable. */
export const trainCommand: Command = {
  name: 'train',
  summary:
    'train one flow-matching model (independent, OT, exact or supervised pairs) with checkpoints',
  help: `
Usage: sinkflow train --out DIR [--benchmark piecewise-affine] [--d 32]
                      [--coupling independent|ot|precomputed|exact|supervised|semidiscrete]
                      [--target-entropy E | --relative-epsilon R] [--ot-batch-size 4096]
                      [--pairs-per-coupling K] [--fit-steps N] [--refine-dual]
                      [--ema-decay 0.999] [--steps 1500] [--batch-size 256]
                      [--hidden-layers 3] [--width 256] [--seed 0] [--checkpoint-every 250]
                      [--resume] [--benchmark-seed 0] [--workers auto|N] [--json FILE]

Trains the velocity MLP of Klein et al. (2025) by flow matching from N(0, I) to the benchmark's
target with pairs from the chosen coupling: independent (I-FM), ot (a fresh Sinkhorn coupling of
--ot-batch-size points per side, --pairs-per-coupling pairs each, at --target-entropy (default
0.2) or --relative-epsilon), precomputed (one such coupling solved before training), exact (the
optimal assignment of --ot-batch-size points), supervised ((x, T0(x)), benchmarks with a known
map) or semidiscrete (fresh noise each step, paired with --ot-batch-size target points by a
semidiscrete dual fitted before training: hard, or entropic at --relative-epsilon; --fit-steps
caps its fit's Adam steps, default 10 000; --refine-dual goes on fitting it on the training noise,
one step per chunk of 2048 pairs). Writes DIR/checkpoint (every --checkpoint-every steps and at the end) and DIR/train.json;
--resume continues from DIR/checkpoint when it exists. Evaluate with 'sinkflow evaluate --model DIR'.
--ema-decay keeps a moving average of the weights (decay in (0, 1); about the last 1 / (1 - decay)
steps, warmed up as min(decay, (1 + k) / (10 + k)) at step k), saved with the checkpoint; 'sinkflow
evaluate' then evaluates the average.
--workers splits every step's batch among N copies of the model in worker threads, whose gradients
are summed each step (auto: one per core on the wasm backend, 1 on cpu; a seeded run is
reproducible for a given N).

Example:
  sinkflow train --coupling ot --target-entropy 0.1 --ot-batch-size 2048 --steps 2000 --out runs/ot
`,
  async run(args, io) {
    const options = parseFlags('train', args, {
      benchmark: 'string',
      'benchmark-seed': 'string',
      d: 'string',
      coupling: 'string',
      'target-entropy': 'string',
      'relative-epsilon': 'string',
      'ot-batch-size': 'string',
      'pairs-per-coupling': 'string',
      'fit-steps': 'string',
      'refine-dual': 'boolean',
      'ema-decay': 'string',
      steps: 'string',
      'batch-size': 'string',
      'hidden-layers': 'string',
      width: 'string',
      seed: 'string',
      'checkpoint-every': 'string',
      out: 'string',
      resume: 'boolean',
      workers: 'string',
      json: 'string',
    });
    const functionName = 'sinkflow train';
    if (options.has('target-entropy') && options.has('relative-epsilon')) {
      throw new InvalidArgumentError({
        functionName,
        argumentName: '--relative-epsilon',
        message: 'give --target-entropy or --relative-epsilon, not both',
      });
    }
    const given = parseTrainRunFlags(options, functionName);
    const steps = options.integer('steps', { fallback: 1500, minimum: 1 });
    const checkpointEvery = options.integer('checkpoint-every', { fallback: 250, minimum: 1 });
    const out = options.string('out');
    const json = options.optionalString('json');
    const resume = options.boolean('resume');
    const workers = workersFromFlags(options);
    const lock = await acquireRunLock({ directory: out, command: 'train', functionName });
    const stopWatching = stopOnInterrupt({
      command: 'train',
      stderr: io.stderr,
      cleanup: lock.release,
    });
    try {
      const saved = await readSavedRun({ out, resume, functionName });
      const config = resolveTrainRunConfig({
        given,
        saved,
        checkpoint: checkpointDirectoryOf(out),
        functionName,
      });
      await trainAndReport({
        config,
        steps,
        checkpointEvery,
        out,
        json,
        resume,
        workers,
        io,
        functionName,
      });
    } finally {
      stopWatching();
      lock.release();
    }
  },
};

/** The settings given on the command line, validated (undefined where a flag is absent). */
function parseTrainRunFlags(options: Flags, functionName: string): TrainRunFlags {
  const optionalInteger = (name: string, range: { minimum: number; maximum?: number }) =>
    options.has(name) ? options.integer(name, range) : undefined;
  // Checked by ot's validation of its settings (errors name the flag), before --out is created.
  sinkhornSettingsFromFlags(options, functionName);
  const relativeEpsilon = options.optionalNumber('relative-epsilon');
  const targetEntropy = options.optionalNumber('target-entropy');
  if (
    targetEntropy !== undefined &&
    options.has('coupling') &&
    options.string('coupling') === 'semidiscrete'
  ) {
    throw new InvalidArgumentError({
      functionName,
      argumentName: '--target-entropy',
      message:
        'does not apply to --coupling semidiscrete (one dual over the data set, no n x n coupling): give --relative-epsilon, or none for the hard coupling',
      value: targetEntropy,
    });
  }
  return {
    // Checked here, before --out is created.
    benchmark: options.has('benchmark')
      ? options.choice('benchmark', BENCHMARK_NAMES, 'piecewise-affine')
      : undefined,
    benchmarkSeed: optionalInteger('benchmark-seed', { minimum: 0 }),
    d: optionalInteger('d', { minimum: 1, maximum: 4096 }),
    coupling: options.has('coupling')
      ? options.choice('coupling', COUPLING_NAMES, 'ot')
      : undefined,
    targetEntropy,
    relativeEpsilon,
    otBatchSize: optionalInteger('ot-batch-size', { minimum: 2, maximum: 2 ** 22 }),
    pairsPerCoupling: optionalInteger('pairs-per-coupling', { minimum: 1 }),
    fitSteps: optionalInteger('fit-steps', { minimum: 1 }),
    refineDual: options.boolean('refine-dual') ? true : undefined,
    emaDecay: requireEmaDecay(options.optionalNumber('ema-decay'), functionName, '--ema-decay'),
    batchSize: optionalInteger('batch-size', { minimum: 1, maximum: 65_536 }),
    hiddenLayers: optionalInteger('hidden-layers', { minimum: 1, maximum: 32 }),
    width: optionalInteger('width', { minimum: 1, maximum: 8192 }),
    seed: optionalInteger('seed', { minimum: 0, maximum: 2 ** 31 - 1 }),
  };
}

/**
 * The settings of the run saved in `out` (undefined for a fresh run). A checkpoint there without
 * `--resume` is refused rather than overwritten; one with a non-finite weight is refused.
 */
async function readSavedRun({
  out,
  resume,
  functionName,
}: {
  readonly out: string;
  readonly resume: boolean;
  readonly functionName: string;
}): Promise<TrainRunFlags | undefined> {
  const directory = checkpointDirectoryOf(out);
  await recoverCheckpoint({ directory });
  if (!existsSync(join(directory, 'checkpoint.json'))) return undefined;
  if (!resume) {
    throw new InvalidArgumentError({
      functionName,
      argumentName: '--out',
      message: `${out} already holds a checkpoint (${directory}); pass --resume to continue it, or choose another --out`,
    });
  }
  try {
    return savedTrainRunConfig(await readCheckpoint({ directory }));
  } catch (error) {
    if (!InvalidArgumentError.isInstance(error)) throw error;
    throw new InvalidArgumentError({
      functionName,
      argumentName: '--resume',
      message: `cannot continue ${directory}: ${error.message.replace(/^.*?invalid argument '[^']+': /, '').replace(/ \(received .*\)$/, '')}`,
      cause: error,
    });
  }
}

/** What the semidiscrete dual's fit reached, in words (no line for other couplings). */
function semidiscreteFitLines(fit: SemidiscreteFitReport | null): string[] {
  if (fit === null) return [];
  const error =
    fit.marginalError === null
      ? 'chi-square error unknown'
      : `chi-square error ${fit.marginalError.toExponential(2)} ± ${fit.marginalErrorStandardError?.toExponential(1)}`;
  const against =
    fit.threshold === null
      ? ''
      : fit.converged
        ? ` (below the threshold ${fit.threshold})`
        : ` (NOT below the threshold ${fit.threshold}: the pairs follow an approximate coupling)`;
  const refined =
    fit.refinedSteps === undefined
      ? []
      : [
          `  refined during training: ${fit.refinedSteps} more steps on the training noise (its chi-square error is not measured again)`,
        ];
  return [
    `  semidiscrete dual over ${fit.n} points: ${fit.steps} steps in ${fit.seconds.toFixed(1)} s, ${error}${against}`,
    ...refined,
  ];
}

/** Trains the resolved run, writes DIR/train.json (and --json) and prints the summary. */
async function trainAndReport({
  config,
  steps,
  checkpointEvery,
  out,
  json,
  resume,
  workers,
  io,
  functionName,
}: {
  readonly config: TrainRunConfig;
  readonly steps: number;
  readonly checkpointEvery: number;
  readonly out: string;
  readonly json: string | undefined;
  readonly resume: boolean;
  readonly workers: TrainingWorkers;
  readonly io: CommandIo;
  readonly functionName: string;
}): Promise<void> {
  const { benchmark, d, coupling, targetEntropy, relativeEpsilon, otBatchSize, benchmarkSeed } =
    config;
  const training = {
    steps,
    batchSize: config.batchSize,
    hiddenLayers: config.hiddenLayers,
    width: config.width,
    seed: config.seed,
    emaDecay: config.emaDecay ?? undefined,
  };
  const task = await loadFlowTask({
    name: benchmark,
    d,
    options: { benchmarkSeed },
    argumentName: '--benchmark',
    functionName,
  });
  const log = (message: string) => io.stderr.write(`${message}\n`);
  const backend = await selectBackend({ preference: ['wasm', 'cpu'], log });
  const progress = createProgress(io, {
    total: training.steps,
    format: '  {bar} {value}/{total} steps, loss {loss}, eta {eta} s',
  });
  const outcome = await trainFlowModel({
    task,
    coupling: {
      coupling,
      otBatchSize,
      pairsPerCoupling: config.pairsPerCoupling ?? undefined,
      fitSteps: config.fitSteps ?? undefined,
      refineDual: config.refineDual,
      seed: training.seed,
      // Semidiscrete pairs take an epsilon only (none: the hard coupling), never a target E.
      ...sinkhornSettingsOfRun(
        coupling === 'semidiscrete' ? { targetEntropy: null, relativeEpsilon } : config,
      ),
    },
    training: { ...training, workers },
    directory: out,
    checkpointEvery,
    resume,
    metadata: trainRunMetadata(config),
    onStep: (report) => progress.update(report.step, { loss: report.loss.toPrecision(4) }),
  });
  progress.stop();
  if (outcome.workersNote !== null) log(`note: ${outcome.workersNote}`);
  outcome.model.dispose();
  const summary = {
    benchmark,
    d,
    coupling,
    // Semidiscrete runs take no target entropy (the default 0.2 is not theirs).
    targetEntropy: coupling === 'semidiscrete' ? null : targetEntropy,
    relativeEpsilon,
    otBatchSize: coupling === 'independent' || coupling === 'supervised' ? null : otBatchSize,
    ...training,
    emaDecay: outcome.emaDecay,
    pairsPerCoupling: config.pairsPerCoupling,
    fitSteps: coupling === 'semidiscrete' ? config.fitSteps : null,
    refineDual: coupling === 'semidiscrete' ? config.refineDual : null,
    benchmarkSeed,
    backend: backend.backend,
    workers: outcome.workers,
    step: outcome.step,
    resumedFrom: outcome.resumedFrom,
    finalLoss: outcome.finalLoss,
    trainSeconds: outcome.trainSeconds,
    renormalizedEntropy: outcome.renormalizedEntropy,
    sinkhornSecondsPerExample: outcome.sinkhornSecondsPerExample,
    semidiscreteFit: outcome.semidiscreteFit,
    checkpoint: checkpointDirectoryOf(out),
  };
  await writeJsonFile(join(out, 'train.json'), summary);
  if (json !== undefined) await writeJsonSummary(json, summary, io);
  const resumed = outcome.resumedFrom > 0 ? ` (resumed from step ${outcome.resumedFrom})` : '';
  io.stdout.write(
    [
      `${benchmark}, d = ${d}, ${coupling} pairs: ${outcome.step} steps${resumed} in ${outcome.trainSeconds.toFixed(1)} s on ${backend.backend}${outcome.workers > 1 ? ` (${outcome.workers} workers)` : ''}`,
      `  final loss ${outcome.finalLoss === null ? '-' : outcome.finalLoss.toPrecision(4)}` +
        (outcome.emaDecay === null ? '' : `, weight average of decay ${outcome.emaDecay}`) +
        (outcome.renormalizedEntropy === null
          ? ''
          : `, E = ${outcome.renormalizedEntropy.toFixed(3)}, Sinkhorn ${outcome.sinkhornSecondsPerExample?.toPrecision(3)} s per example`),
      ...semidiscreteFitLines(outcome.semidiscreteFit),
      `  checkpoint: ${checkpointDirectoryOf(out)}`,
      '',
    ].join('\n'),
  );
}
