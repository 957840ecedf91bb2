import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { InvalidArgumentError } from '@sinkflow/core';
import { selectBackend } from '@sinkflow/fm';
import type { Command } from '../cli/command.js';
import { parseFlags } from '../cli/parse-flags.js';
import { writeJsonSummary } from '../io/json-summary.js';
import { checkOutputPaths, outputFlag } from '../io/output-paths.js';
import { evaluateFlowModel } from '../training/evaluate-flow-model.js';
import { loadFlowTask } from '../training/flow-task.js';
import { loadTrainedModel } from '../training/load-trained-model.js';

/** `sinkflow evaluate`: curvature, reconstruction and BPD of a saved model. */
export const evaluateCommand: Command = {
  name: 'evaluate',
  summary: 'curvature, reconstruction against T0 and bits per dimension of a trained model',
  help: `
Usage: sinkflow evaluate --model DIR [--benchmark NAME] [--d D] [--n 1000] [--seed 1000003]
                         [--divergence exact|hutchinson] [--json FILE]

Loads the model that 'sinkflow train --out DIR' saved (DIR or DIR/checkpoint) and evaluates it on
held-out points of the benchmark (default: the one in DIR/train.json, else piecewise-affine; --d
must match the model's dimension): curvature (Euler, 50 steps) and reconstruction
||T_theta(x) - T0(x)||^2 on --n source points, bits per dimension on min(n, 256) target points.
Use a --seed the training did not use (the default is far from the usual ones).

Example:
  sinkflow evaluate --model runs/ot --json runs/ot/evaluation.json
`,
  async run(args, io) {
    const options = parseFlags('evaluate', args, {
      model: 'string',
      benchmark: 'string',
      'benchmark-seed': 'string',
      d: 'string',
      n: 'string',
      seed: 'string',
      divergence: 'string',
      json: 'string',
    });
    const functionName = 'sinkflow evaluate';
    const directory = options.string('model');
    const n = options.integer('n', { fallback: 1000, minimum: 2, maximum: 2 ** 22 });
    const seed = options.integer('seed', { fallback: 1_000_003, minimum: 0 });
    const divergence = options.choice('divergence', ['exact', 'hutchinson'] as const, 'exact');
    const json = options.optionalString('json');
    await checkOutputPaths('evaluate', [outputFlag(options, 'json', 'file')]);
    const trained = await readTrainSummary(directory);
    const benchmark = options.string('benchmark', trained.benchmark ?? 'piecewise-affine');
    const benchmarkSeed = options.integer('benchmark-seed', {
      fallback: trained.benchmarkSeed ?? 0,
      minimum: 0,
    });
    const requestedD = options.optionalNumber('d');
    const saved = await loadTrainedModel({ directory, functionName });
    if (requestedD !== undefined && requestedD !== saved.d) {
      throw new InvalidArgumentError({
        functionName,
        argumentName: '--d',
        message: `the model in ${directory} has d = ${saved.d}`,
        value: requestedD,
      });
    }
    const task = await loadFlowTask({
      name: benchmark,
      d: saved.d,
      options: { benchmarkSeed },
      argumentName: '--benchmark',
      functionName,
    });
    const log = (message: string) => io.stderr.write(`${message}\n`);
    const backend = await selectBackend({ preference: ['wasm', 'cpu'], log });
    const { step, emaDecay } = saved;
    const model = saved.build();
    try {
      const evaluation = await evaluateFlowModel({
        model,
        task,
        settings: { n, seed, divergence },
      });
      const summary = {
        model: directory,
        step,
        emaDecay,
        benchmark,
        d: model.d,
        n,
        seed,
        divergence,
        backend: backend.backend,
        ...evaluation,
      };
      if (json !== undefined) await writeJsonSummary(json, summary, io);
      const value = (entry: number | null) => (entry === null ? '-' : entry.toPrecision(4));
      io.stdout.write(
        [
          `${benchmark}, d = ${model.d}: model at step ${step}${emaDecay === null ? '' : ` (weight average, decay ${emaDecay})`}, ${n} held-out points (seed ${seed})`,
          `  curvature        ${value(evaluation.curvature)}`,
          `  reconstruction   ${value(evaluation.reconstruction)} (L2-UVP ${value(evaluation.l2Uvp)} %)`,
          `  bits per dim     ${value(evaluation.bpd)}`,
          '',
        ].join('\n'),
      );
    } finally {
      model.dispose();
    }
  },
};

/** The benchmark settings `sinkflow train` recorded in DIR/train.json, when there. */
async function readTrainSummary(
  directory: string,
): Promise<{ benchmark?: string; benchmarkSeed?: number }> {
  try {
    const parsed = JSON.parse(await readFile(join(directory, 'train.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    return {
      ...(typeof parsed.benchmark === 'string' ? { benchmark: parsed.benchmark } : {}),
      ...(typeof parsed.benchmarkSeed === 'number' ? { benchmarkSeed: parsed.benchmarkSeed } : {}),
    };
  } catch {
    return {};
  }
}
