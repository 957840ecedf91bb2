import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { selectBackend } from '@sinkflow/fm';
import type { Command } from '../cli/command.js';
import { parseFlags } from '../cli/parse-flags.js';
import { writeJsonFile } from '../io/cloud-files.js';
import { writeJsonSummary } from '../io/json-summary.js';
import { checkOutputPaths, makeDirectory, outputFlag } from '../io/output-paths.js';
import { createProgress } from '../io/progress.js';
import { renderReport } from '../report/render-report.js';
import type { RunRecord } from '../sweep/results-store.js';
import { loadFlowTask } from '../training/flow-task.js';
import { formatQuickstartTable } from '../training/quickstart-table.js';
import { QUICKSTART_DEFAULTS, runQuickstart } from '../training/run-quickstart.js';

const TASK = 'piecewise-affine';

/** `sinkflow quickstart`: the main job: I-FM, OT-FM and the supervised reference, compared. */
export const quickstartCommand: Command = {
  name: 'quickstart',
  summary:
    'the main job: I-FM vs OT-FM (E = 0.2) vs supervised on piecewise-affine, d = 32, with a report',
  help: `
Usage: sinkflow quickstart [--out sinkflow-quickstart] [--json FILE] [--seed 0]

Trains three flow-matching models on the piecewise-affine benchmark at d = 32, whose Monge map T0
is known, with the same model, steps, batch and seed: I-FM (independent pairs), OT-FM (pairs
sampled from one entropic OT coupling of 4096 points per side at renormalized entropy E = 0.2,
solved once before training) and the supervised reference (pairs (x, T0(x))). Each is evaluated
on held-out points: curvature (Euler, 50 steps), reconstruction ||T_theta(x) - T0(x)||^2 and bits
per dimension (exact divergence). Prints a table and writes DIR/report.html and DIR/summary.json.
Klein et al. (2025): OT-FM's paths are straighter (lower curvature) and closer to T0 than I-FM's.

Sized for a 2-core machine (a few minutes): a 3 x 256 MLP (the paper uses 5 x 512), 1500 steps of
batch 256, on the TensorFlow.js wasm backend (cpu when wasm cannot load).

For testing only (smaller runs): --d D, --steps S, --batch-size B, --width W, --hidden-layers L,
--n N (OT batch size), --eval-n N (held-out points).

Example:
  sinkflow quickstart --out quickstart --json quickstart.json
`,
  async run(args, io) {
    const options = parseFlags('quickstart', args, {
      out: 'string',
      json: 'string',
      seed: 'string',
      d: 'string',
      steps: 'string',
      'batch-size': 'string',
      width: 'string',
      'hidden-layers': 'string',
      n: 'string',
      'eval-n': 'string',
    });
    const defaults = QUICKSTART_DEFAULTS;
    const out = options.string('out', 'sinkflow-quickstart');
    await checkOutputPaths('quickstart', [
      outputFlag(options, 'out', 'directory', out),
      outputFlag(options, 'json', 'file'),
    ]);
    const seed = options.integer('seed', { fallback: 0, minimum: 0, maximum: 2 ** 31 - 1 });
    const d = options.integer('d', { fallback: 32, minimum: 2, maximum: 1024 });
    const training = {
      steps: options.integer('steps', { fallback: defaults.training.steps, minimum: 1 }),
      batchSize: options.integer('batch-size', {
        fallback: defaults.training.batchSize,
        minimum: 1,
        maximum: 65_536,
      }),
      width: options.integer('width', {
        fallback: defaults.training.width,
        minimum: 1,
        maximum: 4096,
      }),
      hiddenLayers: options.integer('hidden-layers', {
        fallback: defaults.training.hiddenLayers,
        minimum: 1,
        maximum: 32,
      }),
      seed,
    };
    const otBatchSize = options.integer('n', {
      fallback: defaults.otBatchSize,
      minimum: 2,
      maximum: 2 ** 20,
    });
    const evaluationPoints = options.integer('eval-n', {
      fallback: defaults.evaluationPoints,
      minimum: 2,
      maximum: 2 ** 20,
    });
    const json = options.optionalString('json');
    const settings = {
      ...defaults,
      training,
      otBatchSize,
      evaluationPoints,
      likelihoodPoints: Math.min(defaults.likelihoodPoints, evaluationPoints),
    };
    const started = performance.now();
    const log = (message: string) => io.stderr.write(`${message}\n`);
    const backend = await selectBackend({ preference: ['wasm', 'cpu'], log });
    const task = await loadFlowTask({ name: TASK, d, functionName: 'sinkflow quickstart' });
    log(
      `${TASK}, d = ${d}: ${training.hiddenLayers} x ${training.width} MLP (smaller than the paper's 5 x 512, for time), ${training.steps} steps of batch ${training.batchSize}, seed ${seed}`,
    );
    let progress: ReturnType<typeof createProgress> | undefined;
    const runs = await runQuickstart({
      task,
      settings,
      onMessage: (message) => {
        progress?.stop();
        progress = undefined;
        log(message);
        if (message.startsWith('training'))
          progress = createProgress(io, {
            total: training.steps,
            format: '  {bar} {value}/{total} steps, eta {eta} s',
          });
      },
      onStep: (_name, step) => progress?.update(step),
    });
    progress?.stop();
    const seconds = (performance.now() - started) / 1000;
    const reportPath = join(out, 'report.html');
    const records: RunRecord[] = runs.map((run) => ({
      id: run.name,
      sweep: 'quickstart',
      kind: 'train',
      config: {
        benchmark: TASK,
        d,
        n: run.coupling === 'precomputed' ? otBatchSize : null,
        coupling: run.coupling,
        targetEntropy: run.coupling === 'precomputed' ? settings.targetEntropy : null,
        seed,
        steps: training.steps,
        batchSize: training.batchSize,
        model: `${training.hiddenLayers}x${training.width}`,
      },
      status: 'done',
      metrics: { ...run, name: run.name, coupling: run.coupling },
      seconds: run.trainSeconds + run.evaluationSeconds,
      error: null,
      updatedAt: new Date().toISOString(),
    }));
    const html = await renderReport({
      title: `sinkflow quickstart: ${TASK}, d = ${d}`,
      runs: records,
    });
    await makeDirectory(out);
    await writeFile(reportPath, html);
    const summary = {
      task: TASK,
      d,
      report: reportPath,
      backend: backend.backend,
      seed,
      model: { hiddenLayers: training.hiddenLayers, width: training.width },
      steps: training.steps,
      batchSize: training.batchSize,
      otBatchSize,
      targetEntropy: settings.targetEntropy,
      seconds,
      runs: runs.map((run) => ({
        name: run.name,
        curvature: run.curvature,
        reconstruction: run.reconstruction,
        bpd: run.bpd,
        renormalizedEntropy: run.renormalizedEntropy,
        sinkhornSecondsPerExample: run.sinkhornSecondsPerExample,
        trainSeconds: run.trainSeconds,
      })),
    };
    await writeJsonFile(join(out, 'summary.json'), summary);
    if (json !== undefined) await writeJsonSummary(json, summary, io);
    io.stdout.write(
      `${formatQuickstartTable({ task: TASK, d, backend: backend.backend, runs, seconds, out, reportPath })}\n`,
    );
  },
};
