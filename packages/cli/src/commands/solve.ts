import { join } from 'node:path';
import { InvalidArgumentError } from '@sinkflow/core';
import {
  createSinkhornProblem,
  type EntropySolveResult,
  SINKHORN_DEFAULTS,
  type SinkhornProblem,
  type SinkhornSolution,
} from '@sinkflow/ot';
import type { Command, CommandIo } from '../cli/command.js';
import { NotConvergedError } from '../cli/not-converged-error.js';
import { type Flags, parseFlags } from '../cli/parse-flags.js';
import {
  asSinkhornFlagError,
  DEFAULT_RELATIVE_EPSILON,
  renameArgument,
  sinkhornSettingsFromFlags,
} from '../cli/sinkhorn-flags.js';
import { BACKEND_NAMES, backendFromFlag, backendOptionsFromFlag } from '../io/backend-flag.js';
import { readCloudPairFlags, writeArrayFile, writeJsonFile } from '../io/cloud-files.js';
import { fingerprintCloud } from '../io/cloud-fingerprint.js';
import { writeJsonSummary } from '../io/json-summary.js';
import { checkOutputPaths, outputFlag } from '../io/output-paths.js';
import {
  checkpointedSolveFromFlags,
  SHARDING_FLAGS,
  SHARDING_HELP,
  shardingFromFlags,
} from '../io/sharding-flags.js';
import { sinkhornProgress } from '../io/sinkhorn-progress.js';
import {
  potentialsAreFinite,
  type SearchReport,
  type SolveSummary,
  summarizeSolve,
} from '../io/solve-record.js';
import { formatSolveSummary } from '../io/solve-summary-text.js';

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
  recalibrate: 'boolean',
  mode: 'string',
  pca: 'string',
  seed: 'string',
  'save-potentials': 'string',
  'allow-unconverged': 'boolean',
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
  --relative-epsilon R     epsilon = R * std(C)                     (default ${DEFAULT_RELATIVE_EPSILON})
  --target-entropy E       search the epsilon whose coupling has renormalized entropy E in (0, 1)
  --cost dot|sqeuclidean   -<x, y> or 1/2 ||x - y||^2               (default dot)
  --threshold T            stop when ||P^T 1 - b||_1 < T            (default ${SINKHORN_DEFAULTS.threshold})
  --max-iterations N       (default ${SINKHORN_DEFAULTS.maxIterations})
  --momentum-start N       Lehmann momentum from iteration N        (default ${SINKHORN_DEFAULTS.momentumStart})
  --backend NAME           ${BACKEND_NAMES.join('|')}              (default auto)
                           auto: a short calibration picks the fastest of wasm, tfjs and
                           gpujs on this machine (the output says which and why); it is kept
                           per machine and package versions in $XDG_CACHE_HOME/sinkflow
                           (~/.cache/sinkflow), so later solves of that shape reuse it
  --recalibrate            calibrate --backend auto again (replacing the kept result)
  --mode auto|dense|dense16|online
                           keep K and K^T in float32, keep one half-precision kernel (wasm:
                           2 bytes an entry), or recompute K (default auto: dense, then
                           dense16, then online within the memory budget: half of the RAM, or
                           SINKFLOW_MEMORY_BUDGET; js refuses a dense kernel over it)
  --pca K                  project on K principal components first
  --seed S                 seed of the subsample that estimates std(C) when (n + m) d^2 is huge (default 0)
  --save-potentials DIR    write DIR/f.npy, DIR/g.npy (float64) and DIR/solve.json (with a
                           SHA-256 fingerprint of X and Y, which 'sample' checks)
  --allow-unconverged      exit 0 and save the potentials even when the solve did not converge
                           or the target entropy was not reached (non-finite potentials are
                           never saved)
  --json FILE              write the summary as JSON (written in every case; NaN and infinite
                           values as null, with "diverged": true)
${SHARDING_HELP}

Exit codes: 0 converged (and target reached); 3 not converged, diverged or target not reached
(the summary is printed, --json written, nothing saved; --allow-unconverged makes it 0); 2 bad
input, including an unwritable --json, --save-potentials or --checkpoint-dir (checked before any
work) and an unreachable --target-entropy; 1 internal failure.

Examples:
  sinkflow solve --x x.npy --y y.npy --target-entropy 0.2 --save-potentials run1
  sinkflow solve --x x.npy --y y.npy --relative-epsilon 0.01 --cost sqeuclidean --json out.json
`,
  async run(args, io) {
    const started = performance.now();
    const options = parseFlags('solve', args, flags);
    const { summary, solution, threshold } = await runSolve(options, io, started);
    const failure = failureOf(summary, threshold);
    const allowed = failure === undefined || options.boolean('allow-unconverged');
    const directory = options.optionalString('save-potentials');
    let notSaved: string | undefined;
    if (directory !== undefined && !allowed) notSaved = `nothing saved to ${directory}`;
    else if (directory !== undefined && !potentialsAreFinite(solution))
      notSaved = `potentials not saved to ${directory}: they are not finite`;
    else if (directory !== undefined) await savePotentials(directory, solution, summary);
    const json = options.optionalString('json');
    if (json !== undefined) await writeJsonSummary(json, summary, io);
    io.stdout.write(formatSolveSummary(summary));
    if (!allowed) {
      throw new NotConvergedError(
        `${failure}${notSaved === undefined ? '' : `; ${notSaved}`} (exit 3; --allow-unconverged accepts the result)`,
      );
    }
    if (notSaved !== undefined) io.stderr.write(`sinkflow solve: ${notSaved}\n`);
  },
};

/** Why the result is not a converged solve (at the target entropy), or undefined when it is. */
function failureOf(summary: SolveSummary, threshold: number): string | undefined {
  const error =
    summary.marginalError === null ? 'not finite' : summary.marginalError.toExponential(2);
  if (summary.diverged) {
    return `diverged after ${summary.iterations} iterations (marginal error ${error}, non-finite values): epsilon ${summary.epsilon.toPrecision(4)} does not suit this problem`;
  }
  if (summary.search !== null && !summary.converged) {
    return `the search for --target-entropy ${summary.targetEntropy} ended on a solve that did not converge (marginal error ${error} after ${summary.iterations} iterations, ${summary.search.solves} solves; raise --max-iterations)`;
  }
  if (summary.search !== null && !summary.search.reached) {
    const reached = summary.renormalizedEntropy?.toFixed(4) ?? 'not finite';
    return `did not reach --target-entropy ${summary.targetEntropy}: E = ${reached} after ${summary.search.solves} solves`;
  }
  if (!summary.converged) {
    return `did not converge: marginal error ${error} above --threshold ${threshold} after ${summary.iterations} iterations (raise --max-iterations or epsilon)`;
  }
  return undefined;
}

async function savePotentials(
  directory: string,
  solution: SinkhornSolution,
  summary: SolveSummary,
): Promise<void> {
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

async function runSolve(
  options: Flags,
  io: CommandIo,
  started: number,
): Promise<{
  readonly summary: SolveSummary;
  readonly solution: SinkhornSolution;
  readonly threshold: number;
}> {
  // ot's settings, checked by ot's validation before any work (errors name the flag); passed on
  // unchanged, so ot's defaults apply to the flags not given.
  const { settings, validated } = sinkhornSettingsFromFlags(options, 'sinkflow solve');
  const { targetEntropy, epsilon, ...solveOptions } = settings;
  const backendName = options.choice('backend', BACKEND_NAMES, 'auto');
  if (options.has('checkpoint-dir') && targetEntropy !== undefined) {
    throw new InvalidArgumentError({
      functionName: 'sinkflow solve',
      argumentName: '--checkpoint-dir',
      message: 'works with --epsilon or --relative-epsilon, not --target-entropy',
    });
  }
  await checkOutputPaths('solve', [
    outputFlag(options, 'json', 'file'),
    outputFlag(options, 'save-potentials', 'directory'),
    outputFlag(options, 'checkpoint-dir', 'directory'),
  ]);
  const { x, y } = await readCloudPairFlags('solve', {
    x: options.string('x'),
    y: options.string('y'),
  });
  const pca = options.has('pca') ? options.integer('pca', { minimum: 1, maximum: x.d }) : undefined;
  const problemOptions = {
    x,
    y,
    cost: options.choice('cost', ['dot', 'sqeuclidean'] as const, 'dot'),
    mode: options.choice('mode', ['auto', 'dense', 'dense16', 'online'] as const, 'auto'),
    pcaComponents: pca,
    seed: options.integer('seed', { fallback: 0, minimum: 0 }),
  };
  const solveAtEpsilon = checkpointedSolveFromFlags(options);
  // --backend auto is resolved here, with the calibration kept between processes (not with
  // --nats: each worker runs the backend it is given).
  const chosen = options.has('nats')
    ? undefined
    : await backendFromFlag(backendName, {
        n: x.n,
        m: y.n,
        d: pca ?? x.d,
        mode: problemOptions.mode,
        recalibrate: options.boolean('recalibrate'),
      });
  // Connected last, once every flag and file was checked; closed on every path below.
  const sharding = await shardingFromFlags('solve', options, backendName);
  const backendOptions =
    sharding === undefined
      ? (chosen?.options ?? backendOptionsFromFlag(backendName))
      : { backend: sharding.backend };
  const problem = await createSinkhornProblem({ ...problemOptions, ...backendOptions }).catch(
    async (error: unknown) => {
      await sharding?.close();
      throw asFlagError(error, options);
    },
  );
  const progress = sinkhornProgress(io, {
    threshold: validated.threshold,
    search: targetEntropy !== undefined,
  });
  const { onProgress } = progress;
  let solution: SinkhornSolution;
  let search: SearchReport | null = null;
  try {
    if (targetEntropy === undefined) {
      solution = await solveAtEpsilon(problem, { ...solveOptions, epsilon, onProgress });
    } else {
      const started = performance.now();
      const result = await searchEntropy(problem, { ...solveOptions, targetEntropy, onProgress });
      solution = result.solution;
      search = searchReportOf(result, (performance.now() - started) / 1000);
    }
  } catch (error) {
    throw asFlagError(error, options);
  } finally {
    progress.stop();
    try {
      await problem.dispose();
    } finally {
      await sharding?.close();
    }
  }
  const summary = summarizeSolve({
    solution,
    backendReason: chosen?.reason ?? problem.backendChoice.reason,
    totalSeconds: (performance.now() - started) / 1000,
    backendSeconds: chosen?.seconds ?? 0,
    targetEntropy: targetEntropy ?? null,
    search,
    pcaComponents: pca ?? null,
    sharding: sharding?.report() ?? null,
    fingerprints: { x: fingerprintCloud(x), y: fingerprintCloud(y) },
  });
  return { summary, solution, threshold: validated.threshold };
}

/**
 * A backend's refusal of the kernel `mode` (the js backend's dense mode beyond its memory budget)
 * or of the `epsilon` (wasm's float32 kernels outside their range) as an error naming the flag
 * that set it; any other error unchanged.
 */
function asFlagError(error: unknown, options: Flags): unknown {
  if (InvalidArgumentError.isInstance(error) && error.argumentName === 'mode') {
    return renameArgument(error, 'sinkflow solve', '--mode');
  }
  return asSinkhornFlagError(error, options, 'sinkflow solve');
}

/**
 * `problem.solveForEntropy`, with an unreachable target (ot's `UnreachableEntropyError`, an
 * `InvalidArgumentError` carrying the reachable `range`) reported against `--target-entropy`.
 */
async function searchEntropy(
  problem: SinkhornProblem,
  options: Parameters<SinkhornProblem['solveForEntropy']>[0],
): Promise<EntropySolveResult> {
  try {
    return await problem.solveForEntropy(options);
  } catch (error) {
    const range = (error as { range?: { min?: unknown; max?: unknown } } | null)?.range;
    if (
      InvalidArgumentError.isInstance(error) &&
      typeof range?.min === 'number' &&
      typeof range.max === 'number'
    ) {
      throw new InvalidArgumentError({
        functionName: 'sinkflow solve',
        argumentName: '--target-entropy',
        message: `${options.targetEntropy} cannot be reached for these clouds: the renormalized entropy lies in [${range.min.toFixed(4)}, ${range.max.toFixed(4)}]`,
        cause: error,
      });
    }
    throw error;
  }
}

/**
 * The whole search: ot's `search` (solves, iterations, seconds) where it reports one, else the
 * sum over its `steps` and the wall-clock seconds measured around it.
 */
function searchReportOf(result: EntropySolveResult, wallSeconds: number): SearchReport {
  const reported = (
    result as { search?: Partial<Record<'solves' | 'iterations' | 'seconds', unknown>> }
  ).search;
  const reached = result.reached && result.solution.converged;
  if (
    typeof reported?.solves === 'number' &&
    typeof reported.iterations === 'number' &&
    typeof reported.seconds === 'number'
  ) {
    return {
      solves: reported.solves,
      iterations: reported.iterations,
      seconds: reported.seconds,
      reached,
    };
  }
  return {
    solves: result.steps.length,
    iterations: result.steps.reduce((total, step) => total + step.iterations, 0),
    seconds: wallSeconds,
    reached,
  };
}
