import { InvalidArgumentError, requireInteger } from '@sinkflow/core';
import { absoluteEpsilon } from '@sinkflow/entropy';
import type { SinkhornProblem } from '../problem/create-sinkhorn-problem.js';
import { SINKHORN_DEFAULTS } from '../settings/sinkhorn-settings.js';
import type { SinkhornProgress } from '../solver/sinkhorn-loop.js';
import type { SinkhornSolveOptions } from '../solver/sinkhorn-options.js';
import type { SinkhornSolution } from '../solver/sinkhorn-solution.js';
import { openCheckpointStore, SINKHORN_CHECKPOINT_VERSION } from './sinkhorn-checkpoint.js';

/** Options of {@link solveWithCheckpoints}: a problem, where to checkpoint, and the solve options. */
export interface SolveWithCheckpointsOptions extends SinkhornSolveOptions {
  /** The prepared problem, on any backend (js, wasm, tfjs, gpujs, sharded). */
  readonly problem: SinkhornProblem;
  /** Directory of the checkpoint (created when missing). */
  readonly checkpointDirectory: string;
  /**
   * Write a checkpoint at the first marginal-error check at least this many iterations after the
   * previous one. @default 100
   */
  readonly checkpointEvery?: number;
  /** Resume from the directory's checkpoint when it has one for this problem. @default true */
  readonly resume?: boolean;
  /** Remove the checkpoint once the solve finished. @default true */
  readonly removeWhenDone?: boolean;
}

/** A {@link SinkhornSolution} of a solve that may have resumed from a checkpoint. */
export interface CheckpointedSolution extends SinkhornSolution {
  /** The iteration of the checkpoint it resumed from, or null. */
  readonly resumedFromIteration: number | null;
  /** Checkpoints written by this call. */
  readonly checkpointsWritten: number;
}

/**
 * Solves a Sinkhorn problem, writing its potentials to `checkpointDirectory` every
 * `checkpointEvery` iterations, and resuming from the checkpoint found there: a run that stopped
 * (killed, or a sharded run whose worker was lost) restarts from its last checkpoint instead of
 * from scratch, on any backend. Node only (the files are written with `node:fs`).
 *
 * Resuming warm-starts the solver with the checkpoint's potentials (`initialPotentials`) at its
 * epsilon, and shifts `maxIterations` and `momentumStart` by the iterations already done, so the
 * iterations continue where they stopped: before momentum starts the resumed run repeats the
 * uninterrupted one exactly (same potentials, same iteration count in total, same errors); after
 * it, the first `innerIterations` after the resume use weight 1 (the momentum weight needs two
 * consecutive errors [lehmann2022]), which changes the path but not the fixed point. Reported
 * `iterations` and `errors` include the checkpoint's; `seconds` counts this call only.
 *
 * A checkpoint belongs to one problem: its fingerprint (SHA-256 of the cost, the weights and the
 * clouds) must match, else the call throws rather than start from foreign potentials.
 *
 * @throws {@link InvalidArgumentError} for bad options or a checkpoint of another problem.
 * @example
 * ```ts
 * const problem = await createSinkhornProblem({ x, y }); // or a sharded backend
 * const solution = await solveWithCheckpoints({ problem, checkpointDirectory: 'ckpt', checkpointEvery: 200 });
 * solution.resumedFromIteration; // null on a first run, e.g. 1400 after a restart
 * ```
 */
export async function solveWithCheckpoints(
  options: SolveWithCheckpointsOptions,
): Promise<CheckpointedSolution> {
  const functionName = 'solveWithCheckpoints';
  const {
    problem,
    checkpointDirectory,
    checkpointEvery = 100,
    resume = true,
    removeWhenDone = true,
    onProgress,
    ...solveOptions
  } = options;
  if (typeof checkpointDirectory !== 'string' || checkpointDirectory === '') {
    throw new InvalidArgumentError({
      functionName,
      argumentName: 'checkpointDirectory',
      message: 'must be a directory path',
      value: checkpointDirectory,
    });
  }
  requireInteger(checkpointEvery, { functionName, argumentName: 'checkpointEvery', minimum: 1 });
  const {
    maxIterations = SINKHORN_DEFAULTS.maxIterations,
    momentumStart = SINKHORN_DEFAULTS.momentumStart,
  } = solveOptions;
  const store = await openCheckpointStore(checkpointDirectory, functionName);
  const fingerprint = store.fingerprint(problem.geometry);
  const checkpoint = resume ? store.read() : undefined;
  if (checkpoint !== undefined && checkpoint.fingerprint !== fingerprint) {
    throw new InvalidArgumentError({
      functionName,
      argumentName: 'checkpointDirectory',
      message: `holds a checkpoint of another problem (n = ${checkpoint.n}, m = ${checkpoint.m}); use another directory or resume: false`,
      value: checkpointDirectory,
    });
  }
  const offset = checkpoint?.iteration ?? 0;
  const errors: number[] = [...(checkpoint?.errors ?? [])];
  let lastWritten = offset;
  let written = 0;
  const progress = (report: SinkhornProgress) => {
    const iteration = report.iteration + offset;
    if (iteration - lastWritten >= checkpointEvery) {
      const { f, g } = report.potentials();
      store.write({
        version: SINKHORN_CHECKPOINT_VERSION,
        iteration,
        epsilon: report.epsilon,
        errors: [...errors],
        fingerprint,
        n: problem.geometry.n,
        m: problem.geometry.m,
        f,
        g,
      });
      lastWritten = iteration;
      written += 1;
    }
    errors.push(report.error);
    onProgress?.({ ...report, iteration });
  };
  const solution = await problem.solve({
    ...solveOptions,
    ...(checkpoint === undefined
      ? {}
      : {
          epsilon: absoluteEpsilon(checkpoint.epsilon),
          initialPotentials: { f: checkpoint.f, g: checkpoint.g },
          maxIterations: Math.max(0, maxIterations - offset),
          momentumStart: Math.max(0, momentumStart - offset),
        }),
    onProgress: progress,
  });
  if (removeWhenDone) store.remove();
  return {
    ...solution,
    iterations: solution.iterations + offset,
    errors: [...(checkpoint?.errors ?? []), ...solution.errors],
    resumedFromIteration: checkpoint === undefined ? null : offset,
    checkpointsWritten: written,
  };
}
