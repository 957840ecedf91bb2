import { InvalidArgumentError, type PointCloud } from '@sinkflow/core';
import type { Epsilon } from '@sinkflow/entropy';
import {
  fitGaussian,
  gaussianW2,
  sinkhornDivergence,
  slicedWasserstein,
  wasserstein1d,
} from '@sinkflow/ot';
import type { Command } from '../cli/command.js';
import { type Flags, parseFlags } from '../cli/parse-flags.js';
import { DEFAULT_RELATIVE_EPSILON, sinkhornSettingsFromFlags } from '../cli/sinkhorn-flags.js';
import { readCloudPairFlags } from '../io/cloud-files.js';
import { writeJsonSummary } from '../io/json-summary.js';
import { requireMemory } from '../io/memory-budget.js';
import { checkOutputPaths, outputFlag } from '../io/output-paths.js';

const KINDS = ['w1d', 'sliced', 'bures', 'sinkhorn-divergence'] as const;

/** `sinkflow distance`: distances between two clouds. */
export const distanceCommand: Command = {
  name: 'distance',
  summary: 'W2 on the line, sliced W2, Bures W2 of Gaussian fits, or the Sinkhorn divergence',
  help: `
Usage: sinkflow distance --x X.npy --y Y.npy --kind ${KINDS.join('|')} [options] [--json FILE]

  w1d                  W_2 between two 1-D samples (d = 1), from their quantile functions
  sliced               sqrt of the mean over L random directions of W_2^2 of the projections
  bures                W_2 between the Gaussian fits N(m, S) of X and Y (covariances with 1/n)
  sinkhorn-divergence  S_eps = OT_eps(x, y) - 1/2 OT_eps(x, x) - 1/2 OT_eps(y, y) (cost 1/2||x-y||^2)

Options:
  --projections L      number of directions for sliced        (default 128; 8 L (d + 1)
                       bytes must fit the memory budget: half of the RAM, or
                       SINKFLOW_MEMORY_BUDGET)
  --seed S             seed of the directions                  (default 0)
  --epsilon ABS | --relative-epsilon R   for sinkhorn-divergence (default relative ${DEFAULT_RELATIVE_EPSILON})

JSON: { kind, value, seconds }: value is W_2 itself (not squared) for w1d, sliced and bures, and the
debiased divergence for sinkhorn-divergence.

Example:
  sinkflow distance --x x.npy --y y.npy --kind sliced --projections 256 --seed 1
`,
  async run(args, io) {
    const options = parseFlags('distance', args, {
      x: 'string',
      y: 'string',
      kind: 'string',
      projections: 'string',
      seed: 'string',
      epsilon: 'string',
      'relative-epsilon': 'string',
      json: 'string',
    });
    const kind = options.choice('kind', KINDS, 'sliced');
    if (!options.has('kind')) {
      throw new InvalidArgumentError({
        functionName: 'sinkflow distance',
        argumentName: '--kind',
        message: `is required (${KINDS.join(', ')})`,
      });
    }
    await checkOutputPaths('distance', [outputFlag(options, 'json', 'file')]);
    const { x, y } = await readCloudPairFlags('distance', {
      x: options.string('x'),
      y: options.string('y'),
    });
    const started = performance.now();
    const value = await distanceOf(kind, x, y, options);
    const summary = { kind, value, seconds: (performance.now() - started) / 1000 };
    const json = options.optionalString('json');
    if (json !== undefined) await writeJsonSummary(json, summary, io);
    io.stdout.write(`${kind}: ${value.toPrecision(8)} (${summary.seconds.toFixed(3)} s)\n`);
  },
};

async function distanceOf(
  kind: (typeof KINDS)[number],
  x: PointCloud,
  y: PointCloud,
  options: Flags,
): Promise<number> {
  switch (kind) {
    case 'w1d': {
      if (x.d !== 1) {
        throw new InvalidArgumentError({
          functionName: 'sinkflow distance',
          argumentName: '--x',
          message: `w1d needs d = 1, got d = ${x.d}`,
        });
      }
      return wasserstein1d({ x: x.data, y: y.data, p: 2 }).distance;
    }
    case 'sliced': {
      const projectionCount = options.integer('projections', { fallback: 128, minimum: 1 });
      // The L x d directions and L costs (float64), and the sorted projections of both clouds.
      requireMemory({
        command: 'distance',
        flag: '--projections',
        bytes: 8 * projectionCount * (x.d + 1) + 32 * (x.n + y.n),
        what: `--projections ${projectionCount} directions in d = ${x.d}`,
      });
      return slicedWasserstein({
        x,
        y,
        projectionCount,
        seed: options.integer('seed', { fallback: 0, minimum: 0 }),
        p: 2,
      }).distance;
    }
    case 'bures': {
      const left = fitGaussian({ x });
      const right = fitGaussian({ x: y });
      return gaussianW2({
        mean1: left.mean,
        covariance1: left.covariance,
        mean2: right.mean,
        covariance2: right.covariance,
      }).distance;
    }
    case 'sinkhorn-divergence':
      return (await sinkhornDivergence({ x, y, ...epsilonFlags(options) })).divergence;
  }
}

/**
 * The epsilon of `--epsilon` or `--relative-epsilon`, checked by ot (errors name the flag), or none:
 * `sinkhornDivergence` then uses ot's default (`SINKHORN_DEFAULTS.epsilon`).
 */
function epsilonFlags(options: Flags): { readonly epsilon?: Epsilon } {
  if (options.has('epsilon') && options.has('relative-epsilon')) {
    throw new InvalidArgumentError({
      functionName: 'sinkflow distance',
      argumentName: '--relative-epsilon',
      message: 'give only one of --epsilon and --relative-epsilon',
    });
  }
  const { epsilon } = sinkhornSettingsFromFlags(options, 'sinkflow distance').settings;
  return epsilon === undefined ? {} : { epsilon };
}
