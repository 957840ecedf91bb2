import { dirname } from 'node:path';
import { selectBackend } from '@sinkflow/fm';
import type { Command } from '../cli/command.js';
import { parseFlags } from '../cli/parse-flags.js';
import { writeJsonSummary } from '../io/json-summary.js';
import { checkOutputPaths, makeDirectory, outputFlag } from '../io/output-paths.js';
import { createProgress, type Progress } from '../io/progress.js';
import { runGaussianStudy } from '../scones/run-gaussian-study.js';
import { openResultsStore } from '../sweep/results-store.js';

const PHASES = {
  dual: 'dual potentials (Algorithm 1)',
  projection: 'barycentric projection',
  sampling: 'Langevin sampling (Algorithm 2)',
} as const;

/** `sinkflow scones`: SCONES' Gaussian study (Table 2 of Daniels et al. 2021) at one dimension. */
export const sconesCommand: Command = {
  name: 'scones',
  summary:
    "SCONES' Gaussian study at one d: BW-UVP of Langevin-sampled pairs vs barycentric projection",
  help: `
Usage: sinkflow scones --d D [--budget paper|small] [--seed 0] [--benchmark-seed 0]
                       [--db results.duckdb] [--json FILE]

The synthetic study of SCONES (Daniels, Maunu and Hand 2021, Table 2) at dimension D: source and
target N(0, S0), N(0, S1) with random covariances (the gaussian benchmark: Haar rotations,
spectrum geomspace(1/2, 2, D)), cost ||x - y||^2, KL regularization with lambda = 2D. Trains the
dual potentials phi, psi by stochastic dual ascent, a barycentric projection T on the learned
coupling, samples y | x for 10 000 source points by Langevin dynamics with the exact target score,
and prints the BW-UVP (percent, lower is better) of the 2D x 2D joint covariance of (x, y) and of
(x, T(x)) against the closed-form entropic coupling (Janati et al. 2020).

Options:
  --d D                 dimension (1..1024)
  --budget NAME         paper: 10 000 pairs, 1000 Langevin steps (epsilon 0.01), 3 x 128 networks,
                        3000 dual steps; small: 2000 pairs, 300 steps, 2 x 32, 400 dual steps
                        (tests)                                      (default paper)
  --seed S              networks, minibatches, pairs and Langevin noise     (default 0)
  --benchmark-seed S    the random covariances                               (default 0)
  --db FILE             also record the run in a DuckDB results database ('sinkflow report
                        --db FILE' draws BW-UVP against d for SCONES and the projection)
  --json FILE           { d, lambda, bwUvp: { scones, barycentricProjection }, seconds, ... }

Example:
  sinkflow scones --d 16 --db scones.duckdb --json scones-d16.json
`,
  async run(args, io) {
    const options = parseFlags('scones', args, {
      d: 'string',
      budget: 'string',
      seed: 'string',
      'benchmark-seed': 'string',
      db: 'string',
      json: 'string',
    });
    const d = options.integer('d', { minimum: 1, maximum: 1024 });
    const budget = options.choice('budget', ['paper', 'small'] as const, 'paper');
    const seed = options.integer('seed', { fallback: 0, minimum: 0, maximum: 2 ** 31 - 1 });
    const benchmarkSeed = options.integer('benchmark-seed', {
      fallback: 0,
      minimum: 0,
      maximum: 2 ** 31 - 1,
    });
    const databasePath = options.optionalString('db');
    const json = options.optionalString('json');
    await checkOutputPaths('scones', [
      outputFlag(options, 'db', 'file'),
      outputFlag(options, 'json', 'file'),
    ]);
    const log = (message: string) => io.stderr.write(`${message}\n`);
    const backend = await selectBackend({ preference: ['wasm', 'cpu'], log });
    log(`SCONES Gaussian study, d = ${d}, lambda = ${2 * d}, budget ${budget}, seed ${seed}`);
    let phase: keyof typeof PHASES | undefined;
    let progress: Progress | undefined;
    const result = await runGaussianStudy({
      d,
      budget,
      seed,
      benchmarkSeed,
      onProgress: (report) => {
        if (report.phase !== phase) {
          progress?.stop();
          phase = report.phase;
          log(`  ${PHASES[phase]}: ${report.total} steps`);
          progress = createProgress(io, {
            total: report.total,
            format: '  {bar} {value}/{total} steps, eta {eta} s',
          });
        }
        progress?.update(report.step);
      },
    });
    progress?.stop();
    const summary = {
      d,
      lambda: result.lambda,
      bwUvp: result.bwUvp,
      seconds: result.seconds.total,
      budget,
      seed,
      benchmarkSeed,
      backend: backend.backend,
      dualObjective: result.dualObjective,
      marginals: result.marginals,
      settings: result.settings,
      phaseSeconds: result.seconds,
    };
    if (databasePath !== undefined) {
      await makeDirectory(dirname(databasePath));
      const store = await openResultsStore(databasePath);
      try {
        const id = `scones-d${d}-seed${seed}-benchmark${benchmarkSeed}-${budget}`;
        await store.addRuns([
          {
            id,
            sweep: 'scones',
            kind: 'scones',
            config: {
              benchmark: 'gaussian',
              d,
              lambda: result.lambda,
              budget,
              seed,
              benchmarkSeed,
            },
          },
        ]);
        await store.setStatus(id, 'done', {
          metrics: {
            bwUvpScones: result.bwUvp.scones,
            bwUvpBarycentricProjection: result.bwUvp.barycentricProjection,
            dualObjective: result.dualObjective.final,
            dualObjectiveClosedForm: result.dualObjective.closedForm,
            marginalSourceDeviation: result.marginals.sourceDeviation,
            marginalTargetDeviation: result.marginals.targetDeviation,
          },
          seconds: result.seconds.total,
        });
      } finally {
        store.close();
      }
    }
    if (json !== undefined) await writeJsonSummary(json, summary, io);
    const { final, closedForm } = result.dualObjective;
    io.stdout.write(
      [
        `SCONES Gaussian study, d = ${d}, lambda = ${result.lambda}, ${result.settings.pairs} pairs, ${result.seconds.total.toFixed(1)} s on ${backend.backend}`,
        `  BW-UVP (%, lower is better): SCONES ${result.bwUvp.scones.toPrecision(3)}, barycentric projection ${result.bwUvp.barycentricProjection.toPrecision(3)}`,
        `  dual objective ${final.toPrecision(5)} (closed form ${closedForm.toPrecision(5)}); marginal ratios off 1 by ${result.marginals.sourceDeviation.toFixed(3)} (source), ${result.marginals.targetDeviation.toFixed(3)} (target)`,
        ...(databasePath === undefined ? [] : [`  recorded in ${databasePath}`]),
        '',
      ].join('\n'),
    );
  },
};
