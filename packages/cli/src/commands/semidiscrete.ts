import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createPointCloud, InvalidArgumentError } from '@sinkflow/core';
import { absoluteEpsilon, relativeEpsilon } from '@sinkflow/entropy';
import { solveSemidiscrete } from '@sinkflow/ot';
import type { Command } from '../cli/command.js';
import { NotConvergedError } from '../cli/not-converged-error.js';
import { parseFlags } from '../cli/parse-flags.js';
import { readArrayFlag, readCloudFlag, writeArrayFile } from '../io/cloud-files.js';
import { fingerprintCloud } from '../io/cloud-fingerprint.js';
import { writeJsonSummary } from '../io/json-summary.js';
import { checkOutputPaths, outputFlag } from '../io/output-paths.js';

/** The record `sinkflow semidiscrete` writes next to `g.npy` (read back by `sample --semidiscrete`). */
export const SEMIDISCRETE_RECORD = 'semidiscrete.json';

/** `sinkflow semidiscrete`: fit the semidiscrete dual between Gaussian noise and a point set. */
export const semidiscreteCommand: Command = {
  name: 'semidiscrete',
  summary: 'fit the semidiscrete OT dual g between N(0, I) noise and a .npy point set',
  help: `
Usage: sinkflow semidiscrete --y Y.npy [--weights B.npy] [--epsilon E | --relative-epsilon R]
                             [--cost dot|sqeuclidean] [--source gaussian] [--threshold 1e-3]
                             [--max-steps 20000] [--batch-size 256] [--seed 0] --save DIR
                             [--allow-unconverged] [--json FILE]

Fits the dual vector g in R^N of the semidiscrete OT problem between standard normal noise in d
dimensions and the N points of Y (weights B, uniform by default), by stochastic ascent of
E_x[f(x)] + <g, b> on fresh noise (Mousavi-Hosseini et al., 2025): hard (the Laguerre cells)
without --epsilon, entropic with it. Stops when the chi-square marginal error of fresh evaluation
draws and its standard error are below --threshold. Writes DIR/g.npy (float64) and
DIR/${SEMIDISCRETE_RECORD} { m, d, epsilon, cost, steps, chiSquareError, converged, seconds,
fingerprint of Y } (and DIR/b.npy with --weights); 'sinkflow sample --semidiscrete DIR' then pairs
new noise with its partners.
Exit 3 (nothing saved) when the fit stops at --max-steps above the threshold, unless
--allow-unconverged.

Example:
  sinkflow semidiscrete --y data.npy --relative-epsilon 0.01 --save fit1
  sinkflow sample --semidiscrete fit1 --y data.npy --x noise.npy --seed 3 --out partners.npy
`,
  async run(args, io) {
    const started = performance.now();
    const functionName = 'sinkflow semidiscrete';
    const options = parseFlags('semidiscrete', args, {
      y: 'string',
      weights: 'string',
      epsilon: 'string',
      'relative-epsilon': 'string',
      cost: 'string',
      source: 'string',
      threshold: 'string',
      'max-steps': 'string',
      'batch-size': 'string',
      seed: 'string',
      save: 'string',
      'allow-unconverged': 'boolean',
      json: 'string',
    });
    const directory = options.string('save');
    const cost = options.choice('cost', ['dot', 'sqeuclidean'] as const, 'dot');
    options.choice('source', ['gaussian'] as const, 'gaussian');
    if (options.has('epsilon') && options.has('relative-epsilon')) {
      throw new InvalidArgumentError({
        functionName,
        argumentName: '--relative-epsilon',
        message: 'give --epsilon or --relative-epsilon, not both',
      });
    }
    const positive = (flag: string, fallback?: number): number => {
      const value = options.number(flag, fallback);
      if (!(value > 0)) {
        throw new InvalidArgumentError({
          functionName,
          argumentName: `--${flag}`,
          message: 'must be a positive number',
          value,
        });
      }
      return value;
    };
    const epsilon = options.has('epsilon')
      ? absoluteEpsilon(positive('epsilon'))
      : options.has('relative-epsilon')
        ? relativeEpsilon(positive('relative-epsilon'))
        : 0;
    const threshold = positive('threshold', 1e-3);
    const maxSteps = options.integer('max-steps', { fallback: 20000, minimum: 1 });
    const batchSize = options.integer('batch-size', { fallback: 256, minimum: 1 });
    const seed = options.integer('seed', { fallback: 0, minimum: 0 });
    await checkOutputPaths('semidiscrete', [
      outputFlag(options, 'save', 'directory'),
      outputFlag(options, 'json', 'file'),
    ]);
    const points = await readCloudFlag('semidiscrete', '--y', options.string('y'));
    let y = points;
    if (options.has('weights')) {
      const weights = await readArrayFlag('semidiscrete', '--weights', options.string('weights'));
      if (weights.dtype === 'int32' || weights.data.length !== points.n) {
        throw new InvalidArgumentError({
          functionName,
          argumentName: '--weights',
          message: `must be a float vector of length N = ${points.n} (one mass per point of --y)`,
        });
      }
      y = createPointCloud(
        points.data,
        { d: points.d, n: points.n, weights: Float64Array.from(weights.data) },
        { functionName, argumentName: '--weights' },
      );
    }
    const solution = await solveSemidiscrete({
      y,
      cost,
      epsilon,
      threshold,
      maxSteps,
      batchSize,
      seed,
      onProgress: ({ step, marginalError }) => {
        io.stderr.write(`  step ${step}: chi-square error ${marginalError.toExponential(2)}\n`);
      },
    });
    const summary = {
      m: y.n,
      d: y.d,
      epsilon: solution.epsilon,
      cost,
      steps: solution.steps,
      chiSquareError: solution.marginalError,
      chiSquareStandardError: solution.marginalErrorStandardError,
      threshold,
      converged: solution.converged,
      seconds: (performance.now() - started) / 1000,
      fitSeconds: solution.seconds,
      weighted: y.weights !== undefined,
      fingerprint: fingerprintCloud(points),
    };
    const allowed = solution.converged || options.boolean('allow-unconverged');
    if (allowed) {
      await mkdir(directory, { recursive: true });
      await writeArrayFile(join(directory, 'g.npy'), {
        dtype: 'float64',
        shape: [y.n],
        data: solution.g,
      });
      if (y.weights !== undefined) {
        await writeArrayFile(join(directory, 'b.npy'), {
          dtype: 'float64',
          shape: [y.n],
          data: y.weights,
        });
      }
      await writeFile(
        join(directory, SEMIDISCRETE_RECORD),
        `${JSON.stringify(summary, null, 2)}\n`,
      );
    }
    const json = options.optionalString('json');
    if (json !== undefined) await writeJsonSummary(json, summary, io);
    io.stdout.write(
      `semidiscrete dual of ${y.n} points in d = ${y.d} (${cost}, epsilon ${solution.epsilon === 0 ? '0: hard' : solution.epsilon.toPrecision(4)}): chi-square error ${solution.marginalError.toExponential(2)} ${solution.converged ? '<' : 'NOT <'} ${threshold} after ${solution.steps} steps, ${summary.seconds.toFixed(1)} s${allowed ? `; saved in ${directory}` : ''}\n`,
    );
    if (!solution.converged) {
      if (!allowed) {
        throw new NotConvergedError(
          `the fit stopped at --max-steps ${maxSteps} with chi-square error ${solution.marginalError.toExponential(2)} above --threshold ${threshold}; nothing saved (exit 3; --allow-unconverged accepts the result)`,
        );
      }
      io.stderr.write(
        `${functionName}: note: saved a fit above --threshold (--allow-unconverged)\n`,
      );
    }
  },
};
