import { join } from 'node:path';
import { InvalidArgumentError } from '@sinkflow/core';
import type { ShardedReport } from '@sinkflow/distributed';
import { absoluteEpsilon, type Epsilon, relativeEpsilon } from '@sinkflow/entropy';
import { createSinkhornProblem, type SinkhornSolution } from '@sinkflow/ot';
import type { Command, CommandIo } from '../cli/command.js';
import { type Flags, parseFlags } from '../cli/parse-flags.js';
import { BACKEND_NAMES, backendOptionsFromFlag } from '../io/backend-flag.js';
import { readCloudPairFlags, writeArrayFile, writeJsonFile } from '../io/cloud-files.js';
import { createProgress } from '../io/progress.js';
import {
  formatShardingLine,
  SHARDING_FLAGS,
  SHARDING_HELP,
  shardingFromFlags,
} from '../io/sharding-flags.js';

/** The JSON summary of `sinkflow solve` (DESIGN.md, the command-line contract). */
export interface SolveSummary {
  readonly n: number;
  readonly m: number;
  readonly d: number;
  readonly cost: 'dot' | 'sqeuclidean';
  readonly epsilon: number;
  readonly relativeEpsilon: number;
  readonly costStd: number;
  readonly iterations: number;
  readonly converged: boolean;
  readonly marginalError: number;
  readonly transportCost: number;
  readonly transportCostSqEuclidean: number;
  readonly regularizedCost: number;
  readonly entropy: number;
  readonly renormalizedEntropy: number;
  readonly seconds: number;
  readonly backend: string;
  /** Why that backend (with the calibration times behind `--backend auto`). */
  readonly backendReason: string;
  readonly mode: 'dense' | 'online';
  readonly targetEntropy: number | null;
  readonly pcaComponents: number | null;
  /** Workers, timings and traffic of a sharded solve (`--nats`), else null. */
  readonly sharding: ShardedReport | null;
}

const flags = {
  x: 'string',
  y: 'string',
  epsilon: 'string',
  'relative-epsilon': 'string',
  'target-entropy': 'string',
  cost: 'string',
  threshold: 'string',
  'max-iterations': 'string',
  'momentum-start': 'string',
  backend: 'string',
  mode: 'string',
  pca: 'string',
  seed: 'string',
  'save-potentials': 'string',
  json: 'string',
  ...SHARDING_FLAGS,
} as const;

/** `sinkflow solve`: entropic OT between two .npy point clouds. */
export const solveCommand: Command = {
  name: 'solve',
  summary: 'entropic OT (log-domain Sinkhorn) between two .npy point clouds',
  help: `
Usage: sinkflow solve --x X.npy --y Y.npy [options]

Solves min <P, C> - eps H(P) with uniform weights by log-domain Sinkhorn, the cost and the coupling
never materialised. X, Y: float32 or float64 arrays of shape n x d and m x d (C order).

Options:
  --epsilon ABS            absolute epsilon
  --relative-epsilon R     epsilon = R * std(C)                     (default 0.05)
  --target-entropy E       search the epsilon whose coupling has renormalized entropy E in (0, 1)
  --cost dot|sqeuclidean   -<x, y> or 1/2 ||x - y||^2               (default dot)
  --threshold T            stop when ||P^T 1 - b||_1 < T            (default 1e-3)
  --max-iterations N       (default 50000)
  --momentum-start N       Lehmann momentum from iteration N        (default 2000)
  --backend NAME           ${BACKEND_NAMES.join('|')}              (default auto)
                           auto: a short calibration picks the fastest of wasm, tfjs and
                           gpujs on this machine (the output says which and why)
  --mode auto|dense|online keep the kernel or recompute it          (default auto)
  --pca K                  project on K principal components first
  --seed S                 seed of the subsample that estimates std(C) when (n + m) d^2 is huge (default 0)
  --save-potentials DIR    write DIR/f.npy, DIR/g.npy (float64) and DIR/solve.json
  --json FILE              write the summary as JSON
${SHARDING_HELP}

Examples:
  sinkflow solve --x x.npy --y y.npy --target-entropy 0.2 --save-potentials run1
  sinkflow solve --x x.npy --y y.npy --relative-epsilon 0.01 --cost sqeuclidean --json out.json
`,
  async run(args, io) {
    const summary = await runSolve(parseFlags('solve', args, flags), io);
    io.stdout.write(formatSummary(summary));
  },
};

async function runSolve(options: Flags, io: CommandIo): Promise<SolveSummary> {
  const epsilonFlags = ['epsilon', 'relative-epsilon', 'target-entropy'].filter((name) =>
    options.has(name),
  );
  if (epsilonFlags.length > 1) {
    throw new InvalidArgumentError({
      functionName: 'sinkflow solve',
      argumentName: `--${epsilonFlags[1]}`,
      message: `give only one of --epsilon, --relative-epsilon, --target-entropy (also got --${epsilonFlags[0]})`,
    });
  }
  const targetEntropy = options.optionalNumber('target-entropy');
  if (targetEntropy !== undefined && !(targetEntropy > 0 && targetEntropy < 1)) {
    throw new InvalidArgumentError({
      functionName: 'sinkflow solve',
      argumentName: '--target-entropy',
      message: 'must be in (0, 1)',
      value: targetEntropy,
    });
  }
  const epsilon = epsilonFromFlags(options);
  const solveOptions = {
    threshold: positive(options, 'threshold', 1e-3),
    maxIterations: options.integer('max-iterations', { fallback: 50_000, minimum: 1 }),
    momentumStart: options.integer('momentum-start', { fallback: 2000, minimum: 0 }),
  };
  const backendName = options.choice('backend', BACKEND_NAMES, 'auto');
  if (options.has('checkpoint-dir') && targetEntropy !== undefined) {
    throw new InvalidArgumentError({
      functionName: 'sinkflow solve',
      argumentName: '--checkpoint-dir',
      message: 'works with --epsilon or --relative-epsilon, not --target-entropy',
    });
  }
  const { x, y } = await readCloudPairFlags('solve', {
    x: options.string('x'),
    y: options.string('y'),
  });
  const pca = options.has('pca') ? options.integer('pca', { minimum: 1, maximum: x.d }) : undefined;
  const problemOptions = {
    x,
    y,
    cost: options.choice('cost', ['dot', 'sqeuclidean'] as const, 'dot'),
    mode: options.choice('mode', ['auto', 'dense', 'online'] as const, 'auto'),
    pcaComponents: pca,
    seed: options.integer('seed', { fallback: 0, minimum: 0 }),
  };
  // Connected last, once every flag and file was checked; closed on every path below.
  const sharding = await shardingFromFlags('solve', options, backendName);
  const backendOptions =
    sharding === undefined ? backendOptionsFromFlag(backendName) : { backend: sharding.backend };
  const problem = await createSinkhornProblem({ ...problemOptions, ...backendOptions }).catch(
    async (error: unknown) => {
      await sharding?.close();
      throw error;
    },
  );
  const progress = createProgress(io, {
    total: solveOptions.maxIterations,
    format: 'sinkhorn [{bar}] {value} it | error {error}',
  });
  const onProgress = ({ iteration, error }: { iteration: number; error: number }) =>
    progress.update(iteration, { error: error.toExponential(2) });
  let solution: SinkhornSolution;
  try {
    solution =
      targetEntropy === undefined
        ? await (sharding?.solve(problem, { ...solveOptions, epsilon, onProgress }) ??
            problem.solve({ ...solveOptions, epsilon, onProgress }))
        : (await problem.solveForEntropy({ ...solveOptions, targetEntropy, onProgress })).solution;
  } finally {
    progress.stop();
    try {
      await problem.dispose();
    } finally {
      await sharding?.close();
    }
  }
  const summary: SolveSummary = {
    ...summarize(solution, targetEntropy ?? null, pca ?? null),
    backendReason: problem.backendChoice.reason,
    sharding: sharding?.report() ?? null,
  };
  const directory = options.optionalString('save-potentials');
  if (directory !== undefined) {
    await writeArrayFile(join(directory, 'f.npy'), {
      dtype: 'float64',
      shape: [solution.n],
      data: solution.f,
    });
    await writeArrayFile(join(directory, 'g.npy'), {
      dtype: 'float64',
      shape: [solution.m],
      data: solution.g,
    });
    await writeJsonFile(join(directory, 'solve.json'), summary);
  }
  const json = options.optionalString('json');
  if (json !== undefined) await writeJsonFile(json, summary);
  return summary;
}

function epsilonFromFlags(options: Flags): Epsilon {
  if (options.has('epsilon')) return absoluteEpsilon(positive(options, 'epsilon'));
  return relativeEpsilon(positive(options, 'relative-epsilon', 0.05));
}

function positive(options: Flags, name: string, fallback?: number): number {
  const value = options.number(name, fallback);
  if (!(value > 0))
    throw new InvalidArgumentError({
      functionName: 'sinkflow solve',
      argumentName: `--${name}`,
      message: 'must be > 0',
      value,
    });
  return value;
}

function summarize(
  solution: SinkhornSolution,
  targetEntropy: number | null,
  pcaComponents: number | null,
): Omit<SolveSummary, 'sharding' | 'backendReason'> {
  return {
    n: solution.n,
    m: solution.m,
    d: solution.d,
    cost: solution.cost,
    epsilon: solution.epsilon,
    relativeEpsilon: solution.relativeEpsilon,
    costStd: solution.costStd,
    iterations: solution.iterations,
    converged: solution.converged,
    marginalError: solution.marginalError,
    transportCost: solution.transportCost,
    transportCostSqEuclidean: solution.transportCostSqEuclidean,
    regularizedCost: solution.regularizedCost,
    entropy: solution.entropy,
    renormalizedEntropy: solution.renormalizedEntropy,
    seconds: solution.seconds,
    backend: solution.backend,
    mode: solution.mode,
    targetEntropy,
    pcaComponents,
  };
}

function formatSummary(summary: SolveSummary): string {
  const rows: Array<[string, string]> = [
    ['problem', `n = ${summary.n}, m = ${summary.m}, d = ${summary.d}, cost ${summary.cost}`],
    [
      'epsilon',
      `${summary.epsilon.toPrecision(4)} (relative ${summary.relativeEpsilon.toPrecision(4)}, std(C) ${summary.costStd.toPrecision(4)})`,
    ],
    [
      'status',
      `${summary.converged ? 'converged' : 'NOT converged'} after ${summary.iterations} iterations, marginal error ${summary.marginalError.toExponential(2)}`,
    ],
    [
      'transport cost',
      `${summary.transportCost.toPrecision(6)} (1/2||x-y||^2: ${summary.transportCostSqEuclidean.toPrecision(6)})`,
    ],
    ['renormalized entropy', summary.renormalizedEntropy.toFixed(4)],
    ['time', `${summary.seconds.toFixed(2)} s on ${summary.backend} (${summary.mode})`],
    ['backend', summary.backendReason],
    ...(summary.sharding === null
      ? []
      : [['sharded', formatShardingLine(summary.sharding)] as [string, string]]),
  ];
  return `${rows.map(([key, value]) => `${key.padEnd(22)}${value}`).join('\n')}\n`;
}
